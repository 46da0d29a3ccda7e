"""Official classifications: lookups, malformed and unknown codes, statuses, editions, roll-up.

The shipped CSV files are read here with the standard ``csv`` module, independently of
fiscalkit's loader, and the loaded edition is checked against them.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fiscalkit as fk
from fiscalkit import classification
from fiscalkit.classification import Edition, lookup, roll_up, scheme_of
from fiscalkit.errors import MalformedCodeError, UnknownCodeError, UnknownCodeWarning

DATA = Path(classification.__file__).parent / "data" / "classification" / "2021"
FILES = {
    "function": "functional.csv",
    "economic_department": "economic_department.csv",
    "economic_government": "economic_government.csv",
}


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


ROWS = {scheme: read_csv(file) for scheme, file in FILES.items()}
ALL_ROWS = [(scheme, row) for scheme, rows in ROWS.items() for row in rows]
CODES = {row["code"]: (scheme, row) for scheme, row in ALL_ROWS}
VERIFICATION = read_csv("verification.csv")


# ---------------------------------------------------------------------------- lookups
def test_lookups_from_the_brief() -> None:
    assert lookup("30113").name_zh == "住房公积金"
    assert lookup("2210201").parent is not None
    assert lookup("2210201").parent.parent is not None
    assert lookup("2210201").parent.parent.code == "221"
    assert lookup("2080505").name_zh == "机关事业单位基本养老保险缴费支出"


def test_code_attributes() -> None:
    code = lookup("2010350")
    assert (code.scheme, code.level, code.level_name, code.parent_code) == (
        "function", 3, "项", "20103")
    assert code.ancestor(1).code == "201"
    assert code.ancestor(2).code == "20103"
    assert code.ancestor(3) is code
    assert lookup("201").parent is None
    assert lookup("301").level_name == "类"
    assert lookup("30101").scheme == "economic_department"
    assert lookup("50101").scheme == "economic_government"
    children = [c.code for c in lookup("20101").children]
    expected = sorted(r["code"] for r in ROWS["function"] if r["parent"] == "20101")
    assert children == expected
    assert "2010101" in children


def test_lookup_by_name() -> None:
    assert lookup("社会保障和就业支出").code == "208"
    assert lookup("一般公共服务支出").code == "201"
    assert lookup("General public services").code == "201"  # English, exact
    assert lookup("  general PUBLIC services ").code == "201"  # case and spaces folded
    # full-width parentheses in the MOF names also match ASCII ones
    assert lookup("政府办公厅(室)及相关机构事务").code == "20103"
    assert lookup("政府办公厅（室）及相关机构事务").code == "20103"


def test_every_unique_name_finds_its_code() -> None:
    counts: dict[str, int] = {}
    for _, row in ALL_ROWS:
        for name in {row["name_zh"], row["name_en"].casefold()} - {""}:
            counts[name] = counts.get(name, 0) + 1
    checked = 0
    for _, row in ALL_ROWS:
        if counts[row["name_zh"]] == 1:
            assert lookup(row["name_zh"]).code == row["code"]
            checked += 1
    assert checked > 300


def test_ambiguous_name_names_the_codes_and_scheme_chooses() -> None:
    # 住房公积金 is a department economic 款, a government economic 款 and a functional 项
    holders = sorted(code for code, (_, row) in CODES.items() if row["name_zh"] == "住房公积金")
    assert holders == ["2210201", "30113", "50103"]
    with pytest.raises(UnknownCodeError) as info:
        lookup("住房公积金")
    for code in holders:
        assert code in str(info.value)
    assert "scheme=" in str(info.value)
    assert lookup("住房公积金", scheme="economic_department").code == "30113"
    assert lookup("住房公积金", scheme="economic_government").code == "50103"
    assert lookup("住房公积金", scheme="function").code == "2210201"
    assert lookup("工资福利支出", scheme="economic_department").code == "301"
    assert lookup("工资福利支出", scheme="economic_government").code == "50501"


def test_unknown_name_suggests_close_names() -> None:
    with pytest.raises(UnknownCodeError) as info:
        lookup("社会保障和就业")
    assert "社会保障和就业支出" in info.value.suggestions


@pytest.mark.parametrize("code", ["abc", "4011", "3011", "20101011", "2010l01", "301 13", "1",
                                  "30", "9010101", "４０１１"])
def test_malformed_codes(code: str) -> None:
    with pytest.raises(MalformedCodeError):
        lookup(code)


def test_full_width_digits_are_digits() -> None:
    assert lookup("２０１").code == "201"
    assert lookup(" 30113 ").code == "30113"


def test_unknown_english_phrase_is_unknown_not_malformed() -> None:
    with pytest.raises(UnknownCodeError) as info:
        lookup("no such budget item")
    assert not isinstance(info.value, MalformedCodeError)


@pytest.mark.parametrize("code", ["abc", "4011", "3011", "20101011", "", "0201"])
def test_malformed_codes_have_no_scheme(code: str) -> None:
    with pytest.raises(MalformedCodeError):
        scheme_of(code)
    with pytest.raises(MalformedCodeError):
        classification.shipped().get(code)


def test_scheme_of() -> None:
    assert scheme_of("201").name == "function"
    assert scheme_of("2010350").name == "function"
    assert scheme_of("30113").name == "economic_department"
    assert scheme_of("599").name == "economic_government"


@pytest.mark.parametrize("code", ["2010177", "30188", "50177", "299"])
def test_well_formed_missing_code_is_unknown_with_suggestions(code: str) -> None:
    assert code not in CODES  # checked against the CSV files themselves
    with pytest.raises(UnknownCodeError) as info:
        lookup(code)
    err = info.value
    assert not isinstance(err, MalformedCodeError)
    assert err.suggestions
    for s in err.suggestions:
        assert s in CODES
        assert len(s) == len(code)
        assert s[0] == code[0]
        assert s in str(err)
    assert classification.shipped().get(code) is None


def test_nearest_suggestion_shares_the_longest_prefix() -> None:
    with pytest.raises(UnknownCodeError) as info:
        lookup("2010177")
    assert info.value.suggestions[0].startswith("20101")


def test_unknown_code_error_is_a_key_error_and_fiscalkit_error() -> None:
    assert issubclass(UnknownCodeError, KeyError)
    assert issubclass(UnknownCodeError, fk.FiscalkitError)
    assert issubclass(MalformedCodeError, ValueError)
    assert issubclass(MalformedCodeError, fk.FiscalkitError)


# ---------------------------------------------------------------------------- the shipped data
def test_edition_holds_exactly_the_csv_rows() -> None:
    edition = classification.shipped()
    assert len(edition) == len(CODES) == len(ALL_ROWS)
    for code, (scheme, row) in CODES.items():
        c = edition.lookup(code)
        assert (c.scheme, c.level, c.name_zh, c.name_en) == (
            scheme, int(row["level"]), row["name_zh"], row["name_en"])
        assert c.parent_code == (row["parent"] or None)
        assert c.name_en_source == row["name_en_source"]


def test_tree_is_consistent() -> None:
    edition = classification.shipped()
    for code, (_, row) in CODES.items():
        assert len(code) == {"1": 3, "2": 5, "3": 7}[row["level"]]
        if row["parent"]:
            assert code.startswith(row["parent"])
            assert row["parent"] in edition
            assert len(row["parent"]) == len(code) - 2


def test_status_matches_verification_csv() -> None:
    statuses = {row["code"]: row for row in VERIFICATION}
    assert set(statuses) <= set(CODES)
    for code in CODES:
        c = lookup(code)
        expected = statuses.get(code)
        if expected is None:
            assert c.status == "unverified"
        else:
            assert c.status == expected["status"]
            assert c.sources == expected["sources"]
            assert c.note == expected["note"]
    assert {lookup(code).status for code in CODES} <= {"verified", "name_verified", "unverified"}
    # and the frame exposes the same column
    frame = classification.shipped().frame
    assert dict(zip(frame["code"], frame["status"], strict=True)) == {
        code: lookup(code).status for code in CODES}


def test_names_vectorised() -> None:
    edition = classification.shipped()
    codes = pd.Series(["208", "30113", None, "2999999"], dtype="string")
    names = edition.names(codes, "zh")
    assert names.iloc[0] == CODES["208"][1]["name_zh"]
    assert names.iloc[1] == "住房公积金"
    assert pd.isna(names.iloc[2])
    assert pd.isna(names.iloc[3])
    assert edition.names(codes, "en").iloc[0] == CODES["208"][1]["name_en"]


# ---------------------------------------------------------------------------- correspondence
def test_correspondence_depends_on_the_unit_type() -> None:
    edition = classification.shipped()
    assert edition.correspond("30226", "事业单位").code == "50502"
    assert edition.correspond("30226", "机关").code == "50205"
    assert edition.correspond("30226", "行政单位").code == "50205"
    assert edition.correspond("30226", "参公事业单位").code == "50205"
    assert edition.correspond("30226", "public_institution").code == "50502"
    assert edition.correspond("30101", "机关").code == "50101"
    assert edition.correspond("30101", "事业单位").code == "50501"


def test_correspondence_errors() -> None:
    edition = classification.shipped()
    with pytest.raises(UnknownCodeError, match="unit type"):
        edition.correspond("30226", "企业")
    with pytest.raises(UnknownCodeError):
        edition.correspond("30188", "机关")  # not in the edition
    with pytest.raises(MalformedCodeError):
        edition.correspond("3022", "机关")


# ---------------------------------------------------------------------------- Edition.from_dir
SMALL = {
    "functional.csv": [
        ("201", "1", "一般公共服务支出", "General public services", ""),
        ("20101", "2", "人大事务", "People's Congress affairs", "201"),
        ("2010101", "3", "行政运行", "Administrative operations", "20101"),
        ("20199", "2", "其他一般公共服务支出", "Other general public services", "201"),
        ("2019999", "3", "其他一般公共服务支出", "Other general public services", "20199"),
    ],
    "economic_department.csv": [
        ("301", "1", "工资福利支出", "Wages and benefits", ""),
        ("30101", "2", "基本工资", "Basic salary", "301"),
    ],
    "economic_government.csv": [
        ("501", "1", "机关工资福利支出", "Wages and benefits of agencies", ""),
        ("50101", "2", "工资奖金津补贴", "Salaries", "501"),
    ],
}


def write_edition(folder: Path, *, with_level_and_parent: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in SMALL.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            if with_level_and_parent:
                w.writerow(["code", "level", "name_zh", "name_en", "parent"])
                w.writerows(rows)
            else:
                w.writerow(["code", "name_zh"])
                w.writerows([(r[0], r[2]) for r in rows])
    with (folder / "economic_correspondence.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["dept_code", "gov_code", "note"])
        w.writerow(["30101", "50101", "unit=机关; status=official"])
    return folder


def test_edition_from_dir_is_official(tmp_path: Path) -> None:
    edition = Edition.from_dir(write_edition(tmp_path / "2022"), 2022)
    assert len(edition) == sum(len(rows) for rows in SMALL.values())
    assert edition.year == 2022
    code = lookup("2010101", edition=edition)
    assert code.status == "official"
    assert code.parent is not None
    assert code.parent.code == "20101"
    assert {lookup(c, edition=edition).status for c in ("201", "30101", "50101")} == {"official"}
    assert edition.correspond("30101", "机关").code == "50101"
    # a shipped code the small edition lacks is unknown there
    with pytest.raises(UnknownCodeError):
        lookup("2080505", edition=edition)
    # the ambiguous name is resolved by scheme within this edition too
    with pytest.raises(UnknownCodeError):
        edition.lookup("其他一般公共服务支出")


def test_edition_from_dir_derives_level_and_parent(tmp_path: Path) -> None:
    edition = Edition.from_dir(write_edition(tmp_path / "bare", with_level_and_parent=False),
                               2022)
    code = edition.lookup("2010101")
    assert (code.level, code.parent_code) == (3, "20101")
    assert code.ancestor(1).code == "201"
    assert edition.lookup("301").parent is None


def test_edition_from_dir_refuses_a_code_in_the_wrong_file(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "bad")
    with (folder / "functional.csv").open("a", encoding="utf-8") as fh:
        fh.write("30102,2,津贴补贴,Allowances,301\n")
    with pytest.raises(MalformedCodeError) as info:
        Edition.from_dir(folder, 2022)
    assert "functional.csv" in str(info.value)
    assert "30102" in str(info.value)


def test_ledger_validated_against_a_loaded_edition(tmp_path: Path) -> None:
    edition = Edition.from_dir(write_edition(tmp_path / "2022"), 2022)
    records = [
        {"year": 2022, "function": "2010101", "economic": "30101", "amount": "10.00"},
        {"year": 2022, "function": "2019999", "economic": "50101", "amount": "5.00"},
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every code is in the loaded edition
        led = fk.Ledger.from_records(records, edition=edition)
    assert led.edition is edition
    assert led.by("function", level=1, names=True)["function_zh"].tolist() == ["一般公共服务支出"]
    # 2080505 is in the shipped edition but not in this one
    with pytest.warns(UnknownCodeWarning, match="2080505"):
        fk.Ledger.from_records([{"year": 2022, "function": "2080505", "amount": "1"}],
                               edition=edition)


# ---------------------------------------------------------------------------- roll_up
def test_roll_up_plain() -> None:
    codes = ["2010350", "30113", "221", None, "2210201"]
    assert roll_up(codes, level=1).tolist() == ["201", "301", "221", pd.NA, "221"]
    assert roll_up(codes, level=2).tolist() == ["20103", "30113", "221", pd.NA, "22102"]
    assert roll_up(codes, level=3).tolist() == ["2010350", "30113", "221", pd.NA, "2210201"]
    with pytest.raises(ValueError, match="level"):
        roll_up(codes, level=4)


def test_roll_up_categorical() -> None:
    s = pd.Series(["2010350", "30113", None, "2010350", "2210201"], dtype="category",
                  index=[10, 11, 12, 13, 14], name="function")
    out = roll_up(s, level=1)
    assert isinstance(out.dtype, pd.CategoricalDtype)
    assert out.index.tolist() == [10, 11, 12, 13, 14]
    assert out.name == "function"
    assert out.astype("string").tolist() == ["201", "301", pd.NA, "201", "221"]
    assert sorted(out.cat.categories) == ["201", "221", "301"]


def test_roll_up_categorical_all_missing() -> None:
    s = pd.Series([None, None], dtype="category")
    out = roll_up(s, level=1)
    assert out.isna().all()
    assert len(out) == 2
    assert roll_up(pd.Series([], dtype="category"), level=2).empty


FUNCTION_CODES = sorted(r["code"] for r in ROWS["function"])
ECONOMIC_CODES = sorted(r["code"] for r in [*ROWS["economic_department"],
                                             *ROWS["economic_government"]])


@settings(max_examples=100)
@given(codes=st.lists(st.none() | st.sampled_from(FUNCTION_CODES + ECONOMIC_CODES), max_size=40),
       level=st.sampled_from([1, 2, 3]))
def test_roll_up_is_truncation_for_plain_and_categorical(codes: list[str | None],
                                                         level: int) -> None:
    n = {1: 3, 2: 5, 3: 7}[level]
    expected = [pd.NA if c is None else c[:n] for c in codes]
    assert roll_up(codes, level).tolist() == expected
    cat = roll_up(pd.Series(codes, dtype="category"), level)
    assert cat.astype("string").tolist() == expected
    assert list(cat.cat.categories) == sorted({c for c in expected if c is not pd.NA})
