"""Official budget classifications: functional (支出功能分类) and the two economic schemes.

The code lists are data, shipped per edition (year) under ``fiscalkit/data/classification``
with their provenance (``SOURCES.md``) and a verification status for every row. Codes are
hierarchical strings built by appending digits to the parent (201 → 20103 → 2010350), so
the first digit names the scheme and the length the level:

============  ========================  ==============
first digit   scheme                    levels
============  ========================  ==============
2             ``function`` (功能分类)    类 3, 款 5, 项 7
3             ``economic_department``   类 3, 款 5
5             ``economic_government``   类 3, 款 5
============  ========================  ==============

One :func:`lookup` therefore serves all three. A *malformed* code (wrong digits or length)
is an error; a well-formed code missing from the edition is a :class:`UnknownCodeError`
with the nearest valid codes suggested, because the shipped edition is known to be
incomplete (see ``SOURCES.md``) and a user may load the complete official edition with
:meth:`Edition.from_dir`.

>>> lookup("30113").name_zh
'住房公积金'
>>> lookup("2210201").parent.parent.code
'221'
>>> roll_up(["2010350", "30113", "221"], level=1).tolist()
['201', '301', '221']
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from fiscalkit.errors import MalformedCodeError, MissingColumnError, UnknownCodeError

__all__ = [
    "LEVEL_NAMES",
    "SCHEMES",
    "Code",
    "Edition",
    "UnitType",
    "is_well_formed",
    "lookup",
    "roll_up",
    "scheme_of",
    "shipped",
]

#: The two sides of the economic correspondence: 机关 (agency) and 事业单位 (public institution).
UnitType = Literal["机关", "事业单位"]


@dataclass(frozen=True)
class Scheme:
    """A code scheme: its name, the file holding it and the code length at each level."""

    name: str
    first_digit: str
    file: str
    lengths: tuple[int, ...]


#: The three code schemes, told apart by a code's first digit.
SCHEMES: Final[tuple[Scheme, ...]] = (
    Scheme("function", "2", "functional.csv", (3, 5, 7)),
    Scheme("economic_department", "3", "economic_department.csv", (3, 5)),
    Scheme("economic_government", "5", "economic_government.csv", (3, 5)),
)
_BY_DIGIT: Final = {s.first_digit: s for s in SCHEMES}
#: Chinese names of the levels: 类 (class), 款 (section), 项 (item).
LEVEL_NAMES: Final = {1: "类", 2: "款", 3: "项"}
_LENGTH_OF_LEVEL: Final = {1: 3, 2: 5, 3: 7}

#: Unit types whose economic lines map to the 机关 side of the correspondence.
_UNIT_TYPE_ALIASES: Final[dict[str, UnitType]] = {
    "机关": "机关",
    "行政单位": "机关",
    "参公事业单位": "机关",
    "参照公务员法管理的事业单位": "机关",
    "agency": "机关",
    "事业单位": "事业单位",
    "public_institution": "事业单位",
}


def scheme_of(code: str, *, where: str | None = None) -> Scheme:
    """The scheme a code belongs to, or :class:`MalformedCodeError` if it has no valid shape.

    >>> scheme_of("2010350").name, scheme_of("50101").lengths
    ('function', (3, 5))
    >>> scheme_of("123")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    fiscalkit.errors.MalformedCodeError: '123': codes start with 2 (function), 3 (department ...
    """
    if not isinstance(code, str) or not code.isascii() or not code.isdigit():
        raise MalformedCodeError(f"{code!r} is not a classification code (digits only)",
                                 where=where)
    scheme = _BY_DIGIT.get(code[0])
    if scheme is None:
        raise MalformedCodeError(
            f"{code!r}: codes start with 2 (function), 3 (department economic) or 5 "
            "(government economic)",
            where=where,
        )
    if len(code) not in scheme.lengths:
        raise MalformedCodeError(
            f"{code!r}: {scheme.name} codes have {'/'.join(map(str, scheme.lengths))} digits",
            where=where,
        )
    return scheme


#: Every valid shape in one pattern: a scheme's first digit, then a length valid for it.
_WELL_FORMED: Final = "|".join(
    f"{s.first_digit}(?:{'|'.join(f'[0-9]{{{n - 1}}}' for n in s.lengths)})" for s in SCHEMES)


def is_well_formed(codes: pd.Series) -> pd.Series:
    """Vectorised shape check: digits, a known first digit and a length valid for its scheme.

    >>> is_well_formed(pd.Series(["201", "2010", "30113", "x", None])).tolist()
    [True, False, True, False, False]
    """
    matched = codes.astype("string").str.fullmatch(_WELL_FORMED)
    return matched.fillna(False).astype(bool)


@dataclass(frozen=True)
class Code:
    """One classification code with its names, place in the tree and verification status.

    >>> c = lookup("2010350")
    >>> c.name_zh, c.level_name, c.parent.code, c.ancestor(1).name_zh
    ('事业运行', '项', '20103', '一般公共服务支出')
    >>> [k.code for k in lookup("20103").children][:3]
    ['2010301', '2010302', '2010303']
    """

    code: str
    scheme: str
    level: int
    name_zh: str
    name_en: str
    parent_code: str | None
    status: str = "official"
    sources: str = ""
    note: str = ""
    name_en_source: str = ""
    edition: Edition | None = field(default=None, repr=False, compare=False)

    @property
    def level_name(self) -> str:
        """类, 款 or 项."""
        return LEVEL_NAMES[self.level]

    @property
    def parent(self) -> Code | None:
        """The code one level up, or ``None`` for a 类."""
        if self.parent_code is None or self.edition is None:
            return None
        return self.edition.lookup(self.parent_code)

    @property
    def children(self) -> tuple[Code, ...]:
        """The codes one level down, in code order."""
        if self.edition is None:
            return ()
        return self.edition.children(self.code)

    def ancestor(self, level: int) -> Code:
        """This code's ancestor at ``level`` (itself when already at or above it)."""
        code = self
        while code.level > level and code.parent is not None:
            code = code.parent
        return code


class Edition:
    """One year's edition of the three code lists and the correspondence between the two
    economic schemes.

    Build the shipped edition with :func:`shipped`, or a complete official one from a folder
    of CSV files (same file names and columns as the shipped data) with :meth:`from_dir`.

    >>> ed = shipped()
    >>> len(ed), "301" in ed, ed.get("30119") is None
    (575, True, True)
    >>> ed.names(pd.Series(["201", "301"])).tolist()
    ['一般公共服务支出', '工资福利支出']
    >>> ed.correspond("30101", unit_type="机关").code
    '50101'
    """

    def __init__(self, year: int, frame: pd.DataFrame, correspondence: pd.DataFrame,
                 source: str = "", crosswalks: Mapping[str, pd.DataFrame] | None = None
                 ) -> None:
        self.year = year
        self.source = source
        self._crosswalks = dict(crosswalks or {})
        self.frame = frame.set_index("code", drop=False)
        self.frame.index.name = None
        self.correspondence = correspondence
        self._codes: dict[str, Code] = {}
        for row in frame.to_dict("records"):
            code = _text(row["code"])
            self._codes[code] = Code(
                code=code, scheme=_text(row["scheme"]), level=int(row["level"]),
                name_zh=_text(row["name_zh"]), name_en=_text(row.get("name_en")),
                parent_code=_text(row.get("parent")) or None,
                status=_text(row.get("status")) or "official", sources=_text(row.get("sources")),
                note=_text(row.get("note")), name_en_source=_text(row.get("name_en_source")),
                edition=self,
            )
        by_name: dict[str, list[str]] = {}
        for c in self._codes.values():
            for name in {_fold(c.name_zh), _fold(c.name_en)} - {""}:
                by_name.setdefault(name, []).append(c.code)
        self._by_name = by_name
        children: dict[str, list[str]] = {}
        for c in self._codes.values():
            if c.parent_code:
                children.setdefault(c.parent_code, []).append(c.code)
        self._children = {k: tuple(sorted(v)) for k, v in children.items()}

    def __repr__(self) -> str:
        source = f" from {self.source}" if self.source else ""
        return f"<Edition {self.year}: {len(self._codes)} codes{source}>"

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def __len__(self) -> int:
        return len(self._codes)

    @classmethod
    def from_dir(cls, path: str | Path, year: int) -> Edition:
        """Load an edition from a folder holding ``functional.csv``, ``economic_department.csv``
        and ``economic_government.csv`` (columns ``code, level, name_zh, name_en, parent``),
        optionally ``economic_correspondence.csv`` and ``verification.csv``.

        Rows without a verification file are taken as ``official``: that is the point of
        loading a complete official edition.
        """
        return _load(Path(path), year, source=str(path))

    def get(self, code: str) -> Code | None:
        """The code, or ``None`` when this edition lacks it (malformed codes still raise)."""
        scheme_of(code)
        return self._codes.get(code)

    def lookup(self, key: str, *, scheme: str | None = None) -> Code:
        """Find a code by its digits or by its exact Chinese or English name."""
        key = unicodedata.normalize("NFKC", key).strip()  # full-width digits are digits
        if key.isascii() and key.isdigit():
            found = self.get(key)
            if found is None:
                raise UnknownCodeError(
                    f"{key!r} is not in the {self.year} edition ({scheme_of(key).name})",
                    suggestions=self.suggest(key),
                )
            return found
        codes = [c for c in self._by_name.get(_fold(key), [])
                 if scheme in (None, self._codes[c].scheme)]
        if len(codes) == 1:
            return self._codes[codes[0]]
        if not codes:
            close = difflib.get_close_matches(_fold(key), self._by_name, n=3, cutoff=0.6)
            if not close and _looks_like_code(key):
                # no name and like none: a mangled code ("2010l01", "301 13")
                raise MalformedCodeError(
                    f"{key!r} is not a classification code (digits only) nor the name of one "
                    f"in the {self.year} edition")
            names = [self._codes[self._by_name[n][0]].name_zh for n in close]
            raise UnknownCodeError(f"no code named {key!r} in the {self.year} edition",
                                   suggestions=names)
        raise UnknownCodeError(
            f"{key!r} names several codes ({', '.join(sorted(codes))}); pass scheme= to choose"
        )

    def children(self, code: str) -> tuple[Code, ...]:
        """The codes one level below ``code``."""
        return tuple(self._codes[c] for c in self._children.get(code, ()))

    def suggest(self, code: str, n: int = 5) -> list[str]:
        """The valid codes nearest a mistyped one: same scheme and level, longest shared prefix."""
        same_shape = [c for c in self._codes if len(c) == len(code) and c[0] == code[0]]
        close = difflib.get_close_matches(code, same_shape, n=n, cutoff=0.5)
        return sorted(close, key=lambda c: (-_shared_prefix(c, code), c))

    def names(self, codes: pd.Series, language: Literal["zh", "en"] = "zh") -> pd.Series:
        """Vectorised names for a column of codes (missing where unknown)."""
        column = self.frame[f"name_{language}"]
        return codes.map(column)

    def crosswalk(self, target: Literal["cofog", "gfsm2014"]) -> pd.DataFrame:
        """The crosswalk from this edition's 类 to an international classification.

        Columns ``code`` (a functional or economic 类), ``target_code``, ``target_name``,
        ``confidence``, ``status`` and ``note``. The shipped crosswalks are the compiler's
        **proposals** (``status = proposed``; see SOURCES.md): no official mapping was found.
        An edition loaded with :meth:`from_dir` may ship its own files of the same name.
        """
        crosswalk = self._crosswalks.get(target)
        if crosswalk is None:
            raise UnknownCodeError(f"edition {self.year} has no {target} crosswalk",
                                   suggestions=sorted(self._crosswalks))
        return crosswalk.copy()

    def correspond(self, dept_code: str, unit_type: str = "事业单位") -> Code:
        """The government economic 款 (50x) that a department economic 款 (30x) maps to.

        The mapping depends on the unit: a 机关 (or a 事业单位 managed as civil service) maps
        301 → 501/502, a 事业单位 301 → 50501. ``unit_type`` takes 机关, 事业单位 or an alias.
        """
        kind = _UNIT_TYPE_ALIASES.get(unit_type)
        if kind is None:
            raise UnknownCodeError(
                f"unknown unit type {unit_type!r}", suggestions=sorted(_UNIT_TYPE_ALIASES)
            )
        self.lookup(dept_code)
        c = self.correspondence
        rows = c[c["dept_code"] == dept_code]
        for unit in (kind, "any"):  # a row for this unit type wins over one for any unit
            match = rows[rows["unit"] == unit]
            if not match.empty:
                return self.lookup(str(match["gov_code"].iloc[0]))
        raise UnknownCodeError(f"no correspondence for {dept_code} in a {kind}")


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _looks_like_code(key: str) -> bool:
    """One ASCII token ("abc", "2010l01"), or digits with spaces or punctuation ("301 13")."""
    if not key.isascii():
        return False
    if not any(ch.isspace() for ch in key):
        return True
    return not any(ch.isalpha() for ch in key)


def _text(value: Any) -> str:
    """A cell as text: missing (None, NaN, NA) is the empty string."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _fold(name: str) -> str:
    """Names compare after NFKC (full-width （） equal ASCII ()) and case folding."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _load(folder: Path, year: int, source: str) -> Edition:
    frames = []
    for scheme in SCHEMES:
        path = folder / scheme.file
        f = _read(path)
        for required in ("code", "name_zh"):
            if required not in f.columns:
                raise MissingColumnError(f"missing required column {required!r}",
                                         where=str(path))
        for row, code in enumerate(f["code"], start=2):
            where = f"{path}, row {row}, column 'code'"
            if scheme_of(code, where=where) is not scheme:
                raise MalformedCodeError(f"{code!r} is not a {scheme.name} code", where=where)
        lengths = f["code"].str.len()
        if "level" not in f.columns:
            f["level"] = lengths.map({3: "1", 5: "2", 7: "3"})
        if "parent" not in f.columns:
            f["parent"] = f["code"].str[:-2].where(lengths > 3, "")
        f["scheme"] = scheme.name
        frames.append(f)
    frame = pd.concat(frames, ignore_index=True)
    for col in ("name_en", "name_en_source"):
        if col not in frame:
            frame[col] = ""
    verification = folder / "verification.csv"
    if verification.exists():
        v = _read(verification)[["code", "status", "sources", "note"]]
        frame = frame.merge(v.drop_duplicates("code"), on="code", how="left")
        frame["status"] = frame["status"].fillna("unverified")
    else:
        frame["status"] = "official"
    for col in ("sources", "note"):
        frame[col] = frame[col].fillna("") if col in frame else ""
    corr_path = folder / "economic_correspondence.csv"
    if corr_path.exists():
        corr = _read(corr_path)
        parts = corr["note"].str.extract(r"unit=(?P<unit>[^;]+);\s*status=(?P<status>[^;]+)")
        corr = pd.concat([corr[["dept_code", "gov_code"]], parts], axis=1)
    else:
        corr = pd.DataFrame(columns=["dept_code", "gov_code", "unit", "status"])
    return Edition(year, frame, corr, source=source, crosswalks=_crosswalks(folder))


#: Crosswalk files of an edition folder and the columns they map to the common shape.
_CROSSWALKS: Final = {
    "cofog": ("PROPOSED_functional_to_cofog.csv", "cofog_division", "cofog_name"),
    "gfsm2014": ("PROPOSED_economic_to_gfsm2014.csv", "gfsm_code", "gfsm_name"),
}


def _crosswalks(folder: Path) -> dict[str, pd.DataFrame]:
    out = {}
    for target, (file, code_col, name_col) in _CROSSWALKS.items():
        path = folder / file
        if path.exists():
            f = _read(path).rename(columns={code_col: "target_code", name_col: "target_name"})
            out[target] = f[["code", "name_zh", "target_code", "target_name", "confidence",
                             "status", "note"]]
    return out


@functools.cache
def shipped(year: int = 2021) -> Edition:
    """The edition shipped with fiscalkit (compiled lists; check each row's ``status``).

    >>> ed = shipped(2021)
    >>> ed.year, sorted(set(ed.frame["status"]))
    (2021, ['name_verified', 'unverified', 'verified'])
    """
    folder = resources.files("fiscalkit") / "data" / "classification" / str(year)
    with resources.as_file(folder) as path:
        if not Path(path).is_dir():
            raise UnknownCodeError(f"no classification edition {year} is shipped",
                                   suggestions=["2021"])
        return _load(Path(path), year, source=f"fiscalkit shipped edition {year}")


def lookup(key: str, *, edition: Edition | None = None, scheme: str | None = None) -> Code:
    """Look up a code by digits or exact name in ``edition`` (default: the shipped 2021 edition).

    >>> lookup("2080505").name_zh
    '机关事业单位基本养老保险缴费支出'
    """
    return (edition or shipped()).lookup(key, scheme=scheme)


def roll_up(codes: Iterable[str | None] | pd.Series, level: int) -> pd.Series:
    """Truncate codes to ``level`` (1 类, 2 款, 3 项) on a whole column at once.

    Codes already at or above the level stay as they are; missing codes stay missing.
    A categorical column is rolled up on its categories only, which is what keeps a
    two-million-line roll-up as fast as a plain ``groupby``.

    >>> roll_up(["2010350", "20103", "301", None], level=2).tolist()
    ['20103', '20103', '301', <NA>]
    """
    if level not in _LENGTH_OF_LEVEL:
        raise ValueError(f"level must be 1 (类), 2 (款) or 3 (项), not {level!r}")
    n = _LENGTH_OF_LEVEL[level]
    s = codes if isinstance(codes, pd.Series) else pd.Series(list(codes), dtype="string")
    if isinstance(s.dtype, pd.CategoricalDtype):
        # Truncate the categories (a few hundred), then remap the int codes in one take:
        # position -1 (missing) reads the appended -1.
        truncated = pd.Series(s.cat.categories.astype("string")).str[:n]
        new_codes, uniq = pd.factorize(truncated)
        lookup_codes = np.append(new_codes, -1).astype(np.int32)
        mapped = lookup_codes[s.cat.codes.to_numpy()]
        return pd.Series(
            pd.Categorical.from_codes(mapped, categories=pd.Index(uniq, dtype="string")),
            index=s.index, name=s.name,
        )
    return s.astype("string").str[:n]


def level_of(codes: pd.Series) -> pd.Series:
    """The level (1, 2, 3) of each code in a column, from its length."""
    return codes.astype("string").str.len().map({3: 1, 5: 2, 7: 3}).astype("Int8")


def codes_under(prefixes: Iterable[str], values: pd.Index) -> npt.NDArray[np.bool_]:
    """Boolean mask of ``values`` that equal or descend from any of ``prefixes``.

    Used by ledger selectors: a code selects its whole subtree.
    """
    starts = pd.Series(values.astype("string")).str.startswith(tuple(prefixes))
    return starts.fillna(False).to_numpy(dtype=bool)

