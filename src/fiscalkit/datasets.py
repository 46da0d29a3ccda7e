"""Bundled datasets: curated disclosures loaded as :class:`~fiscalkit.disclosure.Disclosure`.

A dataset is a folder (see ``datasets/*/README.md`` in the repository) holding

- ``ledger.csv`` — the ledger schema plus a ``view`` column naming the published breakdown
  each line belongs to (amounts in 元);
- ``figures.csv`` — every figure the text states (:data:`~fiscalkit.disclosure.FIGURE_COLUMNS`);
- ``metadata.json`` — entity, year, phase, unit of account, staffing, assets, provenance;
- optionally ``indicators.csv`` (performance targets) and ``source.txt`` (the text itself).

Datasets ship inside the wheel (``fiscalkit/_datasets``); in a source checkout they are read
from the repository's ``datasets/`` folder. ``FISCALKIT_DATASETS`` may name another folder.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import pandas as pd

from fiscalkit import classification
from fiscalkit.disclosure.model import Disclosure, figures_from_frame
from fiscalkit.errors import FiscalkitError, MissingColumnError, ParseError
from fiscalkit.ledger import Ledger

__all__ = ["available", "load", "load_folder", "root"]


def root() -> Path:
    """Where the bundled datasets are: ``$FISCALKIT_DATASETS``, the wheel, or the checkout.

    >>> (root() / available()[0] / "figures.csv").is_file()
    True
    """
    env = os.environ.get("FISCALKIT_DATASETS")
    if env:
        return Path(env)
    packaged = Path(str(resources.files("fiscalkit"))) / "_datasets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "datasets"


def available() -> list[str]:
    """Names of the bundled datasets.

    >>> len(available()) >= 1
    True
    """
    base = root()
    return sorted(p.name for p in base.iterdir() if (p / "figures.csv").exists()) \
        if base.is_dir() else []


def load(name: str) -> Disclosure:
    """Load a bundled dataset by name (or any dataset folder by path).

    >>> d = load(available()[0])
    >>> sorted(d.views) == sorted(set(pd.read_csv(root() / available()[0] / "ledger.csv")["view"]))
    True
    """
    path = Path(name)
    if not path.is_dir():
        path = root() / name
    if not path.is_dir():
        raise FiscalkitError(f"no dataset {name!r}; available: {', '.join(available()) or 'none'}")
    return load_folder(path)


def load_folder(path: str | Path, *, edition: classification.Edition | None = None
                ) -> Disclosure:
    """Load a dataset folder into a :class:`Disclosure` (ledger views, figures, metadata).

    >>> d = load_folder(root() / available()[0])
    >>> d.metadata["year"], sorted(d.views)
    (2021, ['economic', 'function', 'projects'])
    """
    folder = Path(path)
    ledger_path = folder / "ledger.csv"
    frame = _read_csv(ledger_path, na_values=[""])
    if "view" not in frame.columns:
        raise MissingColumnError("missing column 'view'", where=str(ledger_path))
    views: dict[str, Ledger] = {}
    for view, lines in frame.groupby("view", sort=False):
        views[str(view)] = Ledger(lines.drop(columns="view"), source=f"{ledger_path} [view {view}]",
                                  edition=edition, row_offset=2)
    figures_path = folder / "figures.csv"
    figures = figures_from_frame(_read_csv(figures_path), source=str(figures_path))
    metadata_path = folder / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ParseError(f"not UTF-8 JSON ({e})", where=str(metadata_path)) from None
    if not isinstance(metadata, dict):
        raise ParseError("metadata is a JSON object ({...})", where=str(metadata_path))
    metadata.setdefault("name", folder.name)
    indicators_path = folder / "indicators.csv"
    indicators = _read_csv(indicators_path) if indicators_path.exists() else None
    text_path = folder / "source.txt"
    text = text_path.read_text(encoding="utf-8") if text_path.exists() else None
    return Disclosure(views=views, figures=figures, metadata=metadata, indicators=indicators,
                      source_text=text)


def _read_csv(path: Path, na_values: list[str] | None = None) -> pd.DataFrame:
    """A dataset CSV as text; a file that is not CSV (or not UTF-8) names itself in the error."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=na_values)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise ParseError(f"not a readable CSV table ({e})", where=str(path)) from None
