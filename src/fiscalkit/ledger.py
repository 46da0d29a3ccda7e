"""The ledger: an immutable table of classified budget lines with exact amounts.

Schema (one row per budget line; every dimension but ``year`` may be unknown, i.e. empty):

============  ===============================================================================
column        meaning
============  ===============================================================================
year          budget year (integer, required)
phase         ``budget`` (年初预算), ``adjusted`` (调整预算) or ``final`` (决算)
entity        the department or unit, as published (Chinese name)
fund          fund source: ``general`` 一般公共预算, ``govfund`` 政府性基金预算,
              ``soe`` 国有资本经营预算, ``special`` 财政专户管理资金, ``unit`` 单位资金, ``other``
kind          ``basic`` 基本支出 (``basic.personnel`` 人员经费, ``basic.public`` 公用经费)
              or ``project`` 项目支出
function      functional code 支出功能分类 (类/款/项: 3/5/7 digits starting 2)
economic      economic code: department scheme 3xx/3xxxx or government scheme 5xx/5xxxx
project       project name as published
amount        the amount. In memory: int64 whole 分. In CSV: a decimal number in 元 (or the
              ``unit`` passed to :meth:`Ledger.from_csv`), exact to the 分, e.g. ``789700.00``
============  ===============================================================================

Only ``year`` and ``amount`` are required columns; an absent dimension column means unknown
on every line. An unexpected column is an error (it is usually a misspelt dimension).

Disclosures publish marginal tables (spending by function, by economic type) and rarely
their cross-tab, so a line may be known in one dimension and unknown in another; the
ledger keeps that honestly rather than guessing.

All operations work on whole columns: dimensions are categoricals, amounts an int64 array,
and pint wraps that array only at the boundary (:attr:`Ledger.amounts`).

>>> import fiscalkit as fk
>>> led = fk.Ledger.from_records([
...     {"year": 2021, "function": "2010350", "economic": "30101", "amount": "789700.00"},
...     {"year": 2021, "function": "2210201", "economic": "30113", "amount": "231600.00"},
... ])
>>> fk.format_amount(led.total(), "万元", with_unit=True)
'102.13万元'
>>> led.by("function", level=1)["amount"].tolist()
[78970000, 23160000]
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import pint

from fiscalkit import classification
from fiscalkit.errors import (
    DuplicateKeyError,
    InvalidAmountError,
    InvalidValueError,
    MalformedCodeError,
    MissingColumnError,
    UnexpectedColumnError,
    UnknownCodeWarning,
)
from fiscalkit.units import FEN, fen_per, ureg

__all__ = ["CODE_DIMENSIONS", "COLUMNS", "DIMENSIONS", "FUNDS", "KINDS", "PHASES", "Ledger"]

#: The dimensions of a line, in column order; together they are the line's key.
DIMENSIONS: Final = ("year", "phase", "entity", "fund", "kind", "function", "economic", "project")
#: The columns of the ledger schema: the dimensions, then ``amount``.
COLUMNS: Final = (*DIMENSIONS, "amount")
#: The dimensions that hold classification codes (rolled up by ``level=``).
CODE_DIMENSIONS: Final = ("function", "economic")
_CATEGORICAL: Final = DIMENSIONS[1:]

#: Budget phases: code → Chinese name.
PHASES: Final = {"budget": "预算", "adjusted": "调整预算", "final": "决算"}
#: Fund sources: code → Chinese name.
FUNDS: Final = {
    "general": "一般公共预算",
    "govfund": "政府性基金预算",
    "soe": "国有资本经营预算",
    "special": "财政专户管理资金",
    "unit": "单位资金",
    "other": "其他资金",
}
#: Kinds of spending: code → Chinese name (``basic.*`` are the parts of ``basic``).
KINDS: Final = {
    "basic": "基本支出",
    "basic.personnel": "人员经费",
    "basic.public": "公用经费",
    "project": "项目支出",
}
_VOCABULARY: Final[dict[str, Mapping[str, str]]] = {"phase": PHASES, "fund": FUNDS, "kind": KINDS}
_FIRST_DIGITS: Final = {"function": ("2",), "economic": ("3", "5")}
_INT64_MAX: Final = int(np.iinfo(np.int64).max)
_BLANK_LINE: Final = re.compile(rb"(?:^|\n)[ \t]*(?:\n|$)")

Selector = str | int | None | Sequence[str | int | None]


class Ledger:
    """An immutable, validated table of budget lines (see the module docstring for the schema).

    >>> led = Ledger.from_records([
    ...     {"year": 2021, "kind": "basic.personnel", "economic": "30101", "amount": "789700.00"},
    ...     {"year": 2021, "kind": "project", "economic": "30226", "amount": "178000.00"},
    ... ])
    >>> led
    <Ledger: 2 lines, total 967700.00元>
    >>> led.select(kind="basic").total()
    <Quantity(78970000, 'fen')>
    >>> old = Ledger.from_records(
    ...     [{"year": 2020, "kind": "basic.personnel", "economic": "30101", "amount": "700000.00"}])
    >>> led.diff(old, on=["economic"])
      economic    amount     other     delta
    0    30101  78970000  70000000   8970000
    1    30226  17800000         0  17800000
    """

    __slots__ = ("_df", "edition", "source")
    _df: pd.DataFrame
    edition: classification.Edition
    source: str | None

    def __init__(self, frame: pd.DataFrame, *, unit: str = "元", source: str | None = None,
                 edition: classification.Edition | None = None, row_offset: int = 0) -> None:
        """Validate ``frame`` and take it as the ledger's lines.

        ``unit`` is the unit of a non-integer-typed ``amount`` column (decimal strings);
        an int64 ``amount`` column is taken as whole 分 when ``unit`` is ``"分"``.
        ``row_offset`` turns positional row numbers into the file's line numbers in errors.
        """
        edition = edition or classification.shipped()
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "edition", edition)
        object.__setattr__(self, "_df", _validate(frame, unit=unit, source=source,
                                                  edition=edition, row_offset=row_offset))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a Ledger is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Ledger is immutable: cannot delete {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:  # pickle and copy without __setattr__
        return (_rebuild, (self._df, self.edition, self.source))

    # ------------------------------------------------------------------ construction
    @classmethod
    def _from_valid(cls, df: pd.DataFrame, edition: classification.Edition,
                    source: str | None = None) -> Ledger:
        """Wrap a frame already in canonical form (the result of an operation)."""
        obj = cls.__new__(cls)
        object.__setattr__(obj, "_df", df)
        object.__setattr__(obj, "edition", edition)
        object.__setattr__(obj, "source", source)
        return obj

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], *, unit: str = "元",
                     edition: classification.Edition | None = None) -> Ledger:
        """Build from dicts; a missing key is an unknown dimension."""
        return cls(pd.DataFrame.from_records(list(records)), unit=unit, edition=edition,
                   source="records")

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, unit: str = "元",
                   edition: classification.Edition | None = None) -> Ledger:
        """Build from a DataFrame in the ledger schema (amounts as decimal strings in ``unit``,
        or int64 whole 分 with ``unit="分"``)."""
        return cls(frame, unit=unit, edition=edition, source="DataFrame")

    @classmethod
    def from_csv(cls, path: str | Path, *, unit: str = "元",
                 edition: classification.Edition | None = None) -> Ledger:
        """Read a CSV in the ledger schema; amounts are exact decimals in ``unit`` (default 元).

        Errors name the file, the line and the column.
        """
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        lines = _line_numbers(Path(path), len(frame))
        if lines is None:  # one physical line per row, header on line 1
            return cls(frame, unit=unit, edition=edition, source=str(path), row_offset=2)
        frame.index = pd.Index(lines)
        return cls(frame, unit=unit, edition=edition, source=str(path))

    @classmethod
    def from_parquet(cls, path: str | Path, *,
                     edition: classification.Edition | None = None) -> Ledger:
        """Read a Parquet file written by :meth:`to_parquet` (amounts int64 分)."""
        frame = pd.read_parquet(path)
        return cls(frame, unit="分", edition=edition, source=str(path))

    @classmethod
    def concat(cls, ledgers: Sequence[Ledger]) -> Ledger:
        """Stack ledgers; duplicate keys across them are an error like within one."""
        if not ledgers:
            raise ValueError("concat needs at least one ledger")
        frame = pd.concat([led.frame for led in ledgers], ignore_index=True)
        return cls(frame, unit="分", edition=ledgers[0].edition, source="concat")

    # ------------------------------------------------------------------ output
    @property
    def frame(self) -> pd.DataFrame:
        """The lines as a DataFrame (amount int64 分).

        Copy-on-write: editing it leaves the ledger alone.
        """
        return self._df.copy(deep=False)

    def to_frame(self, unit: str = "元") -> pd.DataFrame:
        """The lines with ``amount`` as exact decimal strings in ``unit``."""
        df = self.frame
        df["amount"] = format_column(df["amount"].to_numpy(), unit)
        return df

    def to_csv(self, path: str | Path, *, unit: str = "元") -> None:
        """Write the schema's CSV: exact decimal amounts in ``unit``; unknown is empty."""
        self.to_frame(unit).to_csv(path, index=False)

    def to_parquet(self, path: str | Path) -> None:
        """Write Parquet with categorical dimensions and int64 分 amounts."""
        self._df.to_parquet(path, index=False)

    def __len__(self) -> int:
        return len(self._df)

    def __repr__(self) -> str:
        total = _format_fen(int(self._df["amount"].sum()), "元")
        return f"<Ledger: {len(self)} lines, total {total}元>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ledger):
            return NotImplemented
        return _canonical(self._df).equals(_canonical(other._df))

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ money
    @property
    def amounts(self) -> pint.Quantity[Any]:
        """The amount column as one pint quantity over the int64 array (分)."""
        return ureg.Quantity(self._df["amount"].to_numpy(), FEN)

    def total(self) -> pint.Quantity[Any]:
        """The exact total (a pint quantity of whole 分)."""
        return ureg.Quantity(int(self._df["amount"].sum()), FEN)

    # ------------------------------------------------------------------ queries
    def select(self, **criteria: Selector) -> Ledger:
        """The lines matching every criterion.

        A code selects its whole subtree (``function="201"`` takes 2010350 too), a kind its
        sub-kinds (``kind="basic"`` takes ``basic.personnel``), a list any of its values, and
        ``None`` the lines where the dimension is unknown.
        """
        mask = self.mask(**criteria)
        return Ledger._from_valid(self._df[mask].reset_index(drop=True), self.edition, self.source)

    def mask(self, **criteria: Selector) -> npt.NDArray[np.bool_]:
        """The boolean mask behind :meth:`select`."""
        mask = np.ones(len(self._df), dtype=np.bool_)
        for dim, wanted in criteria.items():
            if dim not in DIMENSIONS:
                raise MissingColumnError(f"no dimension {dim!r}; dimensions are {DIMENSIONS}")
            values = list(wanted) if isinstance(wanted, list | tuple) else [wanted]
            mask &= _match(self._df[dim], values, dim)
        return mask

    def by(self, *dims: str, level: int | Mapping[str, int] | None = None,
           names: bool = False) -> pd.DataFrame:
        """Totals by one or more dimensions, code dimensions rolled up to ``level``.

        Unknown is a group of its own (missing in the output), so the groups always add up
        to the ledger's total. ``names=True`` adds ``<dim>_zh`` and ``<dim>_en`` columns.

        >>> import fiscalkit as fk
        >>> led = fk.Ledger.from_records([{"year": 2021, "function": "2080505", "amount": "1"}])
        >>> rows = led.by("function", level=1, names=True).to_dict("records")
        >>> rows  # doctest: +NORMALIZE_WHITESPACE
        [{'function': '208', 'function_zh': '社会保障和就业支出',
          'function_en': 'Social safety net and employment effort', 'amount': 100}]
        """
        if not dims:
            raise ValueError("by() needs at least one dimension")
        keys = [self._key(d, level) for d in dims]
        grouped = self._df["amount"].groupby(keys, observed=True, dropna=False, sort=True).sum()
        out = grouped.reset_index()
        out.columns = [*dims, "amount"]
        if names:
            for d in dims:
                if d in CODE_DIMENSIONS:
                    codes = out[d].astype("string")
                    pos = list(out.columns).index(d) + 1
                    out.insert(pos, f"{d}_zh", self.edition.names(codes, "zh"))
                    out.insert(pos + 1, f"{d}_en", self.edition.names(codes, "en"))
        return out

    def _key(self, dim: str, level: int | Mapping[str, int] | None) -> pd.Series:
        if dim not in DIMENSIONS:
            raise MissingColumnError(f"no dimension {dim!r}; dimensions are {DIMENSIONS}")
        col = self._df[dim]
        lvl = level.get(dim) if isinstance(level, Mapping) else level
        if lvl is not None and dim in CODE_DIMENSIONS:
            return classification.roll_up(col, lvl)
        return col

    def roll_up(self, level: int | Mapping[str, int]) -> Ledger:
        """The same money with codes truncated to ``level`` and equal keys merged."""
        df = self._df.copy()
        for d in CODE_DIMENSIONS:
            lvl = level.get(d) if isinstance(level, Mapping) else level
            if lvl is not None:
                df[d] = classification.roll_up(df[d], lvl)
        out = df.groupby(list(DIMENSIONS), observed=True, dropna=False, sort=True)["amount"].sum()
        return Ledger._from_valid(_categorise(out.reset_index()), self.edition, self.source)

    def pivot(self, index: str, columns: str, *, level: int | Mapping[str, int] | None = None
              ) -> pd.DataFrame:
        """A two-way table of totals (int64 分); absent cells are 0."""
        long = self.by(index, columns, level=level)
        return long.pivot_table(index=index, columns=columns, values="amount", aggfunc="sum",
                                fill_value=0, observed=True, dropna=False).astype("int64")

    def to_cofog(self) -> pd.DataFrame:
        """Totals by COFOG division through the edition's functional crosswalk (at 类 level).

        The shipped crosswalk is a proposal, not an official mapping: the result carries
        each division's weakest ``confidence`` and the ``status``. Money whose function is
        unknown, or whose 类 has no division (预备费, debt repayment), is the row ``unmapped``.
        """
        return self._crosswalk("function", "cofog")

    def to_gfs(self) -> pd.DataFrame:
        """Totals by GFSM 2014 expense category through the economic crosswalk (at 类 level).

        Proposed mapping, like :meth:`to_cofog`; unknown or unmapped money is ``unmapped``.
        """
        return self._crosswalk("economic", "gfsm2014")

    def _crosswalk(self, dim: str, target: Literal["cofog", "gfsm2014"]) -> pd.DataFrame:
        by = self.by(dim, level=1)
        by[dim] = by[dim].astype("string")
        cw = self.edition.crosswalk(target)
        merged = by.merge(cw, left_on=dim, right_on="code", how="left")
        merged["target_code"] = merged["target_code"].replace("", pd.NA).fillna("unmapped")
        merged["target_name"] = merged["target_name"].replace("", pd.NA).fillna("")
        rank = {"high": 3, "medium": 2, "low": 1}
        merged["rank"] = merged["confidence"].map(rank).fillna(0)
        out = merged.groupby(["target_code", "target_name"], sort=True, dropna=False).agg(
            amount=("amount", "sum"), rank=("rank", "min"),
            status=("status", lambda s: ",".join(sorted(set(s.dropna())))))
        out["confidence"] = out.pop("rank").map({3: "high", 2: "medium", 1: "low", 0: "n/a"})
        return out.reset_index().rename(columns={"target_code": target,
                                                 "target_name": f"{target}_name"})

    def diff(self, other: Ledger, *, on: Sequence[str] | None = None,
             level: int | Mapping[str, int] | None = None) -> pd.DataFrame:
        """Line-by-line comparison with ``other``: ``amount``, ``other``, ``delta`` (分).

        ``on`` picks the dimensions to align on (default all but year and phase, so two
        years or a budget and its final accounts compare).
        """
        dims = list(on) if on is not None else [d for d in DIMENSIONS if d not in ("year", "phase")]
        a = self.by(*dims, level=level)
        b = other.by(*dims, level=level).rename(columns={"amount": "other"})
        for d in dims:
            a[d] = a[d].astype("object")
            b[d] = b[d].astype("object")
        # nullable Int64 through the outer merge: a float64 detour would round above 2**53 分
        a["amount"] = a["amount"].astype("Int64")
        b["other"] = b["other"].astype("Int64")
        merged = a.merge(b, on=dims, how="outer")
        merged[["amount", "other"]] = merged[["amount", "other"]].fillna(0).astype("int64")
        merged["delta"] = merged["amount"] - merged["other"]
        return merged


def _rebuild(df: pd.DataFrame, edition: classification.Edition, source: str | None) -> Ledger:
    return Ledger._from_valid(df, edition, source)


# ---------------------------------------------------------------------- validation
def _where(source: str | None, row: Any, column: str | None = None) -> str:
    parts = [source or "ledger", f"row {row}"]
    if column:
        parts.append(f"column {column!r}")
    return ", ".join(parts)


def _label(label: Any, offset: int) -> Any:
    """A row label as the user knows it: plus ``offset`` (a file's line) when it is positional."""
    if isinstance(label, int | np.integer) and not isinstance(label, bool):
        return int(label) + offset
    return label


def _rows(index: pd.Index, mask: npt.ArrayLike, offset: int, limit: int = 5) -> list[Any]:
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))[:limit]
    return [_label(index[int(i)], offset) for i in positions]


def _line_numbers(path: Path, rows: int) -> list[int] | None:
    """The line on which each data row of a CSV file starts, or ``None`` when that is row + 2.

    pandas skips blank lines and a quoted field may span lines; only in such a file is it read
    a second time (with the csv module) to find the line where each record starts.
    """
    data = path.read_bytes()
    if b'"' not in data and not _BLANK_LINE.search(data.replace(b"\r\n", b"\n").rstrip()):
        return None
    starts: list[int] = []
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.reader(fh)
        line = 1
        for record in reader:
            if len(record) > 1 or (record and record[0].strip()):  # pandas skips blank lines
                starts.append(line)
            line = reader.line_num + 1
    starts = starts[1:]  # the header
    return starts if len(starts) == rows else None


def _validate(frame: pd.DataFrame, *, unit: str, source: str | None,
              edition: classification.Edition, row_offset: int) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"a ledger is built from a DataFrame, not {type(frame).__name__}")
    extra = [c for c in frame.columns if c not in COLUMNS]
    if extra:
        raise UnexpectedColumnError(
            f"unexpected column(s) {extra}; the ledger schema is {list(COLUMNS)}",
            where=source or "ledger")
    for required in ("year", "amount"):
        if required not in frame.columns:
            raise MissingColumnError(f"missing required column {required!r}",
                                     where=source or "ledger")
    index = frame.index
    columns: dict[str, Any] = {"year": _year_column(frame["year"], source, row_offset)}
    for dim in _CATEGORICAL:
        cat = _dimension(frame[dim]) if dim in frame.columns else _unknown(len(frame))
        vocabulary = _VOCABULARY.get(dim)
        if vocabulary is not None:
            _check_vocabulary(cat, dim, vocabulary, source, index, row_offset)
        if dim in CODE_DIMENSIONS:
            _check_codes(cat, dim, source, edition, index, row_offset)
        columns[dim] = cat
    columns["amount"] = amount_column(frame["amount"], unit, source=source,
                                      row_offset=row_offset)
    dup = _duplicated([columns[d] for d in DIMENSIONS], len(frame))
    if dup.any():
        rows = _rows(index, dup, row_offset)
        raise DuplicateKeyError(
            f"lines with the same key (their amounts would be counted twice): rows {rows}",
            where=source or "ledger")
    return pd.DataFrame(columns)


def _dimension(col: pd.Series) -> pd.Categorical:
    """A dimension column as a categorical of stripped text (sorted categories; empty is
    unknown), computed on the distinct values only."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object)).astype("string").str.strip()
    values = text.to_numpy(dtype=object, na_value="")
    known = values != ""
    new_codes = np.full(len(values) + 1, -1, dtype=np.int64)  # the last slot serves code -1
    sub_codes, categories = pd.factorize(values[known], sort=True)
    new_codes[:-1][known] = sub_codes
    return pd.Categorical.from_codes(new_codes[codes],
                                     categories=pd.Index(categories, dtype="string"))


def _unknown(n: int) -> pd.Categorical:
    return pd.Categorical.from_codes(np.full(n, -1, dtype=np.int64),
                                     categories=pd.Index([], dtype="string"))


def _first_row(cat: pd.Categorical, bad_categories: npt.NDArray[np.bool_]) -> int:
    """Position of the first line whose value is one of the flagged categories."""
    return int(np.argmax(np.isin(cat.codes, np.flatnonzero(bad_categories))))


def _check_vocabulary(cat: pd.Categorical, dim: str, vocabulary: Mapping[str, str],
                      source: str | None, index: pd.Index, row_offset: int) -> None:
    bad = ~np.asarray(cat.categories.isin(list(vocabulary)), dtype=bool)
    if bad.any():
        first = _first_row(cat, bad)
        raise InvalidValueError(
            f"{dim} {cat[first]!r} is not one of {list(vocabulary)}",
            where=_where(source, _label(index[first], row_offset), dim))


def _year_column(col: pd.Series, source: str | None, row_offset: int
                 ) -> npt.NDArray[np.int64]:
    numeric = pd.to_numeric(col, errors="coerce")
    bad = (numeric.isna() | (numeric != numeric.round())).to_numpy(dtype=bool)
    if bad.any():
        first = int(np.argmax(bad))
        value = col.iloc[first]
        what = ("missing year" if pd.isna(value) or not str(value).strip()
                else f"year {value!r} is not a whole number")
        raise InvalidValueError(what, where=_where(source, _label(col.index[first], row_offset),
                                                   "year"))
    return numeric.to_numpy(dtype=np.int64)


def _check_codes(cat: pd.Categorical, dim: str, source: str | None,
                 edition: classification.Edition, index: pd.Index, row_offset: int) -> None:
    cats = pd.Series(cat.categories, dtype="string")
    if cats.empty:
        return
    firsts = _FIRST_DIGITS[dim]
    shaped = (classification.is_well_formed(cats) & cats.str[0].isin(firsts)
              ).to_numpy(dtype=bool, na_value=False)
    if not shaped.all():
        first = _first_row(cat, ~shaped)
        raise MalformedCodeError(
            f"{cat[first]!r} is not a {dim} code (digits starting {'/'.join(firsts)}, "
            f"{'3/5/7' if dim == 'function' else '3/5'} long)",
            where=_where(source, _label(index[first], row_offset), dim))
    unknown = [i for i, c in enumerate(cats) if c not in edition]
    if unknown:
        codes = cat.codes
        details = []
        for i in unknown[:10]:
            code = str(cats.iloc[i])
            row = _label(index[int(np.argmax(codes == i))], row_offset)
            nearest = edition.suggest(code, 3)
            details.append(f"{code} (row {row}, column {dim!r}"
                           + (f", nearest: {', '.join(nearest)})" if nearest else ")"))
        warnings.warn(UnknownCodeWarning(
            f"{source or 'ledger'}: {len(unknown)} {dim} code(s) not in the {edition.year} "
            f"edition, kept: {'; '.join(details)}"), stacklevel=4)


def _duplicated(columns: Sequence[Any], n: int) -> npt.NDArray[np.bool_]:
    """Lines whose values in all ``columns`` equal another line's (missing equals missing).

    The columns' integer codes are combined into one int64 key, re-factorised whenever the
    key space would overflow.
    """
    key = np.zeros(n, dtype=np.int64)
    space = 1
    for col in columns:
        if isinstance(col, pd.Categorical):
            codes = col.codes.astype(np.int64) + 1
            k = len(col.categories) + 1
        else:
            raw, uniques = pd.factorize(col, use_na_sentinel=True)
            codes = raw.astype(np.int64) + 1
            k = len(uniques) + 1
        if space * k >= 2**62:
            compact, uniq = pd.factorize(key)
            key, space = compact.astype(np.int64), len(uniq)
        key = key * k + codes
        space *= k
    return pd.Index(key).duplicated(keep=False)


def amount_column(col: pd.Series, unit: str, *, source: str | None = None,
                  row_offset: int = 0) -> npt.NDArray[np.int64]:
    """Parse a column of amounts into int64 whole 分, exactly and on the whole column.

    Accepts integer columns (in ``unit``) and decimal strings ("789700.00", "７８.９７",
    "1,234.5"); refuses floats, NaN, text and anything finer than the 分, naming the row.
    """
    factor = fen_per(unit)
    limit = _INT64_MAX // factor  # whole units beyond this overflow int64 分

    def fail(message: str, mask: npt.ArrayLike) -> InvalidAmountError:
        rows = _rows(col.index, mask, row_offset)
        return InvalidAmountError(message, where=_where(source, rows[0], "amount"))

    if pd.api.types.is_integer_dtype(col.dtype) and not isinstance(col.dtype, pd.BooleanDtype):
        missing = col.isna().to_numpy(dtype=bool)
        if missing.any():
            raise fail("missing amount", missing)
        ints = col.to_numpy(dtype=np.int64)
        big = (ints >= limit) | (ints <= -limit)
        if big.any():
            raise fail(f"{ints[big][0]} {unit} does not fit in int64 分", big)
        return ints * factor
    if pd.api.types.is_float_dtype(col.dtype):
        if not len(col):
            return np.zeros(0, dtype=np.int64)
        raise fail("float amounts are not exact; pass decimal strings, Decimal or int64 分",
                   np.ones(len(col), dtype=bool))
    if col.dtype == object:
        col = _object_amounts(col, fail)
    s = col.astype("string").str.normalize("NFKC").str.strip().str.replace(",", "", regex=False)
    parts = s.str.extract(r"^(?P<sign>[+-]?)(?P<int>[0-9]{1,18})(?:\.(?P<frac>[0-9]*))?$")
    bad = parts["int"].isna().to_numpy(dtype=bool)
    if bad.any():
        value = col[bad].iloc[0]
        absent = bool(pd.isna(value)) or not str(value).strip()
        raise fail("missing amount" if absent else f"{value!r} is not a number", bad)
    decimals = len(str(factor)) - 1
    frac = parts["frac"].fillna("")
    too_fine = (frac.str.rstrip("0").str.len() > decimals).to_numpy(dtype=bool)
    if too_fine.any():
        raise fail(f"{col[too_fine].iloc[0]!r} {unit} is not exact to the 分 (0.01元)", too_fine)
    whole = parts["int"].astype("int64").to_numpy(dtype=np.int64)
    big = whole >= limit
    if big.any():
        raise fail(f"{col[big].iloc[0]!r} {unit} does not fit in int64 分", big)
    fen = whole * factor
    if decimals:
        frac_fen = frac.str[:decimals].str.ljust(decimals, "0")
        fen = fen + frac_fen.astype("int64").to_numpy(dtype=np.int64)
    sign = np.where((parts["sign"] == "-").to_numpy(dtype=bool), -1, 1)
    signed: npt.NDArray[np.int64] = (sign * fen).astype(np.int64)
    return signed


def _object_amounts(col: pd.Series, fail: Any) -> pd.Series:
    """An object column of amounts as text: Decimal in positional notation, floats refused."""
    values = col.to_numpy(dtype=object)
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if isinstance(v, float | np.floating) and not np.isnan(v):
            mask = np.zeros(len(values), dtype=bool)
            mask[i] = True
            raise fail(f"float {v!r} is not an exact amount; pass a str, Decimal or int", mask)
        out[i] = format(v, "f") if isinstance(v, Decimal) and v.is_finite() else v
    return pd.Series(out, index=col.index, dtype=object)


def format_column(fen: npt.ArrayLike, unit: str = "元") -> pd.Series:
    """int64 分 to exact decimal strings in ``unit`` (vectorised; no rounding, no floats)."""
    factor = fen_per(unit)
    decimals = len(str(factor)) - 1
    a = np.asarray(fen, dtype=np.int64)
    whole = pd.Series(np.abs(a) // factor).astype("string")
    sign = pd.Series(np.where(a < 0, "-", ""), dtype="string")
    if not decimals:
        return sign + whole
    frac = pd.Series(np.abs(a) % factor).astype("string").str.zfill(decimals)
    return sign + whole + "." + frac


def _format_fen(fen: int, unit: str) -> str:
    return str(format_column(np.array([fen]), unit).iloc[0])


def _categorise(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for dim in _CATEGORICAL:
        if not isinstance(out[dim].dtype, pd.CategoricalDtype):
            out[dim] = out[dim].astype("string").astype("category")
    out["year"] = out["year"].astype("int64")
    out["amount"] = out["amount"].astype("int64")
    return out[list(COLUMNS)]


def _canonical(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for dim in _CATEGORICAL:
        out[dim] = out[dim].astype("string")
    return out.sort_values(list(DIMENSIONS), na_position="first").reset_index(drop=True)


def _match(col: pd.Series, values: list[Any], dim: str) -> npt.NDArray[np.bool_]:
    if dim == "year":
        return col.isin([int(v) for v in values if v is not None]).to_numpy(dtype=np.bool_)
    cats = col.cat.categories
    cat_mask: npt.NDArray[np.bool_]
    want_unknown = any(v is None for v in values)
    wanted = [str(v) for v in values if v is not None]
    if dim in CODE_DIMENSIONS:
        cat_mask = classification.codes_under(wanted, cats)
    elif dim == "kind":
        cat_mask = np.array(
            [any(c == w or c.startswith(w + ".") for w in wanted) for c in cats], dtype=np.bool_)
    else:
        cat_mask = np.asarray(cats.isin(wanted), dtype=np.bool_)
    codes = col.cat.codes.to_numpy()
    # position -1 (unknown) reads the appended flag
    return np.append(cat_mask, want_unknown)[codes]
