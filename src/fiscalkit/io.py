"""Interchange: the Fiscal Data Package (OpenSpending's v1 vocabulary) in and out.

A Fiscal Data Package is a tabular data package (a CSV plus ``datapackage.json``) whose
``model`` says what the columns mean: a **measure** (the amount, with its currency,
direction and phase) and **dimensions** (administrative, functional and economic
classifications with code, label and parent; the fiscal period). Tools that speak it —
OpenSpending and its successors — can read fiscalkit's ledgers without knowing fiscalkit.

Amounts are written as exact decimals in 元; reading them back gives the same ledger.

>>> import tempfile, fiscalkit as fk
>>> led = fk.Ledger.from_records([{"year": 2021, "function": "2010350", "amount": "1.05"}])
>>> folder = tempfile.mkdtemp()
>>> _ = to_fiscal_data_package(led, folder, name="example")
>>> from_fiscal_data_package(folder) == led
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import pandas as pd

from fiscalkit import classification
from fiscalkit.errors import FiscalkitError, MissingColumnError
from fiscalkit.ledger import Ledger

__all__ = ["from_fiscal_data_package", "to_fiscal_data_package"]

#: fiscalkit's phases in the FDP vocabulary (proposed / approved / adjusted / executed).
_PHASE: Final = {"budget": "approved", "adjusted": "adjusted", "final": "executed"}
_PHASE_BACK: Final = {v: k for k, v in _PHASE.items()}
_RESOURCE: Final = "budget.csv"


def _fields() -> list[dict[str, Any]]:
    def f(name: str, type_: str, description: str) -> dict[str, Any]:
        return {"name": name, "type": type_, "description": description}

    return [
        f("year", "integer", "fiscal year"),
        f("phase", "string", "fiscalkit phase: budget, adjusted or final"),
        f("entity", "string", "department or unit, as published"),
        f("fund", "string", "fund source (general, govfund, soe, special, unit, other)"),
        f("kind", "string", "basic (basic.personnel, basic.public) or project"),
        f("function_code", "string", "支出功能分类 code"),
        f("function_label", "string", "支出功能分类 name (zh)"),
        f("function_parent", "string", "parent functional code"),
        f("economic_code", "string", "支出经济分类 code (3xx department or 5xx government scheme)"),
        f("economic_label", "string", "支出经济分类 name (zh)"),
        f("economic_parent", "string", "parent economic code"),
        f("project", "string", "project name, as published"),
        {**f("amount", "number", "amount in 元 (CNY), exact to the 分"), "decimalChar": "."},
    ]


def _model(phases: list[str]) -> dict[str, Any]:
    def classification_dim(kind: str) -> dict[str, Any]:
        return {
            "dimensionType": "classification", "classificationType": kind,
            "primaryKey": [f"{kind}_code"],
            "attributes": {
                f"{kind}_code": {"source": f"{kind}_code"},
                f"{kind}_label": {"source": f"{kind}_label", "labelfor": f"{kind}_code"},
                f"{kind}_parent": {"source": f"{kind}_parent", "parent": f"{kind}_code"},
            },
        }

    return {
        "measures": {"amount": {"source": "amount", "currency": "CNY", "factor": 1,
                                "direction": "expenditure",
                                "phase": phases[0] if len(phases) == 1 else "approved"}},
        "dimensions": {
            "administrative": {"dimensionType": "entity", "classificationType": "administrative",
                               "primaryKey": ["entity"],
                               "attributes": {"entity": {"source": "entity"}}},
            "functional": classification_dim("function") | {"classificationType": "functional"},
            "economic": classification_dim("economic") | {"classificationType": "economic"},
            "date": {"dimensionType": "datetime", "primaryKey": ["year"],
                     "attributes": {"year": {"source": "year"}}},
            "fund": {"dimensionType": "fact", "primaryKey": ["fund"],
                     "attributes": {"fund": {"source": "fund"}}},
            "project": {"dimensionType": "activity", "primaryKey": ["project"],
                        "attributes": {"project": {"source": "project"}}},
        },
    }


def to_fiscal_data_package(ledger: Ledger, folder: str | Path, *, name: str,
                           title: str = "") -> Path:
    """Write ``ledger`` as a Fiscal Data Package into ``folder``; returns ``datapackage.json``.

    >>> import json, tempfile, fiscalkit as fk
    >>> led = fk.Ledger.from_records([{"year": 2021, "economic": "30101", "amount": "789700"}])
    >>> path = to_fiscal_data_package(led, tempfile.mkdtemp(), name="example")
    >>> descriptor = json.loads(path.read_text(encoding="utf-8"))
    >>> descriptor["model"]["measures"]["amount"]["currency"]
    'CNY'
    >>> print((path.parent / "budget.csv").read_text(encoding="utf-8").splitlines()[1])
    2021,,,,,,,,30101,基本工资,301,,789700.00
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    frame = ledger.to_frame("元")
    edition = ledger.edition
    table = pd.DataFrame({
        "year": frame["year"], "phase": frame["phase"], "entity": frame["entity"],
        "fund": frame["fund"], "kind": frame["kind"],
        "function_code": frame["function"],
        "function_label": edition.names(frame["function"].astype("string"), "zh"),
        "function_parent": _parent(frame["function"]),
        "economic_code": frame["economic"],
        "economic_label": edition.names(frame["economic"].astype("string"), "zh"),
        "economic_parent": _parent(frame["economic"]),
        "project": frame["project"], "amount": frame["amount"],
    })
    table.to_csv(out / _RESOURCE, index=False)
    phases = sorted({_PHASE[p] for p in frame["phase"].dropna().astype(str)}) or ["approved"]
    descriptor = {
        "name": name, "title": title or name, "profile": "tabular-data-package",
        "fiscalPeriod": {"start": f"{int(frame['year'].min())}-01-01",
                         "end": f"{int(frame['year'].max())}-12-31"} if len(frame) else {},
        "resources": [{"name": "budget", "path": _RESOURCE, "profile": "tabular-data-resource",
                       "format": "csv", "encoding": "utf-8",
                       "schema": {"fields": _fields()}}],
        "model": _model(phases),
    }
    path = out / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _parent(codes: pd.Series) -> pd.Series:
    s = codes.astype("string")
    return s.str[:-2].where(s.str.len() > 3)


def from_fiscal_data_package(path: str | Path, *,
                             edition: classification.Edition | None = None) -> Ledger:
    """Read a Fiscal Data Package (a folder or its ``datapackage.json``) into a ledger.

    The ``model`` names the columns; a package from another tool works as long as its
    functional and economic classifications carry fiscalkit's codes.

    >>> import tempfile, fiscalkit as fk
    >>> led = fk.Ledger.from_records([{"year": 2021, "phase": "final", "amount": "0.01"}])
    >>> path = to_fiscal_data_package(led, tempfile.mkdtemp(), name="example")
    >>> back = from_fiscal_data_package(path)
    >>> back == led, back.frame["phase"].tolist()
    (True, ['final'])
    """
    p = Path(path)
    descriptor_path = p / "datapackage.json" if p.is_dir() else p
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        resource = descriptor["resources"][0]
        model = descriptor["model"]
    except (OSError, ValueError, KeyError, IndexError) as e:
        raise FiscalkitError(f"not a fiscal data package: {e}", where=str(descriptor_path)) from e
    csv_path = descriptor_path.parent / resource["path"]
    raw = pd.read_csv(csv_path, dtype=str, keep_default_na=False, na_values=[""])
    measure = next(iter(model["measures"].values()))
    dims = model["dimensions"]

    def column(dim: str, attribute: str) -> pd.Series | None:
        attrs = dims.get(dim, {}).get("attributes", {})
        source = attrs.get(attribute, {}).get("source")
        return raw.get(source) if isinstance(source, str) else None

    out = pd.DataFrame({"amount": raw[measure["source"]]})
    for name, (dim, attribute) in {
        "year": ("date", "year"), "entity": ("administrative", "entity"),
        "function": ("functional", "function_code"), "economic": ("economic", "economic_code"),
        "fund": ("fund", "fund"), "project": ("project", "project"),
    }.items():
        col = column(dim, attribute)
        if col is not None:
            out[name] = col
    for name in ("phase", "kind"):
        if name in raw:
            out[name] = raw[name]
    if "phase" not in out:
        out["phase"] = _PHASE_BACK.get(str(measure.get("phase", "")), None)
    if "year" not in out:
        raise MissingColumnError("the package has no fiscal-year column", where=str(csv_path))
    return Ledger(out, unit="元", source=str(csv_path), edition=edition, row_offset=2)
