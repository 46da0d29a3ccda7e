"""The ledger: an immutable table of classified budget lines with exact amounts.

Schema (one row per budget line; every dimension but ``year`` may be unknown, i.e. empty):

============  ===============================================================================
column        meaning
============  ===============================================================================
year          budget year (integer, required)
phase         ``budget`` (年初预算), ``adjusted`` (调整预算) or ``final`` (决算)
entity        the department or unit, as published (Chinese name)
fund          fund source: ``general`` 一般公共预算, ``govfund`` 政府性基金预算, ``soe`` 国有资本经营预算,
              ``special`` 财政专户管理资金, ``unit`` 单位资金, ``other``
kind          ``basic`` 基本支出 (``basic.personnel`` 人员经费, ``basic.public`` 公用经费) or ``project`` 项目支出
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

import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import pint

from fiscalkit import classification
from fiscalkit.errors import (
    DuplicateKeyError,
    InvalidAmountError,
    InvalidValueError,
    MalformedCodeError,
    MissingColumnError,
    UnknownCodeWarning,
)
from fiscalkit.units import FEN, fen_per, ureg

__all__ = ["CODE_DIMENSIONS", "COLUMNS", "DIMENSIONS", "FUNDS", "KINDS", "PHASES", "Ledger"]

DIMENSIONS: Final = ("year", "phase", "entity", "fund", "kind", "function", "economic", "project")
COLUMNS: Final = (*DIMENSIONS, "amount")
CODE_DIMENSIONS: Final = ("function", "economic")
_CATEGORICAL: Final = DIMENSIONS[1:]

PHASES: Final = {"budget": "预算", "adjusted": "调整预算", "final": "决算"}
FUNDS: Final = {
    "general": "一般公共预算",
    "govfund": "政府性基金预算",
    "soe": "国有资本经营预算",
    "special": "财政专户管理资金",
    "unit": "单位资金",
    "other": "其他资金",
}
KINDS: Final = {
    "basic": "基本支出",
    "basic.personnel": "人员经费",
    "basic.public": "公用经费",
    "project": "项目支出",
}
_VOCABULARY: Final[dict[str, Mapping[str, str]]] = {"phase": PHASES, "fund": FUNDS, "kind": KINDS}
_FIRST_DIGITS: Final = {"function": ("2",), "economic": ("3", "5")}

Selector = str | int | None | Sequence[str | int | None]


class Ledger:
    """An immutable, validated table of budget lines (see the module docstring for the schema)."""

    __slots__ = ("_df", "edition", "source")

    def __init__(self, frame: pd.DataFrame, *, unit: str = "元", source: str | None = None,
                 edition: classification.Edition | None = None, row_offset: int = 0) -> None:
        """Validate ``frame`` and take it as the ledger's lines.

        ``unit`` is the unit of a non-integer-typed ``amount`` column (decimal strings);
        an int64 ``amount`` column is taken as whole 分 when ``unit`` is ``"分"``.
        ``row_offset`` turns positional row numbers into the file's line numbers in errors.
        """
        self.source = source
        self.edition = edition or classification.shipped()
        self._df = _validate(frame, unit=unit, source=source, edition=self.edition,
                             row_offset=row_offset)

    # ------------------------------------------------------------------ construction
    @classmethod
    def _from_valid(cls, df: pd.DataFrame, edition: classification.Edition,
                    source: str | None = None) -> Ledger:
        """Wrap a frame already in canonical form (the result of an operation)."""
        obj = cls.__new__(cls)
        obj._df = df
        obj.edition = edition
        obj.source = source
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
        return cls(frame, unit=unit, edition=edition, source=str(path), row_offset=2)

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
        """The lines as a DataFrame (amount int64 分). Copy-on-write: editing it leaves the ledger alone."""
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
    def amounts(self) -> pint.Quantity:
        """The amount column as one pint quantity over the int64 array (分)."""
        return ureg.Quantity(self._df["amount"].to_numpy(), FEN)

    def total(self) -> pint.Quantity:
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

    def mask(self, **criteria: Selector) -> np.ndarray:
        """The boolean mask behind :meth:`select`."""
        mask = np.ones(len(self._df), dtype=bool)
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
        >>> led.by("function", level=1, names=True).to_dict("records")
        [{'function': '208', 'function_zh': '社会保障和就业支出', 'function_en': 'Social safety net and employment effort', 'amount': 100}]
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
                    pos = out.columns.get_loc(d) + 1
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
        merged = a.merge(b, on=dims, how="outer")
        merged[["amount", "other"]] = merged[["amount", "other"]].fillna(0).astype("int64")
        merged["delta"] = merged["amount"] - merged["other"]
        return merged


# ---------------------------------------------------------------------- validation
def _where(source: str | None, row: Any, column: str | None = None) -> str:
    parts = [source or "ledger", f"row {row}"]
    if column:
        parts.append(f"column {column!r}")
    return ", ".join(parts)


def _rows(index: pd.Index, mask: np.ndarray, offset: int, limit: int = 5) -> list[Any]:
    labels = list(index[mask][:limit])
    return [int(lab) + offset if offset and isinstance(lab, int | np.integer) else lab
            for lab in labels]


def _validate(frame: pd.DataFrame, *, unit: str, source: str | None,
              edition: classification.Edition, row_offset: int) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"a ledger is built from a DataFrame, not {type(frame).__name__}")
    extra = [c for c in frame.columns if c not in COLUMNS]
    if extra:
        raise MissingColumnError(
            f"unexpected column(s) {extra}; the ledger schema is {list(COLUMNS)}",
            where=source or "ledger")
    for required in ("year", "amount"):
        if required not in frame.columns:
            raise MissingColumnError(f"missing required column {required!r}",
                                     where=source or "ledger")
    index = frame.index
    df = pd.DataFrame(index=index)
    df["year"] = _year_column(frame["year"], source, row_offset)
    for dim in _CATEGORICAL:
        col = frame[dim] if dim in frame.columns else pd.Series(pd.NA, index=index, dtype="string")
        col = col.astype("string").str.strip().replace("", pd.NA)
        df[dim] = col
    for dim, vocab in _VOCABULARY.items():
        bad = df[dim].notna() & ~df[dim].isin(list(vocab))
        if bad.any():
            rows = _rows(index, bad.to_numpy(), row_offset)
            raise InvalidValueError(
                f"{dim} {df[dim][bad].iloc[0]!r} is not one of {list(vocab)}",
                where=_where(source, rows[0], dim))
    for dim in CODE_DIMENSIONS:
        _check_codes(df[dim], dim, source, edition, index, row_offset)
    df["amount"] = amount_column(frame["amount"], unit, source=source, row_offset=row_offset)
    dup = df.duplicated(subset=list(DIMENSIONS), keep=False).to_numpy()
    if dup.any():
        rows = _rows(index, dup, row_offset)
        raise DuplicateKeyError(
            f"lines with the same key (their amounts would be counted twice): rows {rows}",
            where=source or "ledger")
    return _categorise(df.reset_index(drop=True))


def _year_column(col: pd.Series, source: str | None, row_offset: int) -> pd.Series:
    numeric = pd.to_numeric(col, errors="coerce")
    bad = numeric.isna() | (numeric != numeric.round())
    if bad.any():
        rows = _rows(col.index, bad.to_numpy(), row_offset)
        raise InvalidValueError(f"year {col[bad].iloc[0]!r} is not a whole number",
                                where=_where(source, rows[0], "year"))
    return numeric.astype("int64")


def _check_codes(col: pd.Series, dim: str, source: str | None,
                 edition: classification.Edition, index: pd.Index, row_offset: int) -> None:
    present = col.dropna()
    if present.empty:
        return
    firsts = _FIRST_DIGITS[dim]
    shaped = classification.is_well_formed(present) & present.str[0].isin(firsts)
    if not shaped.all():
        bad_value = present[~shaped].iloc[0]
        rows = _rows(index, (col == bad_value).fillna(False).to_numpy(), row_offset)
        raise MalformedCodeError(
            f"{bad_value!r} is not a {dim} code (digits starting {'/'.join(firsts)}, "
            f"{'3/5/7' if dim == 'function' else '3/5'} long)",
            where=_where(source, rows[0], dim))
    unknown = sorted(c for c in present.unique() if c not in edition)
    if unknown:
        detail = "; ".join(
            f"{c} (row {_rows(index, (col == c).fillna(False).to_numpy(), row_offset)[0]}"
            + (f", nearest: {', '.join(edition.suggest(c, 3))})" if edition.suggest(c, 3) else ")")
            for c in unknown[:10])
        warnings.warn(UnknownCodeWarning(
            f"{source or 'ledger'}: {len(unknown)} {dim} code(s) not in the {edition.year} "
            f"edition, kept: {detail}"), stacklevel=4)


def amount_column(col: pd.Series, unit: str, *, source: str | None = None,
                  row_offset: int = 0) -> np.ndarray:
    """Parse a column of amounts into int64 whole 分, exactly and on the whole column.

    Accepts integer columns (in ``unit``) and decimal strings ("789700.00", "７８.９７",
    "1,234.5"); refuses floats, NaN, text and anything finer than the 分, naming the row.
    """
    factor = fen_per(unit)
    if pd.api.types.is_integer_dtype(col.dtype) and not isinstance(col.dtype, pd.BooleanDtype):
        if col.isna().any():
            rows = _rows(col.index, col.isna().to_numpy(), row_offset)
            raise InvalidAmountError("missing amount", where=_where(source, rows[0], "amount"))
        return col.to_numpy(dtype=np.int64) * factor
    if pd.api.types.is_float_dtype(col.dtype):
        raise InvalidAmountError(
            "float amounts are not exact; pass decimal strings, Decimal or int64 分",
            where=_where(source, _rows(col.index, np.ones(len(col), bool), row_offset)[0]
                         if len(col) else "-", "amount"))
    s = col.astype("string").str.normalize("NFKC").str.strip().str.replace(",", "", regex=False)
    parts = s.str.extract(r"^(?P<sign>[+-]?)(?P<int>\d{1,15})(?:\.(?P<frac>\d*))?$")
    bad = parts["int"].isna().to_numpy()
    if bad.any():
        rows = _rows(col.index, bad, row_offset)
        value = col[bad].iloc[0]
        what = "missing amount" if pd.isna(value) else f"{value!r} is not a number"
        raise InvalidAmountError(what, where=_where(source, rows[0], "amount"))
    decimals = len(str(factor)) - 1
    frac = parts["frac"].fillna("")
    too_fine = (frac.str.rstrip("0").str.len() > decimals).to_numpy()
    if too_fine.any():
        rows = _rows(col.index, too_fine, row_offset)
        raise InvalidAmountError(
            f"{col[too_fine].iloc[0]!r} {unit} is not exact to the 分 (0.01元)",
            where=_where(source, rows[0], "amount"))
    frac_fen = frac.str[:decimals].str.ljust(decimals, "0") if decimals else frac.str[:0]
    fen = parts["int"].astype("int64").to_numpy() * factor
    if decimals:
        fen = fen + frac_fen.astype("int64").to_numpy()
    sign = np.where((parts["sign"] == "-").to_numpy(), -1, 1)
    return (sign * fen).astype(np.int64)


def format_column(fen: np.ndarray, unit: str = "元") -> pd.Series:
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


def _match(col: pd.Series, values: list[Any], dim: str) -> np.ndarray:
    if dim == "year":
        return np.asarray(col.isin([int(v) for v in values if v is not None]), dtype=bool)
    cats = col.cat.categories
    cat_mask = np.zeros(len(cats), dtype=bool)
    want_unknown = any(v is None for v in values)
    wanted = [str(v) for v in values if v is not None]
    if dim in CODE_DIMENSIONS:
        cat_mask = classification.codes_under(wanted, cats)
    elif dim == "kind":
        cat_mask = np.array(
            [any(c == w or c.startswith(w + ".") for w in wanted) for c in cats], dtype=bool)
    else:
        cat_mask = np.asarray(cats.isin(wanted), dtype=bool)
    codes = col.cat.codes.to_numpy()
    # position -1 (unknown) reads the appended flag
    return np.append(cat_mask, want_unknown)[codes]
