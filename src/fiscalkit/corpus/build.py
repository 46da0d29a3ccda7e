"""Building a corpus from a folder: every readable disclosure in, every problem reported.

A folder of published disclosures is never clean: a PDF that is a scanned image or not a
PDF at all, a text in an encoding nobody expected, a table with a typo in an amount. One such
file must not stop ten thousand others, and none may vanish unmentioned. :func:`build_corpus`
walks the folder in a fixed (sorted) order and reads

- **dataset folders** (holding ``ledger.csv`` or ``figures.csv``) with
  :func:`fiscalkit.datasets.load_folder`; their contents are not walked further;
- **texts** (``.txt``, ``.text``) with :func:`fiscalkit.disclosure.parse_file`;
- **PDFs and spreadsheets** (``.pdf``, ``.xlsx``, ``.xls``) with
  :func:`fiscalkit.disclosure.read_any`.

Each file or dataset folder becomes one document, whose id is its path relative to the
folder (``texts/a.txt``). A file that raises is one ``error`` row of the report, naming the
error's type and message, and is left out; the others go on. What a reader could not read in
a document it kept (unparsed sentences, the PDF reader's problems, warnings such as unknown
codes) is one ``warning`` row each. Files of any other kind are listed as skipped.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import pandas as pd

from fiscalkit.corpus.core import Corpus, _Stack
from fiscalkit.disclosure.model import Disclosure
from fiscalkit.errors import FiscalkitError, UnknownCodeWarning

__all__ = ["PROBLEM_COLUMNS", "BuildReport", "build_corpus"]

#: Columns of :attr:`BuildReport.problems`.
PROBLEM_COLUMNS: Final = ("path", "doc", "severity", "error", "message")
_TEXT: Final = frozenset({".txt", ".text"})
_DOCUMENT: Final = frozenset({".pdf", ".xlsx", ".xls"})
_DATASET_FILES: Final = ("ledger.csv", "figures.csv")

_Kind = Literal["dataset", "text", "document"]


@dataclass(frozen=True)
class _Entry:
    path: Path
    rel: str
    kind: _Kind


class BuildReport:
    """What :func:`build_corpus` made of a folder: the corpus, and every problem by file.

    ``problems`` has one row per problem (:data:`PROBLEM_COLUMNS`): ``severity`` ``error``
    for a file left out of the corpus, ``warning`` for something unread in a document that
    is in it. ``skipped`` lists the files of kinds no reader takes. Immutable, like the
    corpus: ``problems`` returns a copy.

    >>> from fiscalkit import datasets
    >>> report = build_corpus(datasets.root(), progress=False)
    >>> len(report.corpus) == len(datasets.available()), report.failed
    (True, ())
    >>> print(report.summary().splitlines()[0])  # doctest: +ELLIPSIS
    Read ... (... lines, ... figures) from ... and dataset folders in ... s.
    """

    __slots__ = ("_corpus", "_problems", "_root", "_seconds", "_skipped", "_tried")
    _corpus: Corpus
    _problems: pd.DataFrame
    _root: Path
    _seconds: float
    _skipped: tuple[str, ...]
    _tried: int

    def __init__(self, corpus: Corpus, problems: pd.DataFrame, *, root: str | Path,
                 skipped: Sequence[str] = (), tried: int = 0, seconds: float = 0.0) -> None:
        frame = problems.reindex(columns=list(PROBLEM_COLUMNS)).fillna("").astype("str")
        frame = frame.reset_index(drop=True)
        for name, value in (("_corpus", corpus), ("_problems", frame), ("_root", Path(root)),
                            ("_skipped", tuple(skipped)), ("_tried", tried),
                            ("_seconds", seconds)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a BuildReport is immutable: cannot set {name!r}")

    @property
    def corpus(self) -> Corpus:
        """The documents that could be read."""
        return self._corpus

    @property
    def problems(self) -> pd.DataFrame:
        """One row per problem: ``path``, ``doc``, ``severity``, ``error``, ``message``."""
        return self._problems.copy()

    @property
    def failed(self) -> tuple[str, ...]:
        """The paths (relative to the folder) left out of the corpus, in walk order."""
        errors = self._problems[self._problems["severity"] == "error"]
        return tuple(dict.fromkeys(errors["path"]))

    @property
    def skipped(self) -> tuple[str, ...]:
        """The files not read because no reader takes their kind."""
        return self._skipped

    @property
    def root(self) -> Path:
        """The folder that was read."""
        return self._root

    def summary(self) -> str:
        """A readable account: counts, then each failed file, then warnings by file."""
        c = self._corpus
        out = [f"Read {_n(len(c), 'document')} ({_n(len(c._lines), 'line')}, "
               f"{_n(len(c._figures), 'figure')}) from {_n(self._tried, 'file')} and dataset "
               f"folders in {self._root} in {self._seconds:.1f} s."]
        errors = self._problems[self._problems["severity"] == "error"]
        if len(errors):
            out.append(f"Failed, left out of the corpus: {_n(len(self.failed), 'file')}")
            out += [f"  {p}: {e}: {m}" for p, e, m in zip(errors["path"], errors["error"],
                                                          errors["message"], strict=True)]
        warned = self._problems[self._problems["severity"] == "warning"]
        if len(warned):
            counts = warned.groupby("path", sort=False).size()
            out.append(f"Read with warnings: {_n(len(counts), 'document')} "
                       f"({_n(len(warned), 'warning')})")
            for path, n in counts.items():
                kinds = ", ".join(f"{k} × {v}" for k, v in warned.loc[
                    warned["path"] == path, "error"].value_counts(sort=False).items())
                out.append(f"  {path}: {n} ({kinds})")
        if self._skipped:
            shown = ", ".join(self._skipped[:10]) + (" …" if len(self._skipped) > 10 else "")
            out.append(f"Skipped, no reader for their kind: {_n(len(self._skipped), 'file')}: "
                       f"{shown}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (f"<BuildReport: {len(self._corpus)} documents, {len(self.failed)} failed, "
                f"{int((self._problems['severity'] == 'warning').sum())} warnings>")


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------- walking
def _walk(root: Path) -> tuple[list[_Entry], list[str]]:
    """The dataset folders and readable files under ``root`` (sorted), and the rest."""
    if not root.is_dir():
        raise NotADirectoryError(f"{root} is not a folder")
    if _is_dataset(root):
        return [_Entry(root, root.name, "dataset")], []
    entries: list[_Entry] = []
    skipped: list[str] = []
    for here, dirs, files in os.walk(root):
        base = Path(here)
        dirs.sort()
        for d in list(dirs):
            if _is_dataset(base / d):
                entries.append(_Entry(base / d, (base / d).relative_to(root).as_posix(),
                                      "dataset"))
                dirs.remove(d)
        for name in sorted(files):
            path = base / name
            rel = path.relative_to(root).as_posix()
            suffix = path.suffix.lower()
            if suffix in _TEXT:
                entries.append(_Entry(path, rel, "text"))
            elif suffix in _DOCUMENT:
                entries.append(_Entry(path, rel, "document"))
            else:
                skipped.append(rel)
    entries.sort(key=lambda e: e.rel)
    return entries, skipped


def _is_dataset(folder: Path) -> bool:
    return any((folder / name).is_file() for name in _DATASET_FILES)


# ---------------------------------------------------------------------- reading one entry
_Note = tuple[str, str]  # (kind of problem, message)


def _read(entry: _Entry) -> tuple[Disclosure, list[_Note]]:
    """One document, and what its reader could not read (warnings are caught too)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        disclosure, notes = _read_quietly(entry)
    notes += [(w.category.__name__, str(w.message)) for w in caught]
    return disclosure, notes


def _read_quietly(entry: _Entry) -> tuple[Disclosure, list[_Note]]:
    if entry.kind == "dataset":
        from fiscalkit.datasets import load_folder

        return load_folder(entry.path), []
    if entry.kind == "text":
        from fiscalkit.disclosure.text import parse_file

        parsed = parse_file(entry.path)
        return parsed.disclosure, _unparsed(parsed.unparsed)
    from fiscalkit.disclosure.pdf import read_any

    result = read_any(entry.path)
    problems = [("problem", str(p)) for p in getattr(result, "problems", ())]
    return result.disclosure, _unparsed(result.unparsed) + problems


def _unparsed(items: Iterable[Any]) -> list[_Note]:
    return [("unparsed", f"line {u.line}, column {u.column}: {u.sentence!r} ({u.reason})")
            for u in items]


def _error(rel: str, e: BaseException) -> dict[str, str]:
    return {"path": rel, "doc": "", "severity": "error", "error": type(e).__name__,
            "message": str(e)}


# ---------------------------------------------------------------------- the build
def _progress(items: Sequence[_Entry], show: bool) -> Iterator[_Entry]:
    if not show:
        yield from items
        return
    try:
        from tqdm import tqdm
    except ImportError as e:  # an optional dependency
        raise ImportError("a progress bar needs tqdm: install the extra 'fiscalkit[corpus]' "
                          "(pip install 'fiscalkit[corpus]'), or pass progress=False") from e
    # disable=None: no bar when stderr is not a terminal (a log file, a CI job)
    yield from tqdm(items, desc="reading disclosures", unit="file", disable=None,
                    file=sys.stderr)


def build_corpus(path: str | Path, *, progress: bool = True) -> BuildReport:
    """Read every disclosure under ``path`` into one corpus; report each file that fails.

    See the module documentation for what is read and how documents are named. A file that
    raises any exception is reported (its type and message) and left out; ``KeyboardInterrupt``
    still stops the build. A document that its reader accepted but the corpus refuses (its
    figures and lines are validated together) is reported the same way. ``progress`` shows a
    tqdm bar on a terminal.

    >>> import shutil, tempfile
    >>> from fiscalkit import datasets
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = shutil.copytree(datasets.root() / datasets.available()[0], folder / "good")
    >>> _ = (folder / "broken.pdf").write_bytes(b"not a PDF at all")
    >>> report = build_corpus(folder, progress=False)
    >>> report.corpus.docs, report.failed
    (('good',), ('broken.pdf',))
    >>> report.problems.loc[0, ["path", "severity"]].tolist()
    ['broken.pdf', 'error']
    """
    start = time.perf_counter()
    root = Path(path)
    entries, skipped = _walk(root)
    stack = _Stack()
    problems: list[dict[str, str]] = []
    for entry in _progress(entries, progress):
        try:
            disclosure, notes = _read(entry)
            stack.add(entry.rel, disclosure)  # the disclosure itself is not kept
        except Exception as e:  # one bad file never stops the rest: report it, go on
            problems.append(_error(entry.rel, e))
            continue
        stack.metadata[entry.rel]["path"] = entry.rel
        problems += [{"path": entry.rel, "doc": entry.rel, "severity": "warning", "error": k,
                      "message": m} for k, m in notes]
    corpus, refused = _assemble(stack)
    problems += refused
    failed = {p["path"] for p in refused}
    problems = [p for p in problems if p["severity"] == "error" or p["path"] not in failed]
    order = {e.rel: i for i, e in enumerate(entries)}
    problems.sort(key=lambda p: order.get(p["path"], len(order)))  # stable: walk order
    return BuildReport(corpus, pd.DataFrame(problems, columns=list(PROBLEM_COLUMNS)), root=root,
                       skipped=skipped, tried=len(entries),
                       seconds=time.perf_counter() - start)


def _assemble(stack: _Stack) -> tuple[Corpus, list[dict[str, str]]]:
    """One corpus of all documents; when it is refused, find the documents to blame.

    Validating the whole corpus once is the fast path. Only when it fails are halves
    validated, recursively, down to the single documents the corpus refuses: a few bad
    documents among thousands cost a few validations each, not one per document.
    """
    with warnings.catch_warnings():
        # each file's unknown codes were reported when it was read; the corpus checks again
        warnings.simplefilter("ignore", UnknownCodeWarning)
        try:
            return stack.corpus(), []
        except FiscalkitError:
            pass
        refused = _refused(stack, list(stack.metadata))
        bad = {rel for rel, _ in refused}
        good = [d for d in stack.metadata if d not in bad]
        return stack.corpus(good), [_error(rel, e) for rel, e in refused]


def _refused(stack: _Stack, docs: list[str]) -> list[tuple[str, Exception]]:
    """The documents of ``docs`` that the corpus refuses, each with its error."""
    try:
        stack.corpus(docs)
    except Exception as e:  # the same promise as for reading: report, go on
        if len(docs) == 1:
            return [(docs[0], e)]
        half = len(docs) // 2
        return _refused(stack, docs[:half]) + _refused(stack, docs[half:])
    return []
