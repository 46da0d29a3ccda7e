"""The corpus model: thousands of disclosures, reconciled at once in one vectorised pass.

A province publishes thousands of departmental budgets a year, each with a few hundred
ledger lines and about a hundred stated figures. :func:`fiscalkit.reconcile.reconcile` checks
one :class:`~fiscalkit.disclosure.Disclosure` at a time, a Python step per figure, which is
right for reading one document and far too slow for a province. A :class:`Corpus` holds
every document as **one long ledger frame** (the ledger schema plus ``doc``, the disclosure
id, and ``view``) and **one long stated-figures frame** (:data:`FIGURE_COLUMNS` plus
``doc``). :func:`reconcile_corpus` then checks all of them with whole-column operations:

- selectors and relations are parsed once per *distinct* string, because documents built
  from one template repeat them;
- selectors are evaluated by one sorted group-by per combination of criteria dimensions,
  over ``(doc, view, codes)``, and looked up for every figure at once;
- relations become an edge table (figure → argument), and sums, differences and ratios of
  intervals are computed on whole arrays.

The findings are those of the scalar reconciliation for the rules ``ledger``, ``sum``,
``share``, ``diff``, ``pct_change``, ``same`` and ``le``: the same rule, severity and figures
for every document, in the same order (the heuristic ``home`` rule is not run here). As there,
a relation compares money in 分 whatever unit each figure was printed in. A derived figure
takes the interval of its first relation. Bounds are shown in the unit of the checked figure.
Messages are shorter than the scalar's: they do not search the document for figures that
would explain a gap. One deliberate difference: a selector without ``view`` measures the view
named ``main`` even when it has no lines, as :attr:`Disclosure.ledger
<fiscalkit.disclosure.Disclosure.ledger>` documents. The scalar passes over an empty ``main``
view, because an empty ledger is falsy.

**Exactness.** Each document gets a scale 2·10^k, where k is the most decimals among its
values and precisions. At that scale every value *and every half-quantum* is an integer, so
sums and differences are exact int64 arithmetic. Ratios (shares, percentage changes, the
rounding of a ratio) are never divided out. They are compared by cross-multiplying with the
positive denominator, so no float decides a finding. Floats serve for two things only. They
make the display columns ``expected_lo``, ``expected_hi`` and ``actual``, as
:meth:`~fiscalkit.findings.Report.to_frame` does. And they bound, before any int64 product is
formed, how large it can get. The bound keeps a factor 4 of margin, so a float64 relative error
of 2^-52 cannot turn a product that would overflow into one that looks safe. A row whose bound
reaches 2^62 is evaluated by the same code on object arrays of Python ints and
:class:`~fractions.Fraction`, which are exact at any size. So is a row that involves a number
int64 cannot hold: a huge value, more than 17 decimals, or a derived interval that is a
fraction.

>>> from fiscalkit.corpus import synthetic_corpus
>>> sc = synthetic_corpus(3, lines_per_doc=40, seed=1, error_rate=0.05)
>>> findings = reconcile_corpus(sc.corpus)
>>> errors = findings[findings["severity"] == "error"]
>>> named = {(d, i) for d, ids in zip(errors["doc"], errors["figures"]) for i in ids.split(", ")}
>>> planted = set(zip(sc.planted["doc"], sc.planted["id"]))
>>> len(planted) > 0 and planted <= named
True
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fiscalkit import classification
from fiscalkit.disclosure.model import (
    FIGURE_COLUMNS,
    FIGURE_KINDS,
    RELATIONS,
    Call,
    Disclosure,
    Selector,
    figures_from_frame,
    parse_relation,
    parse_selector,
)
from fiscalkit.errors import (
    DuplicateKeyError,
    FiscalkitError,
    InvalidValueError,
    MissingColumnError,
    UnexpectedColumnError,
)

# The corpus validates lines exactly as a Ledger does, so it reuses the ledger's own checks.
from fiscalkit.ledger import (
    _CATEGORICAL,
    _VOCABULARY,
    CODE_DIMENSIONS,
    COLUMNS,
    DIMENSIONS,
    Ledger,
    _check_codes,
    _check_vocabulary,
    _dimension,
    _duplicated,
    _match,
    _year_column,
    amount_column,
)
from fiscalkit.units import UNITS, fen_per

if TYPE_CHECKING:
    from fiscalkit.corpus.build import BuildReport

__all__ = ["DOCUMENT_COLUMNS", "FINDING_COLUMNS", "LINE_COLUMNS", "PROVINCES", "Corpus",
           "reconcile_corpus"]

Arr = npt.NDArray[Any]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]

#: Columns of the corpus ledger frame: the document, the view, then the ledger schema.
LINE_COLUMNS: Final = ("doc", "view", *COLUMNS)
#: Columns of the frame :func:`reconcile_corpus` returns.
FINDING_COLUMNS: Final = ("doc", "rule", "severity", "figures", "expected_lo", "expected_hi",
                          "actual", "message")
#: Columns of :attr:`Corpus.documents`: each document's id and what its metadata says of it.
DOCUMENT_COLUMNS: Final = ("doc", "name", "entity", "year", "phase", "province", "region",
                           "path")
#: The 31 provincial-level divisions of the mainland, in the order of their GB/T 2260 codes.
PROVINCES: Final = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
)
# short forms as regions are often written (河南安阳, 广西南宁), longest first
_PROVINCE_PREFIXES: Final = tuple(sorted(
    {**{p: p for p in PROVINCES},
     **{p.removesuffix("省").removesuffix("市").removesuffix("自治区").removesuffix("壮族")
        .removesuffix("回族").removesuffix("维吾尔"): p for p in PROVINCES}}.items(),
    key=lambda kv: -len(kv[0])))
_RULES: Final = ("ledger", *RELATIONS)
_SEVERITIES: Final = ("error", "warning", "info")
_MONEY_UNITS: Final = frozenset(s for u in UNITS for s in (u.name, *u.spellings))
_PERCENT: Final = ("%", "％")
_LIMIT: Final = 2**60  # an input at or beyond this is kept exact on objects, not in int64
_BOUND: Final = float(2**62)  # an intermediate bounded below this cannot overflow int64
_POW10: Final = np.array([10**i for i in range(19)], dtype=np.int64)
_FAST_NUMBER: Final = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_VERB: Final = {"sum": "the sum of", "share": "the share", "diff": "the difference",
                "pct_change": "the change", "same": "the same figure as"}


# ---------------------------------------------------------------------- small array helpers
def _ranks(counts: I64) -> I64:
    """0, 1, …, c−1 for each count, concatenated: positions within repeated blocks."""
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    out: I64 = np.arange(total, dtype=np.int64) - np.repeat(starts, counts)
    return out


def _segment_sums(values: Arr, counts: I64) -> Arr:
    """Sums of consecutive segments of ``values`` of the given lengths (empty segments → 0).

    On int64 the cumulative sum may wrap around, but two's-complement arithmetic is modular,
    so each difference is exact whenever the true segment sum fits in int64. Object arrays
    (Python ints, Fractions) are exact outright.
    """
    ends = np.cumsum(counts)
    starts = ends - counts
    zero = np.zeros(1, dtype=values.dtype)
    cs = np.concatenate([zero, np.cumsum(values)])
    out: Arr = cs[ends] - cs[starts]
    return out


def _categorical(codes: Arr, categories: Any) -> pd.Categorical:
    """A categorical from int codes (−1 = missing) and its categories."""
    out: pd.Categorical = pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64),
                                                    categories=categories)
    return out


def _bool(a: Any) -> Bool:
    return np.asarray(a, dtype=np.bool_)


def _to_float(x: Any) -> float:
    try:
        return float(x)
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


_FLOAT: Final = np.frompyfunc(_to_float, 1, 1)
_FRACTION: Final = np.frompyfunc(Fraction, 2, 1)


def _float(a: Arr) -> F64:
    """Display floats of an int64 or exact object array."""
    if a.dtype == object:
        return np.asarray(_FLOAT(a), dtype=np.float64) if len(a) else np.zeros(0)
    return a.astype(np.float64)


def _normalise(x: Any) -> Any:
    """A Fraction that is a whole number, as an int (so int64 can hold it again)."""
    if isinstance(x, Fraction) and x.denominator == 1:
        return x.numerator
    return x


_NORMALISE: Final = np.frompyfunc(_normalise, 1, 1)


def _fits(x: Any) -> bool:
    return type(x) is int and -_LIMIT < x < _LIMIT


_FITS: Final = np.frompyfunc(_fits, 1, 1)


# ---------------------------------------------------------------------- numbers as printed
@dataclass(frozen=True)
class _Numbers:
    """Parsed decimal strings: value = mantissa · 10^exponent, as :class:`Decimal` reads it."""

    mant: I64  # mantissa where |mantissa| < 10**18, else 0
    wide: Bool  # the mantissa is 10**18 or more: only ``big`` holds it
    big: Arr | None  # every mantissa as a Python int, when some are wide
    exp: I64  # the Decimal exponent (may be positive: "1E+3")
    bad: Bool  # not a finite number


def _parse_numbers(text: pd.Series) -> _Numbers:
    """Parse each distinct string once: a vectorised fast path for plain decimals, and
    :class:`Decimal` itself for the rest (exponents, full-width digits, spaces), which is
    exactly what :func:`~fiscalkit.disclosure.figures_from_frame` accepts."""
    codes, uniques = pd.factorize(text)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    n = len(u)
    mant = np.zeros(n, dtype=np.int64)
    exp = np.zeros(n, dtype=np.int64)
    bad = np.zeros(n, dtype=np.bool_)
    fast = _bool(u.str.fullmatch(_FAST_NUMBER).fillna(False)) & _bool(u.str.len() <= 18)
    if fast.any():
        f = u[fast]
        body = f.str.lstrip("+-")
        dot = body.str.find(".").to_numpy(dtype=np.int64)
        length = body.str.len().to_numpy(dtype=np.int64)
        digits = body.str.replace(".", "", regex=False)
        m = digits.astype("int64").to_numpy(dtype=np.int64)
        mant[fast] = np.where(f.str.startswith("-").to_numpy(dtype=bool), -m, m)
        exp[fast] = np.where(dot < 0, 0, dot + 1 - length)
    big_values: dict[int, int] = {}
    for i in np.flatnonzero(~fast):  # rare: anything but a plain ASCII decimal
        try:
            d = Decimal(str(u.iloc[i]).strip())
        except ArithmeticError:
            bad[i] = True
            continue
        if not d.is_finite():
            bad[i] = True
            continue
        sign, digit_tuple, exponent = d.as_tuple()
        value = int("".join(map(str, digit_tuple)) or "0") * (-1 if sign else 1)
        exp[i] = int(exponent)
        if abs(value) < 10**18:
            mant[i] = value
        else:
            big_values[int(i)] = value
    big: Arr | None = None
    if big_values:
        big = mant.astype(object)
        for j, value in big_values.items():
            big[j] = value
        big = big[codes]
    wide = np.zeros(n, dtype=np.bool_)
    wide[list(big_values)] = True
    return _Numbers(mant[codes], wide[codes], big, exp[codes], bad[codes])


def _scaled(mant: I64, wide: Bool, big: Arr | None, e: I64) -> tuple[I64, Bool, Arr | None]:
    """mantissa · 2 · 10^e (e ≥ 0) in int64 where it stays below 2^60; exact objects beside."""
    small = ~wide
    magnitude = np.abs(mant).astype(np.float64) * 2.0 * np.power(10.0, np.minimum(e, 300))
    ok = small & (e <= 18) & (magnitude < _LIMIT / 4)
    out = np.zeros(len(mant), dtype=np.int64)
    out[ok] = mant[ok] * (2 * _POW10[e[ok]])
    exotic = ~ok
    exact: Arr | None = None
    if exotic.any():
        exact = out.astype(object)
        source = big if big is not None else mant.astype(object)
        idx = np.flatnonzero(exotic)
        exact[idx] = [int(source[i]) * 2 * 10 ** int(e[i]) for i in idx]
    return out, exotic, exact


# ---------------------------------------------------------------------- the corpus
@dataclass(frozen=True)
class _Expressions:
    """Selectors and relations, parsed once per distinct string and expanded to arrays."""

    # selectors: one row per figure that has one
    sel_fig: I64
    sel_dv: I64  # the (doc, view) it measures
    sel_crit: I64  # index into ``criteria``
    sel_count: Bool  # count(...) rather than sum(...)
    sel_text: Arr  # the selector as written (for messages)
    criteria: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]
    # relations: one row per call instance, edges in call order
    call_fig: I64
    call_idx: I64  # position of the call within the figure's relation
    call_fn: I64  # index into RELATIONS
    call_tmpl: I64  # index into ``templates``
    call_start: I64
    call_nargs: I64
    edge_arg: I64  # figure row of each argument
    templates: tuple[Call, ...]


@dataclass(frozen=True)
class _Prepared:
    """Everything :func:`reconcile_corpus` needs, computed (and validated) once."""

    doc: I64  # per figure: the document's position in ``Corpus.docs``
    id_code: I64
    ids: pd.Index
    s: I64  # the document's scale 2·10^k
    v: I64  # value at that scale
    q: I64  # precision (quantum) at that scale, even
    exotic: Bool  # some of s, v, q does not fit int64: use ``exact``
    exact: dict[str, Arr] | None
    rbn: Bool  # rounded by nature: kind share or unit %
    derived: Bool
    factor: I64  # 分 per unit of the figure as the ledger rule reads it (元 if not money)
    common: I64  # 分 per unit for money, 1 otherwise: relations compare money in 分
    line_dv: I64  # per line: its (doc, view) row in ``Corpus.views``
    expr: _Expressions


class Corpus:
    """Many disclosures as one long ledger frame and one long stated-figures frame.

    ``lines`` has the ledger schema plus ``doc`` and ``view`` (amounts int64 分, or decimal
    strings in ``unit``). ``figures`` has :data:`FIGURE_COLUMNS` plus ``doc``. ``views``
    (``doc``, ``view``) lists each document's views in order. It defaults to the order in
    which they first appear in ``lines``. Pass it to keep a view that has no lines: a
    selector may still measure such a view, and the first view is the default one. Bad
    input raises :mod:`fiscalkit.errors` exceptions naming the row. Validation runs once,
    at construction, and the result is immutable: :attr:`lines` and :attr:`figures` return
    copy-on-write frames.

    >>> lines = pd.DataFrame({"doc": ["a", "a"], "view": "main", "year": 2021,
    ...                       "function": ["2010101", "2050205"], "amount": ["1.50", "2.00"]})
    >>> figures = pd.DataFrame([{"doc": "a", "id": "total", "year": "2021", "label_zh": "合计",
    ...     "label_en": "", "value": "3.5", "unit": "元", "precision": "0.1", "kind": "amount",
    ...     "selector": "sum()", "relation": "", "status": "stated", "sentence": "",
    ...     "note": ""}])
    >>> corpus = Corpus(lines, figures, unit="元")
    >>> corpus, corpus.lines["amount"].tolist()
    (<Corpus: 1 documents, 2 lines, 1 figures>, [150, 200])
    >>> reconcile_corpus(corpus).empty  # 1.50 + 2.00 = 3.5, as stated
    True
    """

    __slots__ = ("_edition", "_figures", "_lines", "_metadata", "_prep", "_views")
    _lines: pd.DataFrame
    _figures: pd.DataFrame
    _views: pd.DataFrame
    _metadata: Mapping[str, Mapping[str, Any]]
    _edition: classification.Edition
    _prep: _Prepared

    def __init__(self, lines: pd.DataFrame, figures: pd.DataFrame, *,
                 views: pd.DataFrame | None = None,
                 metadata: Mapping[str, Mapping[str, Any]] | None = None, unit: str = "分",
                 edition: classification.Edition | None = None) -> None:
        edition = edition or classification.shipped()
        lines_df, views_df, line_dv = _validate_lines(lines, views, unit, edition)
        figures_df, prep = _validate_figures(figures, views_df, line_dv)
        docs = list(views_df["doc"].cat.categories)
        meta = {d: dict((metadata or {}).get(d, {})) for d in docs}
        for d in docs:
            meta[d].setdefault("name", d)
        for name, value in (("_lines", lines_df), ("_figures", figures_df), ("_views", views_df),
                            ("_metadata", meta), ("_edition", edition), ("_prep", prep)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a Corpus is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Corpus is immutable: cannot delete {name!r}")

    @classmethod
    def from_disclosures(cls, disclosures: Mapping[str, Disclosure]) -> Corpus:
        """Stack disclosures (keyed by document id) into one corpus, keeping every view.

        A disclosure without any view is refused
        (:class:`~fiscalkit.errors.InvalidValueError`): a corpus document is its views, and
        it would otherwise vanish.

        >>> from fiscalkit import datasets
        >>> d = datasets.load(datasets.available()[0])
        >>> c = Corpus.from_disclosures({"a": d, "b": d})
        >>> c.docs, len(c.lines) == 2 * sum(len(v) for v in d.views.values())
        (('a', 'b'), True)
        """
        stack = _Stack()
        for doc, d in disclosures.items():
            stack.add(str(doc), d)
        return stack.corpus()

    # ------------------------------------------------------------------ access
    @property
    def lines(self) -> pd.DataFrame:
        """All ledger lines (``doc``, ``view``, the ledger schema; amounts int64 分)."""
        return self._lines.copy(deep=False)

    @property
    def figures(self) -> pd.DataFrame:
        """All stated figures (``doc`` + :data:`FIGURE_COLUMNS`, as text)."""
        return self._figures.copy(deep=False)

    @property
    def views(self) -> pd.DataFrame:
        """Each document's views in order (``doc``, ``view``)."""
        return self._views.copy(deep=False)

    @property
    def docs(self) -> tuple[str, ...]:
        """The document ids, in order."""
        return tuple(str(d) for d in self._views["doc"].cat.categories)

    @property
    def edition(self) -> classification.Edition:
        """The classification edition the lines were validated against."""
        return self._edition

    def __len__(self) -> int:
        return len(self._views["doc"].cat.categories)

    def __repr__(self) -> str:
        return (f"<Corpus: {len(self)} documents, {len(self._lines)} lines, "
                f"{len(self._figures)} figures>")

    def disclosure(self, doc: str) -> Disclosure:
        """One document as a :class:`Disclosure`: the scalar reconciler's input, for checking."""
        if doc not in self.docs:
            raise InvalidValueError(f"no document {doc!r} in the corpus")
        lines = self._lines[(self._lines["doc"] == doc).to_numpy(dtype=bool)]
        views: dict[str, Ledger] = {}
        for name in self._views.loc[(self._views["doc"] == doc).to_numpy(dtype=bool), "view"]:
            sub = lines[(lines["view"] == name).to_numpy(dtype=bool)]
            views[str(name)] = Ledger(sub.drop(columns=["doc", "view"]).reset_index(drop=True),
                                      unit="分", edition=self._edition,
                                      source=f"corpus {doc} [view {name}]")
        figs = self._figures[(self._figures["doc"] == doc).to_numpy(dtype=bool)]
        figures = figures_from_frame(figs.drop(columns="doc").reset_index(drop=True),
                                     source=f"corpus figures of {doc}")
        return Disclosure(views, figures, dict(self._metadata[doc]))

    @property
    def metadata(self) -> dict[str, dict[str, Any]]:
        """Each document's metadata (a deep copy: the corpus itself stays unchanged).

        >>> from fiscalkit.corpus import synthetic_corpus
        >>> synthetic_corpus(1, lines_per_doc=10).corpus.metadata["D00000"]["year"]
        2021
        """
        return copy.deepcopy({d: dict(m) for d, m in self._metadata.items()})

    @property
    def documents(self) -> pd.DataFrame:
        """One row per document (:data:`DOCUMENT_COLUMNS`): what its metadata says of it.

        Metadata differ from source to source, so this is the common ground that queries
        group by. ``entity`` is the entity's Chinese name (``entity.name_zh``, or ``entity``
        when it is text); ``region`` is ``region`` or ``entity.region_zh``; ``province`` is
        ``province``, or else the province the region starts with (河南省安阳市 → 河南省);
        ``path`` is the file a built corpus read the document from. Missing values are
        missing, never guessed.

        >>> from fiscalkit import datasets
        >>> c = Corpus.from_disclosures({"d": datasets.load(datasets.available()[0])})
        >>> c.documents[["doc", "year", "phase", "province"]]
          doc  year   phase province
        0   d  2021  budget      河南省
        """
        rows = [_document_row(d, m) for d, m in self._metadata.items()]
        return pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype="Int64" if c == "year"
                                          else "str") for c in DOCUMENT_COLUMNS})

    # ------------------------------------------------------------------ storage and building
    def to_parquet(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Store the corpus as a folder of Parquet tables that DuckDB, Dask and Spark read.

        ``lines/`` is a hive-partitioned dataset (``lines/year=2021/part-0.parquet``) with
        each line's ``province`` alongside; ``figures/``, ``views/`` and ``docs/`` are tables
        of their own; ``manifest.json`` says what the folder holds. See
        :func:`fiscalkit.corpus.store.write_parquet`, which this calls.

        >>> import tempfile
        >>> from fiscalkit.corpus import synthetic_corpus
        >>> corpus = synthetic_corpus(2, lines_per_doc=20).corpus
        >>> folder = corpus.to_parquet(tempfile.mkdtemp() + "/corpus")
        >>> sorted(p.name for p in folder.iterdir())
        ['docs', 'figures', 'lines', 'manifest.json', 'views']
        """
        from fiscalkit.corpus.store import write_parquet

        return write_parquet(self, path, overwrite=overwrite)

    @classmethod
    def from_parquet(cls, path: str | Path, *,
                     edition: classification.Edition | None = None) -> Corpus:
        """Read a corpus :meth:`to_parquet` stored: the same lines, figures, views, metadata.

        The tables are validated again, as any input is (a stored folder may have been
        edited). See :func:`fiscalkit.corpus.store.read_parquet`, which this calls.

        >>> import tempfile
        >>> from fiscalkit.corpus import synthetic_corpus
        >>> corpus = synthetic_corpus(2, lines_per_doc=20).corpus
        >>> back = Corpus.from_parquet(corpus.to_parquet(tempfile.mkdtemp() + "/c"))
        >>> back.lines.equals(corpus.lines), back.figures.equals(corpus.figures)
        (True, True)
        """
        from fiscalkit.corpus.store import read_parquet

        return read_parquet(path, edition=edition)

    @classmethod
    def from_folder(cls, path: str | Path, *, progress: bool = True) -> BuildReport:
        """Read every disclosure under a folder; one bad file never stops the others.

        Returns a :class:`~fiscalkit.corpus.build.BuildReport`: the corpus of what could be
        read, and a row per problem naming its file. See
        :func:`fiscalkit.corpus.build.build_corpus`, which this calls.

        >>> import shutil, tempfile
        >>> from fiscalkit import datasets
        >>> folder = tempfile.mkdtemp()
        >>> _ = shutil.copytree(datasets.root() / datasets.available()[0], folder + "/a")
        >>> report = Corpus.from_folder(folder, progress=False)
        >>> report.corpus.docs, report.failed
        (('a',), ())
        """
        from fiscalkit.corpus.build import build_corpus

        return build_corpus(path, progress=progress)


def _document_row(doc: str, meta: Mapping[str, Any]) -> dict[str, Any]:
    """The flat facts of one document's metadata (see :attr:`Corpus.documents`)."""
    entity = meta.get("entity")
    ent = entity if isinstance(entity, Mapping) else {}
    name = ent.get("name_zh") if ent else entity

    def text(x: Any) -> str | None:
        return x.strip() or None if isinstance(x, str) else None

    region = text(meta.get("region")) or text(ent.get("region_zh"))
    province = text(meta.get("province")) or _province_of(region)
    year = meta.get("year")
    year = int(year) if isinstance(year, int | np.integer) and not isinstance(year, bool) \
        else int(year) if isinstance(year, str) and year.strip().isdigit() else None
    return {"doc": doc, "name": str(meta.get("name", doc)), "entity": text(name), "year": year,
            "phase": text(meta.get("phase")), "province": province, "region": region,
            "path": text(meta.get("path"))}


def _province_of(region: str | None) -> str | None:
    """The provincial-level division a region's name starts with, if any."""
    if region:
        for prefix, province in _PROVINCE_PREFIXES:
            if region.startswith(prefix):
                return province
    return None


# ---------------------------------------------------------------------- stacking documents
class _Stack:
    """Disclosures stacked one by one into compact Arrow tables, for one corpus at the end.

    A folder of ten thousand documents must not be held as ten thousand
    :class:`~fiscalkit.disclosure.Disclosure` objects (a ledger per view, an object per
    figure: about half a megabyte each). Each document is turned into rows of Arrow tables
    as it is added, and every few hundred documents the pieces are merged, so memory grows
    with the data, not with the number of Python objects.
    """

    _MERGE_EVERY: Final = 256

    def __init__(self) -> None:
        self._lines: list[pa.Table] = []
        self._figures: list[pa.Table] = []
        self._pending = 0
        self.views: list[tuple[str, str]] = []
        self.metadata: dict[str, dict[str, Any]] = {}
        self.edition: classification.Edition | None = None

    def add(self, doc: str, d: Disclosure) -> None:
        """Stack one document, all of it or (when it raises) nothing of it.

        A document without any view is refused, naming it: it would otherwise vanish.
        """
        if not d.views:
            raise InvalidValueError("the disclosure has no ledger views",
                                    where=f"document {doc!r}")
        lines: list[pa.Table] = []
        for name, ledger in d.views.items():
            frame = ledger.frame
            columns: dict[str, Any] = {"doc": pa.array(np.full(len(frame), doc, dtype=object),
                                                       pa.string()),
                                       "view": pa.array(np.full(len(frame), name, dtype=object),
                                                        pa.string())}
            for c in COLUMNS:
                columns[c] = (pa.array(frame[c].to_numpy(dtype=np.int64), pa.int64())
                              if c in ("year", "amount") else
                              pa.array(np.asarray(frame[c], dtype=object), pa.string(),
                                       from_pandas=True))
            lines.append(pa.table(columns))
        figs = d.figures_frame().astype("str")
        figs.insert(0, "doc", doc)
        figures = pa.table({c: pa.array(figs[c].to_numpy(dtype=object), pa.string(),
                                        from_pandas=True) for c in ("doc", *FIGURE_COLUMNS)})
        self.edition = self.edition or next(iter(d.views.values())).edition
        self._lines += lines
        self._figures.append(figures)
        self.views += [(doc, str(name)) for name in d.views]
        self.metadata[doc] = dict(d.metadata)
        self._pending += 1
        if self._pending >= self._MERGE_EVERY:
            self._merge()

    def _merge(self) -> None:
        for parts in (self._lines, self._figures):
            if len(parts) > 1:
                parts[:] = [pa.concat_tables(parts).combine_chunks()]
        self._pending = 0

    def frames(self, docs: Sequence[str] | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Lines, figures and views of all documents (or of ``docs``), in the order added."""
        self._merge()
        tables = []
        for parts, columns in ((self._lines, LINE_COLUMNS), (self._figures,
                                                             ("doc", *FIGURE_COLUMNS))):
            table = parts[0] if parts else pa.table(
                {c: pa.array([], pa.int64() if c in ("year", "amount") else pa.string())
                 for c in columns})
            if docs is not None:
                table = table.filter(pc.is_in(table["doc"], value_set=pa.array(docs,
                                                                                pa.string())))
            tables.append(table.to_pandas())
        keep = None if docs is None else set(docs)
        views = pd.DataFrame([v for v in self.views if keep is None or v[0] in keep],
                             columns=["doc", "view"])
        return tables[0], tables[1], views

    def corpus(self, docs: Sequence[str] | None = None) -> Corpus:
        """One corpus of all documents (or of ``docs``), validated once."""
        lines, figures, views = self.frames(docs)
        chosen = self.metadata if docs is None else {d: self.metadata[d] for d in docs}
        return Corpus(lines, figures, views=views, metadata=chosen, unit="分",
                      edition=self.edition)


# ---------------------------------------------------------------------- validation: lines
def _validate_lines(frame: pd.DataFrame, views: pd.DataFrame | None, unit: str,
                    edition: classification.Edition) -> tuple[pd.DataFrame, pd.DataFrame, I64]:
    where = "corpus lines"
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"corpus lines are a DataFrame, not {type(frame).__name__}")
    extra = [c for c in frame.columns if c not in LINE_COLUMNS]
    if extra:
        raise UnexpectedColumnError(
            f"unexpected column(s) {extra}; the corpus ledger schema is {list(LINE_COLUMNS)}",
            where=where)
    for required in ("doc", "view", "year", "amount"):
        if required not in frame.columns:
            raise MissingColumnError(f"missing required column {required!r}", where=where)
    index = frame.index
    columns: dict[str, Any] = {}
    for key in ("doc", "view"):
        cat = _dimension(frame[key])
        missing = cat.codes < 0
        if missing.any():
            row = index[int(np.argmax(missing))]
            raise InvalidValueError(f"missing {key}", where=f"{where}, row {row}, column {key!r}")
        columns[key] = cat
    columns["year"] = _year_column(frame["year"], where, 0)
    for dim in _CATEGORICAL:
        cat = _dimension(frame[dim]) if dim in frame.columns else _dimension(
            pd.Series(np.full(len(frame), None, dtype=object)))
        vocabulary = _VOCABULARY.get(dim)
        if vocabulary is not None:
            _check_vocabulary(cat, dim, vocabulary, where, index, 0)
        if dim in CODE_DIMENSIONS:
            _check_codes(cat, dim, where, edition, index, 0)
        columns[dim] = cat
    columns["amount"] = amount_column(frame["amount"], unit, source=where)
    dup = _duplicated([columns[c] for c in ("doc", "view", *DIMENSIONS)], len(frame))
    if dup.any():
        rows = [index[int(i)] for i in np.flatnonzero(dup)[:5]]
        raise DuplicateKeyError(f"lines with the same document, view and key: rows {rows}",
                                where=where)
    view_table = _view_table(views, columns["doc"], columns["view"])
    docs = pd.Index(pd.unique(view_table["doc"]), dtype="str")
    names = pd.Index(pd.unique(view_table["view"]), dtype="str")
    doc_cat = _recode(columns["doc"], docs)
    view_cat = _recode(columns["view"], names)
    if (doc_cat.codes < 0).any():
        row = int(np.argmax(doc_cat.codes < 0))
        raise InvalidValueError(f"document {columns['doc'][row]!r} is not in the views table",
                                where=f"{where}, row {index[row]}")
    pair_table = (docs.get_indexer(pd.Index(view_table["doc"])).astype(np.int64) * len(names)
                  + names.get_indexer(pd.Index(view_table["view"])))
    pair_lines = doc_cat.codes.astype(np.int64) * len(names) + view_cat.codes
    line_dv = pd.Index(pair_table).get_indexer(pd.Index(pair_lines)).astype(np.int64)
    if (line_dv < 0).any():
        row = int(np.argmax(line_dv < 0))
        raise InvalidValueError(
            f"view {view_cat[row]!r} of document {doc_cat[row]!r} is not in the views table",
            where=f"{where}, row {index[row]}")
    columns["doc"], columns["view"] = doc_cat, view_cat
    out = pd.DataFrame(columns)[list(LINE_COLUMNS)]
    table = pd.DataFrame({"doc": pd.Categorical(view_table["doc"], categories=docs),
                          "view": pd.Series(view_table["view"], dtype="str")})
    return out, table, line_dv


def _recode(cat: pd.Categorical, categories: pd.Index) -> pd.Categorical:
    """The same values over other categories (a value not among them becomes missing)."""
    mapping = np.append(categories.get_indexer(pd.Index(cat.categories, dtype="str")), -1)
    return _categorical(mapping[cat.codes], categories=categories)


def _view_table(views: pd.DataFrame | None, doc: pd.Categorical, view: pd.Categorical
                ) -> pd.DataFrame:
    if views is None:
        pairs = pd.DataFrame({"doc": np.asarray(doc, dtype=object),
                              "view": np.asarray(view, dtype=object)}).drop_duplicates()
        return pairs.reset_index(drop=True).astype("str")
    for col in ("doc", "view"):
        if col not in views.columns:
            raise MissingColumnError(f"missing column {col!r}", where="corpus views")
    table = views[["doc", "view"]].astype("string").fillna("").astype("str")
    table = table.apply(lambda c: c.str.strip())
    if ((table["doc"] == "") | (table["view"] == "")).any():
        raise InvalidValueError("a view without document or name", where="corpus views")
    if table.duplicated().any():
        raise DuplicateKeyError("a (doc, view) pair is listed twice", where="corpus views")
    out: pd.DataFrame = table.reset_index(drop=True)
    return out


# ---------------------------------------------------------------------- validation: figures
def _first(mask: Arr) -> int:
    return int(np.argmax(mask))


def _validate_figures(frame: pd.DataFrame, views: pd.DataFrame, line_dv: I64
                      ) -> tuple[pd.DataFrame, _Prepared]:
    where = "corpus figures"
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"corpus figures are a DataFrame, not {type(frame).__name__}")
    missing = [c for c in ("doc", *FIGURE_COLUMNS) if c not in frame.columns]
    if missing:
        raise MissingColumnError(f"missing column(s) {missing}", where=where)
    text: dict[str, pd.Series] = {}
    for col in ("doc", *FIGURE_COLUMNS):
        column = frame[col]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype("string")
        text[col] = column.fillna("").astype(str).reset_index(drop=True)
    labels = frame.index

    def at(i: int) -> str:
        return f"{where}, row {labels[i]} ({text['doc'].iloc[i]} {text['id'].iloc[i]})"

    docs = pd.Index(views["doc"].cat.categories)
    doc = docs.get_indexer(text["doc"]).astype(np.int64)
    if (doc < 0).any():
        i = _first(doc < 0)
        raise InvalidValueError(f"document {text['doc'].iloc[i]!r} has no views in the corpus",
                                where=at(i))
    id_code, ids = pd.factorize(text["id"])
    id_code = id_code.astype(np.int64)
    key = doc * max(len(ids), 1) + id_code
    bad_id = _bool(text["id"] == "") | pd.Index(key).duplicated()
    if bad_id.any():
        i = _first(bad_id)
        raise InvalidValueError(f"figure id {text['id'].iloc[i]!r} is empty or repeated",
                                where=at(i))
    bad_kind = ~_bool(text["kind"].isin(FIGURE_KINDS))
    if bad_kind.any():
        i = _first(bad_kind)
        raise InvalidValueError(f"kind {text['kind'].iloc[i]!r} is not one of {FIGURE_KINDS}",
                                where=at(i))
    value = _parse_numbers(text["value"])
    if value.bad.any():
        i = _first(value.bad)
        raise InvalidValueError(f"{text['value'].iloc[i]!r} is not a finite number", where=at(i))
    year = _parse_numbers(text["year"])
    if year.bad.any():
        i = _first(year.bad)
        raise InvalidValueError(f"year {text['year'].iloc[i]!r} is not a number", where=at(i))
    stated = _bool(text["precision"].str.strip() != "")
    precision = _parse_numbers(text["precision"].where(stated, "1"))
    if (precision.bad & stated).any():
        i = _first(precision.bad & stated)
        raise InvalidValueError(f"{text['precision'].iloc[i]!r} is not a finite number",
                                where=at(i))
    p_mant = np.where(stated, precision.mant, 1)
    p_exp = np.where(stated, precision.exp, value.exp)  # "362.9" → 0.1, as figures_from_frame
    p_big = None if precision.big is None else np.where(stated, precision.big, 1)
    nonpos = p_mant <= 0 if p_big is None else _bool(p_big <= 0)
    if nonpos.any():
        raise InvalidValueError("precision must be positive", where=at(_first(nonpos)))
    # the document's scale: 2·10^k, k its most decimals among values and precisions
    decimals = np.maximum(np.maximum(-value.exp, -p_exp), 0)
    k_doc = np.zeros(len(docs), dtype=np.int64)
    np.maximum.at(k_doc, doc, decimals)
    k = k_doc[doc]
    p_wide = precision.wide & stated
    v, v_exotic, v_exact = _scaled(value.mant, value.wide, value.big, k + value.exp)
    q, q_exotic, q_exact = _scaled(p_mant, p_wide, p_big, k + p_exp)
    s, s_exotic, s_exact = _scaled(np.ones(len(k), dtype=np.int64), np.zeros(len(k), bool),
                                   None, k)
    exotic = v_exotic | q_exotic | s_exotic
    exact: dict[str, Arr] | None = None
    if exotic.any():
        exact = {"v": v_exact if v_exact is not None else v.astype(object),
                 "q": q_exact if q_exact is not None else q.astype(object),
                 "s": s_exact if s_exact is not None else s.astype(object)}
        v[exotic], q[exotic], s[exotic] = 0, 2, 2
        finer = _bool(exact["v"] % exact["q"] != 0)
    else:
        finer = v % q != 0
    if finer.any():
        i = _first(finer)
        raise InvalidValueError(f"value {text['value'].iloc[i]} has digits finer than its "
                                f"precision {text['precision'].iloc[i]}", where=at(i))
    unit = text["unit"]
    unit_code, units = pd.factorize(unit)
    unit_factor = np.array([fen_per(u) if u in _MONEY_UNITS else fen_per("元") for u in units],
                           dtype=np.int64)
    factor = unit_factor[unit_code] if len(units) else np.zeros(0, dtype=np.int64)
    money = np.array([fen_per(u) if u in _MONEY_UNITS else 1 for u in units], dtype=np.int64)
    common = money[unit_code] if len(units) else np.zeros(0, dtype=np.int64)
    percent = np.array([u in _PERCENT for u in units], dtype=np.bool_)
    rbn = _bool(text["kind"] == "share") | (percent[unit_code] if len(units) else
                                             np.zeros(0, dtype=np.bool_))
    expr = _expressions(text, doc, id_code, ids, views, at)
    prep = _Prepared(doc=doc, id_code=id_code, ids=pd.Index(ids), s=s, v=v, q=q, exotic=exotic,
                     exact=exact, rbn=rbn, derived=_bool(text["status"] == "derived"),
                     factor=factor, common=common, line_dv=line_dv, expr=expr)
    out = pd.DataFrame({c: text[c] for c in FIGURE_COLUMNS}, index=frame.index)
    out.insert(0, "doc", pd.Series(_categorical(doc, docs)))
    return out.reset_index(drop=True), prep


def _parsed(parse: Callable[..., Any], text: str, at: Callable[[int], str], row: int) -> Any:
    """``parse(text)``, naming the row only when it fails (formatting it costs more)."""
    try:
        return parse(text)
    except FiscalkitError:
        return parse(text, where=at(row))


def _expressions(text: Mapping[str, pd.Series], doc: I64, id_code: I64, ids: pd.Index,
                 views: pd.DataFrame, at: Callable[[int], str]) -> _Expressions:
    """Parse selectors and relations once per distinct string; expand them to arrays."""
    n_ids = max(len(ids), 1)
    # ------------------------------------------------------------ selectors
    has_sel = _bool(text["selector"] != "")
    sel_fig = np.flatnonzero(has_sel).astype(np.int64)
    sel_code, sel_strings = pd.factorize(text["selector"][has_sel])
    parsed: list[Selector] = []
    crit_index: dict[tuple[tuple[str, tuple[str, ...]], ...], int] = {}
    crit_of: list[int] = []
    sel_first = sel_fig[np.unique(sel_code, return_index=True)[1]]
    for j, string in enumerate(sel_strings):
        first = int(sel_first[j])
        sel = _parsed(parse_selector, str(string), at, first)
        for dim, values in sel.criteria.items():
            if dim not in DIMENSIONS:
                raise MissingColumnError(f"no dimension {dim!r}; dimensions are {DIMENSIONS}",
                                         where=at(first))
            if dim == "year":
                for value in values:
                    try:
                        int(value)
                    except ValueError:
                        raise InvalidValueError(f"year {value!r} is not a whole number",
                                                where=at(first)) from None
        crit = tuple(sorted(sel.criteria.items()))
        crit_of.append(crit_index.setdefault(crit, len(crit_index)))
        parsed.append(sel)
    view_names = pd.Index(pd.unique(views["view"]))
    view_doc = pd.Index(views["doc"].cat.categories).get_indexer(views["doc"]).astype(np.int64)
    pair = pd.Index(view_doc * len(view_names) + view_names.get_indexer(pd.Index(views["view"])))
    n_docs = len(views["doc"].cat.categories)
    default = np.full(n_docs, -1, dtype=np.int64)
    rows = np.arange(len(views), dtype=np.int64)
    with_views, first_view = np.unique(view_doc, return_index=True)
    default[with_views] = first_view  # the first view of each document …
    is_main = _bool(views["view"] == "main")
    default[view_doc[is_main]] = rows[is_main]  # … unless it has one called main
    named = np.array([-1 if p.view is None else view_names.get_loc(p.view)
                      if p.view in view_names else -2 for p in parsed], dtype=np.int64)
    sel_view = named[sel_code] if len(parsed) else np.zeros(0, dtype=np.int64)
    sel_doc = doc[sel_fig]
    sel_dv = np.where(sel_view == -1, default[sel_doc],
                      pair.get_indexer(pd.Index(sel_doc * len(view_names)
                                                + np.maximum(sel_view, 0))))
    sel_dv = np.where(sel_view == -2, -1, sel_dv).astype(np.int64)
    if (sel_dv < 0).any():
        i = _first(sel_dv < 0)
        view = parsed[int(sel_code[i])].view
        raise InvalidValueError(
            f"figure {text['id'].iloc[int(sel_fig[i])]} measures view {view!r}, which the "
            "document lacks" if view else "the document has no views", where=at(int(sel_fig[i])))
    crit_arr = np.array(crit_of, dtype=np.int64)
    sel_crit = crit_arr[sel_code] if len(parsed) else np.zeros(0, dtype=np.int64)
    counts = np.array([p.stat == "count" for p in parsed], dtype=np.bool_)
    sel_count = counts[sel_code] if len(parsed) else np.zeros(0, dtype=np.bool_)
    sel_text = np.asarray(text["selector"][has_sel], dtype=object)
    # ------------------------------------------------------------ relations
    has_rel = _bool(text["relation"].str.strip() != "")
    rel_fig = np.flatnonzero(has_rel).astype(np.int64)
    rel_code, rel_strings = pd.factorize(text["relation"][has_rel])
    rel_first = rel_fig[np.unique(rel_code, return_index=True)[1]]
    templates: list[Call] = []
    tmpl_first: list[int] = []  # first template of each distinct relation
    tmpl_count: list[int] = []
    for j, string in enumerate(rel_strings):
        calls = _parsed(parse_relation, str(string), at, int(rel_first[j]))
        tmpl_first.append(len(templates))
        tmpl_count.append(len(calls))
        templates.extend(calls)
    rel_code = rel_code.astype(np.int64)
    n_calls = np.array(tmpl_count, dtype=np.int64)[rel_code]
    call_fig = np.repeat(rel_fig, n_calls)
    call_idx = _ranks(n_calls)
    call_tmpl = np.repeat(np.array(tmpl_first, dtype=np.int64)[rel_code], n_calls) + call_idx
    fn_of = np.array([RELATIONS.index(c.fn) for c in templates], dtype=np.int64)
    nargs_of = np.array([len(c.args) for c in templates], dtype=np.int64)
    call_fn = fn_of[call_tmpl]
    call_nargs = nargs_of[call_tmpl]
    call_start = np.cumsum(call_nargs) - call_nargs
    # edges: each argument of each call instance, resolved to a figure row of the same doc
    arg_strings = [a for c in templates for a in c.args]
    arg_id = pd.Index(ids).get_indexer(pd.Index(arg_strings, dtype=object)).astype(np.int64)
    tmpl_arg_start = np.cumsum(nargs_of) - nargs_of
    edge_tmpl = np.repeat(tmpl_arg_start[call_tmpl], call_nargs) + _ranks(call_nargs)
    edge_call = np.repeat(np.arange(len(call_fig), dtype=np.int64), call_nargs)
    edge_id = arg_id[edge_tmpl]
    edge_doc = doc[call_fig[edge_call]]
    figure_key = pd.Index(doc * n_ids + id_code)
    edge_arg = np.where(edge_id < 0, -1,
                        figure_key.get_indexer(edge_doc * n_ids + np.maximum(edge_id, 0)))
    edge_arg = edge_arg.astype(np.int64)
    if (edge_arg < 0).any():
        e = _first(edge_arg < 0)
        c = int(edge_call[e])
        call = templates[int(call_tmpl[c])]
        raise InvalidValueError(
            f"relation {call} names unknown figure(s) [{arg_strings[int(edge_tmpl[e])]!r}]",
            where=at(int(call_fig[c])))
    return _Expressions(sel_fig=sel_fig, sel_dv=sel_dv, sel_crit=sel_crit, sel_count=sel_count,
                        sel_text=sel_text, criteria=tuple(crit_index),
                        call_fig=call_fig, call_idx=call_idx, call_fn=call_fn,
                        call_tmpl=call_tmpl, call_start=call_start, call_nargs=call_nargs,
                        edge_arg=edge_arg, templates=tuple(templates))


# ---------------------------------------------------------------------- exact number store
class _Store:
    """Per-figure numbers at the document's scale: int64, with exact objects where needed.

    ``s``, ``v`` and ``q`` are the scale and the value and precision as printed, which the
    ledger rule and rounding compare. ``vc``, ``lo`` and ``hi`` are the value and its interval
    in common units (分 for money, whatever the unit printed), which relations compare; for a
    derived figure ``lo``/``hi`` are replaced by the interval its first relation gives. This
    is what :class:`fiscalkit.reconcile._Figures` holds.
    """

    def __init__(self, prep: _Prepared) -> None:
        k = prep.common
        half = prep.q // 2
        size = (np.abs(prep.v).astype(np.float64) + prep.q) * k
        self.exotic = prep.exotic | (size >= _LIMIT)
        keep = ~self.exotic  # rows whose common values would overflow are computed exactly
        self.i: dict[str, Arr] = {"s": prep.s, "v": prep.v, "q": prep.q,
                                  "vc": np.where(keep, prep.v * k, 0),
                                  "lo": np.where(keep, (prep.v - half) * k, 0),
                                  "hi": np.where(keep, (prep.v + half) * k, 0)}
        self.x: dict[str, Arr] | None = None
        if self.exotic.any():
            x = dict(prep.exact) if prep.exact is not None else {
                name: self.i[name].astype(object) for name in ("s", "v", "q")}
            ko = k.astype(object)
            x["vc"] = x["v"] * ko
            x["lo"] = (x["v"] - x["q"] // 2) * ko
            x["hi"] = (x["v"] + x["q"] // 2) * ko
            self.x = x

    def get(self, name: str, idx: I64, exact: bool) -> Arr:
        """Values of ``name`` for figure rows ``idx``: int64, or Python ints/Fractions."""
        if not exact:
            out: Arr = self.i[name][idx]
            return out
        if self.x is not None:
            return self.x[name][idx]
        return self.i[name][idx].astype(object)

    def set(self, name: str, idx: I64, values: Arr) -> None:
        """Store exact values; those int64 cannot hold turn their figures exotic."""
        fits = _bool(_FITS(values)) if len(values) else np.zeros(0, dtype=np.bool_)
        self.i[name][idx[fits]] = values[fits].astype(np.int64)
        if self.x is not None:
            self.x[name][idx] = values
        if not fits.all():
            if self.x is None:
                self.x = {k: a.astype(object) for k, a in self.i.items()}
                self.x[name][idx] = values
            self.exotic[idx[~fits]] = True

    def magnitude(self) -> F64:
        """max(|vc|, |lo|, |hi|) per figure, as float: the size bounds are built from."""
        out: F64 = np.maximum(np.abs(self.i["vc"]), np.maximum(np.abs(self.i["lo"]),
                                                               np.abs(self.i["hi"]))
                              ).astype(np.float64)
        return out


def _apply_derived(expr: _Expressions, derived: Bool, st: _Store) -> None:
    """Derived figures take the interval of their first relation, in figure order.

    A derived figure sees the *derived* interval of a derived argument listed before it and
    the stated one of an argument listed after it, as :class:`fiscalkit.reconcile._Figures`
    does. Iterating "every derived figure from the previous round's values of earlier ones"
    reaches that fixed point after as many rounds as the longest chain of derived figures.
    """
    inst = np.flatnonzero((expr.call_idx == 0) & derived[expr.call_fig])
    if not len(inst):
        return
    fig = expr.call_fig[inst]
    fn = expr.call_fn[inst]
    nargs = expr.call_nargs[inst]
    edges = np.repeat(expr.call_start[inst], nargs) + _ranks(nargs)
    owner = np.repeat(np.arange(len(inst), dtype=np.int64), nargs)
    arg = expr.edge_arg[edges]
    slot = np.full(len(derived), -1, dtype=np.int64)
    slot[fig] = np.arange(len(inst))
    base_lo, base_hi = st.get("lo", arg, True), st.get("hi", arg, True)
    own_lo, own_hi = st.get("lo", fig, True), st.get("hi", fig, True)
    scale = st.get("s", fig, True)
    first = np.cumsum(nargs) - nargs
    second = first + np.minimum(nargs - 1, 1)
    lo, hi = own_lo.copy(), own_hi.copy()
    updated = np.zeros(len(inst), dtype=np.bool_)
    arg_slot = slot[arg]
    earlier = (arg_slot >= 0) & (arg < fig[owner])
    for _ in range(len(inst) + 1):
        use = earlier & updated[np.maximum(arg_slot, 0)]
        a_lo = np.where(use, lo[np.maximum(arg_slot, 0)], base_lo)
        a_hi = np.where(use, hi[np.maximum(arg_slot, 0)], base_hi)
        new_lo, new_hi, ok = own_lo.copy(), own_hi.copy(), np.zeros(len(inst), dtype=np.bool_)
        for code, name in enumerate(RELATIONS):
            m = fn == code
            if not m.any() or name == "le":
                continue
            p_lo, p_hi = a_lo[first[m]], a_hi[first[m]]
            w_lo, w_hi = a_lo[second[m]], a_hi[second[m]]
            if name == "sum":
                sel = np.repeat(m, nargs)
                r_lo = _segment_sums(a_lo[sel], nargs[m])
                r_hi = _segment_sums(a_hi[sel], nargs[m])
                good = np.ones(int(m.sum()), dtype=np.bool_)
            elif name == "same":
                r_lo, r_hi, good = p_lo, p_hi, np.ones(int(m.sum()), dtype=np.bool_)
            elif name == "diff":
                r_lo, r_hi, good = p_lo - w_hi, p_hi - w_lo, np.ones(int(m.sum()), dtype=np.bool_)
            else:  # share, pct_change: (numerator interval) / (denominator interval) × 100
                if name == "pct_change":
                    p_lo, p_hi = p_lo - w_hi, p_hi - w_lo
                good = ~(_bool(w_lo <= 0) & _bool(w_hi >= 0))
                w_lo = np.where(good, w_lo, 1)
                w_hi = np.where(good, w_hi, 1)
                k = 100 * scale[m]
                cands = [_FRACTION(k * a, b) for a in (p_lo, p_hi) for b in (w_lo, w_hi)]
                r_lo = _NORMALISE(np.minimum.reduce(cands))
                r_hi = _NORMALISE(np.maximum.reduce(cands))
            idx = np.flatnonzero(m)
            new_lo[idx] = np.where(good, r_lo, own_lo[idx])
            new_hi[idx] = np.where(good, r_hi, own_hi[idx])
            ok[idx] = good
        done = (ok == updated).all() and _bool(new_lo == lo).all() and _bool(new_hi == hi).all()
        lo, hi, updated = new_lo, new_hi, ok
        if done:
            break
    st.set("lo", fig[updated], lo[updated])
    st.set("hi", fig[updated], hi[updated])


# ---------------------------------------------------------------------- the checks
@dataclass
class _Part:
    """Findings of one rule, as arrays (one entry per finding)."""

    rule: int
    fig: I64
    call: I64  # call instance, −1 for the ledger rule
    severity: I64
    lo: F64
    hi: F64
    actual: F64
    point: F64  # what the rule computed (the ledger's value, the relation's value)
    value: F64  # the figure's own value
    checks: int


def _cell(d: Arr, b: Arr, v: Arr) -> Bool:
    """Whether n rounds half away from zero to m, given d = 2(n − m)·b, b > 0, sign(m)=sign(v).

    The cell of m is [m − ½, m + ½) for m > 0, (m − ½, m + ½] for m < 0 and (−½, ½) for 0.
    """
    pos, neg = _bool(v > 0), _bool(v < 0)
    lower = np.where(pos, _bool(d >= -b), _bool(d > -b))
    upper = np.where(neg, _bool(d <= b), _bool(d < b))
    out: Bool = lower & upper
    return out


def _judge(pn: Arr, pd_: Arr, v: Arr, q: Arr, rbn: Bool, ol: Arr, oh: Arr,
           hi_cands: Sequence[tuple[Arr, Arr]], lo_cands: Sequence[tuple[Arr, Arr]]
           ) -> tuple[Bool, Bool, Bool]:
    """The scalar reconciler's verdict on a computed value pn/pd_ (pd_ > 0, at the scale).

    ``ok``: it equals the figure, or rounds to it for a figure rounded by nature.
    ``agrees``: it rounds to the figure. ``meets``: the figure's interval [ol, oh] and the
    computed interval [min, max of the candidates num/den] share a value (half-open cells).
    """
    vpd = v * pd_
    equal = _bool(pn == vpd)
    agrees = _cell(2 * (pn - vpd), pd_ * q, v)
    ok = equal | (rbn & agrees)
    above = np.zeros(len(ok), dtype=np.bool_)
    below = np.zeros(len(ok), dtype=np.bool_)
    for num, den in hi_cands:
        above |= _bool(ol * den < num)
    for num, den in lo_cands:
        below |= _bool(num < oh * den)
    return ok, agrees, above & below


def _split(exact: Bool, run: Callable[[I64, bool], dict[str, Arr]]) -> dict[str, Arr]:
    """Run ``run(rows, exact)`` on the int64 rows and on the exact rows; merge the results."""
    n = len(exact)
    out: dict[str, Arr] = {}
    for flag in (False, True):
        rows = np.flatnonzero(exact == flag).astype(np.int64)
        if not len(rows):
            continue
        res = run(rows, flag)
        for key, values in res.items():
            if key not in out:
                out[key] = np.zeros(n, dtype=values.dtype if values.dtype != object
                                    else np.float64)
            out[key][rows] = values
    return out


def _measure(corpus: Corpus) -> tuple[I64, I64]:
    """Sum (分) and count of the lines each selector selects, for all selectors at once.

    For each combination of criteria dimensions, lines are grouped (sorted) by
    (doc, view, codes); each requested (doc, view, criteria) expands to the categories its
    first dimension matches, finds their groups by binary search, keeps the groups the other
    dimensions match, and sums them.
    """
    prep = corpus._prep
    expr = prep.expr
    lines = corpus._lines
    n_sel = len(expr.sel_fig)
    sums = np.zeros(n_sel, dtype=np.int64)
    counts = np.zeros(n_sel, dtype=np.int64)
    if not n_sel:
        return sums, counts
    amount = lines["amount"].to_numpy(dtype=np.int64)
    dv = prep.line_dv
    n_dv = len(corpus._views)
    codes: dict[str, tuple[I64, int, Callable[[tuple[str, ...]], I64]]] = {}

    def dim_codes(dim: str) -> tuple[I64, int, Callable[[tuple[str, ...]], I64]]:
        """Line codes (0 = unknown), their number, and a matcher: criterion values → codes."""
        if dim not in codes:
            raw: Arr
            if dim == "year":
                raw, uniq = pd.factorize(lines["year"])
                col: pd.Series = pd.Series(np.asarray(uniq))
            else:
                cat = lines[dim].cat
                raw = cat.codes.to_numpy()
                col = pd.Series(_categorical(
                    np.arange(len(cat.categories)), categories=cat.categories))

            match = _matcher(col, dim)

            codes[dim] = (raw.astype(np.int64) + 1, len(col) + 1, match)
        return codes[dim]

    signatures: dict[tuple[str, ...], list[int]] = {}
    for c, crit in enumerate(expr.criteria):
        signatures.setdefault(tuple(d for d, _ in crit), []).append(c)
    for sig, crit_ids in signatures.items():
        local = np.full(len(expr.criteria), -1, dtype=np.int64)
        local[crit_ids] = np.arange(len(crit_ids))
        fmask = local[expr.sel_crit] >= 0
        f_rows = np.flatnonzero(fmask)
        req_key = expr.sel_dv[f_rows] * len(crit_ids) + local[expr.sel_crit[f_rows]]
        uniq, inverse = np.unique(req_key, return_inverse=True)
        req_dv, req_crit = np.divmod(uniq, len(crit_ids))
        if not sig:  # no criteria: the whole view
            order = np.argsort(dv, kind="stable")
            per_dv = np.bincount(dv, minlength=n_dv).astype(np.int64)
            dv_sum = _segment_sums(amount[order], per_dv)
            r_sum, r_cnt = dv_sum[req_dv], per_dv[req_dv]
        else:
            dims = [dim_codes(d) for d in sig]
            sizes = [size for _, size, _ in dims]
            keys = [c for c, _, _ in dims]
            order = np.lexsort((*keys[::-1], dv))  # by dv, then the first dimension, …
            s_keys = [k[order] for k in keys]
            s_dv = dv[order]
            change = np.ones(len(order), dtype=np.bool_)
            if len(order):
                change[1:] = s_dv[1:] != s_dv[:-1]
                for k in s_keys:
                    change[1:] |= k[1:] != k[:-1]
            starts = np.flatnonzero(change)
            g_len = np.diff(np.append(starts, len(order))).astype(np.int64)
            g_sum = _segment_sums(amount[order], g_len)
            g_dv = s_dv[starts]
            g_keys = [k[starts] for k in s_keys]
            prefix = g_dv * sizes[0] + g_keys[0]
            # categories the first dimension matches, per criterion (CSR)
            matched = [dims[0][2](dict(expr.criteria[c])[sig[0]]) for c in crit_ids]
            m_len = np.array([len(m) for m in matched], dtype=np.int64)
            m_codes = np.concatenate([*matched, np.zeros(0, dtype=np.int64)])
            m_off = np.cumsum(m_len) - m_len
            cnt = m_len[req_crit]
            e_req = np.repeat(np.arange(len(uniq), dtype=np.int64), cnt)
            e_code = m_codes[np.repeat(m_off[req_crit], cnt) + _ranks(cnt)]
            probe = req_dv[e_req] * sizes[0] + e_code
            left = np.searchsorted(prefix, probe, "left")
            right = np.searchsorted(prefix, probe, "right")
            span = (right - left).astype(np.int64)
            g_idx = np.repeat(left, span) + _ranks(span)
            g_req = np.repeat(e_req, span)
            keep = np.ones(len(g_idx), dtype=np.bool_)
            for j in range(1, len(sig)):
                pairs = np.concatenate([
                    local_c * sizes[j] + dims[j][2](dict(expr.criteria[c])[sig[j]])
                    for local_c, c in enumerate(crit_ids)] + [np.zeros(0, dtype=np.int64)])
                keep &= np.isin(req_crit[g_req] * sizes[j] + g_keys[j][g_idx], pairs)
            per_req = np.bincount(g_req[keep], minlength=len(uniq)).astype(np.int64)
            r_sum = _segment_sums(g_sum[g_idx[keep]], per_req)
            r_cnt = _segment_sums(g_len[g_idx[keep]], per_req)
        sums[f_rows] = r_sum[inverse]
        counts[f_rows] = r_cnt[inverse]
    return sums, counts


def _matcher(col: pd.Series, dim: str) -> Callable[[tuple[str, ...]], I64]:
    """Criterion values → codes (+1) of the categories they select, as Ledger.select does.

    A code selects every category it is a prefix of (``classification.codes_under``), so the
    prefixes of all categories are indexed once; other dimensions but kind and year match
    exactly. Kind (sub-kinds) and year (integers) have a handful of categories and go through
    the ledger's own matcher.
    """
    if dim in CODE_DIMENSIONS or dim not in ("kind", "year"):
        index: dict[str, list[int]] = {}
        for i, c in enumerate(col.astype(str)):
            for key in ([c[:n] for n in range(len(c) + 1)] if dim in CODE_DIMENSIONS else [c]):
                index.setdefault(key, []).append(i + 1)

        def lookup(values: tuple[str, ...]) -> I64:
            hits = sorted({i for v in values for i in index.get(v, ())})
            return np.array(hits, dtype=np.int64)

        return lookup

    def match(values: tuple[str, ...]) -> I64:
        hit = _match(col, list(values), dim) if len(col) else np.zeros(0, dtype=np.bool_)
        return (np.flatnonzero(hit) + 1).astype(np.int64)

    return match


def _ledger_part(corpus: Corpus, st: _Store) -> _Part:
    """Rule ``ledger``: each figure with a selector against the exact ledger value."""
    prep = corpus._prep
    expr = prep.expr
    fig = expr.sel_fig
    sums, counts = _measure(corpus)
    meas = np.where(expr.sel_count, counts, sums)
    pd64 = np.where(expr.sel_count, 1, prep.factor[fig])
    mag = np.abs(meas).astype(np.float64) * st.i["s"][fig] + (
        np.abs(st.i["v"][fig]) + st.i["q"][fig]).astype(np.float64) * pd64
    exact = st.exotic[fig] | (4 * mag >= _BOUND)

    def run(rows: I64, ex: bool) -> dict[str, Arr]:
        f = fig[rows]
        m = meas[rows].astype(object) if ex else meas[rows]
        d = pd64[rows].astype(object) if ex else pd64[rows]
        v, q, s = st.get("v", f, ex), st.get("q", f, ex), st.get("s", f, ex)
        ok, agrees, _ = _judge(m * s, d, v, q, prep.rbn[f], v, v, [], [])
        return {"ok": ok, "agrees": agrees}

    res = _split(exact, run)
    ok, agrees = _bool(res.get("ok", np.zeros(0))), _bool(res.get("agrees", np.zeros(0)))
    bad = np.flatnonzero(~ok)
    f = fig[bad]
    sev = np.where(agrees[bad], 1, 0).astype(np.int64)
    actual = meas[bad].astype(np.float64) / pd64[bad]
    k = prep.common[f].astype(np.float64)  # the interval is held in common units
    return _Part(0, f, np.full(len(f), -1, dtype=np.int64), sev, _display(st, "lo", f) / k,
                 _display(st, "hi", f) / k, actual, actual, _display(st, "v", f), len(fig))


def _display(st: _Store, name: str, f: I64) -> F64:
    """``name`` of figures ``f`` divided by their scale, as display floats."""
    exact = bool(st.exotic[f].any())
    return _float(st.get(name, f, exact)) / _float(st.get("s", f, exact))


def _relation_part(prep: _Prepared, st: _Store, code: int) -> _Part:
    """Rules ``sum``, ``share``, ``diff``, ``pct_change``, ``same`` and ``le``."""
    expr = prep.expr
    name = RELATIONS[code]
    inst = np.flatnonzero((expr.call_fn == code) & ~prep.derived[expr.call_fig])
    fig = expr.call_fig[inst]
    nargs = expr.call_nargs[inst]
    a = expr.edge_arg[expr.call_start[inst]]
    b = expr.edge_arg[expr.call_start[inst] + np.minimum(nargs - 1, 1)]
    mag = st.magnitude()
    own = mag[fig] + st.i["q"][fig]
    scale = st.i["s"][fig].astype(np.float64)
    if name == "sum":
        edges = np.repeat(expr.call_start[inst], nargs) + _ranks(nargs)
        args = expr.edge_arg[edges]
        exotic = _segment_sums(st.exotic[args].astype(np.int64), nargs) > 0
        bound = _segment_sums(mag[args], nargs) + own
    elif name in ("share", "pct_change"):
        exotic = st.exotic[a] | st.exotic[b]
        numer = mag[a] + (mag[b] if name == "pct_change" else 0.0)
        bound = 100 * scale * numer + own * mag[b]
    else:
        exotic = st.exotic[a] | st.exotic[b]
        bound = mag[a] + mag[b] + own
    exact = exotic | st.exotic[fig] | (4 * bound >= _BOUND)

    def run(rows: I64, ex: bool) -> dict[str, Arr]:
        f, fa, fb = fig[rows], a[rows], b[rows]

        def g(key: str, idx: I64) -> Arr:
            return st.get(key, idx, ex)

        # values and intervals in common units; the precision as printed, because the
        # scalar rounds a computed value at the figure's printed precision
        v, q, s = g("vc", f), g("q", f), g("s", f)
        ol, oh = g("lo", f), g("hi", f)  # f is not derived: its own rounding interval
        n = len(rows)
        info = np.zeros(n, dtype=np.bool_)
        if name == "le":
            above = _bool(v > g("vc", fa))
            warn = _bool(ol < g("hi", fa))
            return {"ok": ~above, "meets": warn, "info": info,
                    "lo": np.full(n, np.nan), "hi": _float(g("hi", fa)) / _float(s),
                    "point": _float(g("vc", fa)) / _float(s)}
        if name == "sum":
            cnt = nargs[rows]
            e = np.repeat(expr.call_start[inst[rows]], cnt) + _ranks(cnt)
            arg = expr.edge_arg[e]
            pn = _segment_sums(g("vc", arg), cnt)
            lo = _segment_sums(g("lo", arg), cnt)
            hi = _segment_sums(g("hi", arg), cnt)
        elif name == "same":
            pn, lo, hi = g("vc", fa), g("lo", fa), g("hi", fa)
        elif name == "diff":
            pn, lo, hi = g("vc", fa) - g("vc", fb), g("lo", fa) - g("hi", fb), \
                g("hi", fa) - g("lo", fb)
        if name in ("sum", "same", "diff"):
            one = np.ones(n, dtype=np.int64).astype(object if ex else np.int64)
            ok, _, meets = _judge(pn, one, v, q, prep.rbn[f], ol, oh, [(hi, one)], [(lo, one)])
            return {"ok": ok, "meets": meets, "info": info, "lo": _float(lo) / _float(s),
                    "hi": _float(hi) / _float(s), "point": _float(pn) / _float(s)}
        # share(p, w) = p / w × 100; pct_change(n, o) = (n − o) / o × 100
        w, w_lo, w_hi = g("vc", fb), g("lo", fb), g("hi", fb)
        if name == "share":
            p, p_lo, p_hi = g("vc", fa), g("lo", fa), g("hi", fa)
        else:
            p, p_lo, p_hi = g("vc", fa) - w, g("lo", fa) - w_hi, g("hi", fa) - w_lo
        info = _bool(w == 0) | (_bool(w_lo <= 0) & _bool(w_hi >= 0))
        sign = np.where(_bool(w > 0), 1, -1)
        hundred = 100 * s
        cands = []
        floats = []
        for num in (p_lo, p_hi):
            for den in (w_lo, w_hi):
                positive = _bool(den > 0)
                cands.append((np.where(positive, hundred * num, -hundred * num),
                              np.where(positive, den, -den)))
                with np.errstate(divide="ignore", invalid="ignore"):
                    floats.append(100 * _float(num) / _float(den))
        ok, _, meets = _judge(hundred * p * sign, np.abs(w), v, q, prep.rbn[f], ol, oh, cands,
                              cands)
        with np.errstate(divide="ignore", invalid="ignore"):
            point = 100 * _float(p) / _float(w)
        return {"ok": ok | info, "meets": meets, "info": info,
                "lo": np.minimum.reduce(floats), "hi": np.maximum.reduce(floats),
                "point": point}

    res = _split(exact, run)
    if not len(inst):
        empty, none = np.zeros(0, dtype=np.int64), np.zeros(0)
        return _Part(code + 1, empty, empty, empty, none, none, none, none, none, 0)
    ok, meets, info = _bool(res["ok"]), _bool(res["meets"]), _bool(res["info"])
    found = np.flatnonzero(~ok | info)
    sev = np.where(info[found], 2, np.where(meets[found], 1, 0)).astype(np.int64)
    f = fig[found]
    v = _display(st, "v", f)
    k = prep.common[f].astype(np.float64)  # shown in the unit the figure was printed in
    lo = np.where(info[found], np.nan, res["lo"][found] / k)
    hi = np.where(info[found], np.nan, res["hi"][found] / k)
    actual = np.where(info[found], np.nan, v)
    return _Part(code + 1, f, inst[found], sev, lo, hi, actual, res["point"][found] / k, v,
                 len(inst))


# ---------------------------------------------------------------------- entry point
def reconcile_corpus(corpus: Corpus) -> pd.DataFrame:
    """Reconcile every document of a corpus in one vectorised pass.

    Returns one row per finding with the columns :data:`FINDING_COLUMNS`: ``doc``, ``rule``,
    ``severity``, ``figures`` (the ids involved, comma-separated, the checked figure first),
    ``expected_lo``/``expected_hi`` (the interval the check allowed, as floats for display),
    ``actual`` and an English ``message``. Per document the rows are those of
    :func:`fiscalkit.reconcile.reconcile` for the rules ``ledger``, ``sum``, ``share``,
    ``diff``, ``pct_change``, ``same`` and ``le``, in the same order: errors, then warnings,
    then notes. ``attrs["checks"]`` holds the number of checks run.

    >>> from fiscalkit import datasets
    >>> corpus = Corpus.from_disclosures({"d": datasets.load(datasets.available()[0])})
    >>> found = reconcile_corpus(corpus)
    >>> list(found.columns) == list(FINDING_COLUMNS), found.attrs["checks"] > len(found)
    (True, True)
    """
    prep = corpus._prep
    st = _Store(prep)
    _apply_derived(prep.expr, prep.derived, st)
    parts = [_ledger_part(corpus, st)] + [_relation_part(prep, st, c)
                                          for c in range(len(RELATIONS))]
    out = _assemble(corpus, parts)
    out.attrs["checks"] = sum(p.checks for p in parts)
    return out


def _num(a: F64) -> Any:
    """Display floats as Arrow text, to 12 significant digits ("0.05", not "0.0500000000007")."""
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        digits = np.clip(11 - np.floor(np.log10(np.abs(a))), -300, 300)
        factor = np.power(10.0, np.where(np.isfinite(digits), digits, 0))
        tidy = np.where(np.isfinite(a * factor) & (a != 0), np.round(a * factor) / factor, a)
    return pc.cast(pa.array(tidy, type=pa.float64()), pa.string())


def _join(*parts: Any) -> Any:
    """Concatenate Arrow string arrays and plain strings element-wise."""
    return pc.binary_join_element_wise(*parts, "")


def _assemble(corpus: Corpus, parts: Sequence[_Part]) -> pd.DataFrame:
    """One frame of findings, ordered as the scalar report orders them within a document.

    The text columns are built with Arrow kernels (take, cast, join) on the finding rows
    only, each message form on its own rows, so that a million findings cost seconds.
    """
    prep = corpus._prep
    expr = prep.expr

    def cat(field: str) -> Arr:
        return np.concatenate([getattr(p, field) for p in parts])

    fig, call, sev = cat("fig"), cat("call"), cat("severity")
    rule = np.concatenate([np.full(len(p.fig), p.rule, dtype=np.int64) for p in parts])
    call_idx = np.append(expr.call_idx, -1)[call]  # call −1 (the ledger rule) reads the −1
    # per document: errors, warnings, notes; within each, ledger checks before relation
    # checks, each in figure order (and call order within a figure)
    order = np.lexsort((call_idx, fig, rule > 0, sev, prep.doc[fig]))
    fig, call, rule, sev = fig[order], call[order], rule[order], sev[order]
    lo, hi, actual = cat("lo")[order], cat("hi")[order], cat("actual")[order]
    point, value = cat("point")[order], cat("value")[order]
    tmpl = np.append(expr.call_tmpl, 0)[call]
    columns = {c: pa.array(corpus._figures[c], type=pa.string())
               for c in ("id", "label_zh", "value", "unit")}
    texts = pa.array([str(c) for c in expr.templates], type=pa.string())
    verbs = pa.array([_VERB.get(c.fn, "") for c in expr.templates], type=pa.string())
    n_ids = max(len(prep.ids), 1)
    pieces: list[tuple[I64, Any, Any]] = []  # rows, figure names, messages

    def form(mask: Bool, names: Callable[[I64], Any],
             message: Callable[[I64, Callable[[str], Any], Callable[[Arr], Any]], Any]) -> None:
        rows = np.flatnonzero(mask).astype(np.int64)
        if not len(rows):
            return
        take = pa.array(fig[rows])

        def col(name: str) -> Any:
            return columns[name].take(take)

        def num(values: Arr) -> Any:
            return _num(values[rows])

        pieces.append((rows, names(rows), message(rows, col, num)))

    def label(col: Callable[[str], Any]) -> Any:
        return _join(col("id"), " ", col("label_zh"), " = ", pc.utf8_trim_whitespace(
            col("value")), col("unit"))

    def own_id(rows: I64) -> Any:
        return columns["id"].take(pa.array(fig[rows]))

    def with_args(rows: I64) -> Any:
        # the figure, then its call's arguments, without repeats: once per distinct pair
        codes, uniq = pd.factorize(tmpl[rows] * n_ids + prep.id_code[fig[rows]])
        joined = []
        for key in np.asarray(uniq, dtype=np.int64):
            t, i = divmod(int(key), n_ids)
            joined.append(", ".join(dict.fromkeys([str(prep.ids[i]),
                                                   *expr.templates[t].args])))
        return pa.array(joined, type=pa.string()).take(pa.array(codes))

    ledger = rule == 0
    sel = pa.array(expr.sel_text, type=pa.string())
    sel_pos = np.searchsorted(expr.sel_fig, fig)
    form(ledger & (sev == 1), own_id, lambda r, col, num: _join(
        label(col), " agrees with the ledger's ", num(point), col("unit"),
        " only if it was rounded (by ", num(np.abs(value - point)), col("unit"), ")"))
    form(ledger & (sev == 0), own_id, lambda r, col, num: _join(
        label(col), " but the ledger (", sel.take(pa.array(sel_pos[r])), ") gives ", num(point),
        col("unit"), ": off by ", num(value - point), col("unit"), ", outside its rounding"))
    le = rule == 1 + RELATIONS.index("le")
    other = ~ledger & ~le

    def call_text(r: I64) -> Any:
        return texts.take(pa.array(tmpl[r]))

    form(other & (sev == 2), with_args, lambda r, col, num: _join(
        label(col), ": ", call_text(r), " cannot be checked (division by zero)"))
    form(other & (sev == 1), with_args, lambda r, col, num: _join(
        label(col), " agrees with ", verbs.take(pa.array(tmpl[r])), " ", call_text(r), " = ",
        num(point), " only if figures were rounded (difference ", num(value - point), ")"))
    form(other & (sev == 0), with_args, lambda r, col, num: _join(
        label(col), " contradicts ", call_text(r), " = ", num(point), ": difference ",
        num(value - point), col("unit"), " is outside every rounding (allowed [", num(lo), ", ",
        num(hi), "])"))
    form(le, with_args, lambda r, col, num: _join(
        label(col), " exceeds ", pc.utf8_slice_codeunits(call_text(r), 3, -1), " = ",
        num(point), ", the whole it belongs to"))
    rows = np.concatenate([p[0] for p in pieces] + [np.zeros(0, dtype=np.int64)])
    back = pa.array(np.argsort(rows, kind="stable"))

    def gather(i: int) -> pd.Series:
        if not pieces:
            return pd.Series([], dtype="str")
        chunks = pa.chunked_array([p[i] for p in pieces], type=pa.string())
        return pd.Series(chunks.take(back), dtype="str")

    docs = corpus._views["doc"].cat.categories
    return pd.DataFrame({
        "doc": _categorical(prep.doc[fig], categories=docs),
        "rule": _categorical(rule, categories=list(_RULES)),
        "severity": _categorical(sev, categories=list(_SEVERITIES)),
        "figures": gather(1), "expected_lo": lo, "expected_hi": hi, "actual": actual,
        "message": gather(2),
    }, columns=list(FINDING_COLUMNS))
