"""Fiscal Data Package: valid by the frictionless validator, and a lossless round trip."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pytest

import fiscalkit as fk
from fiscalkit import datasets
from fiscalkit.io import from_fiscal_data_package, to_fiscal_data_package


@pytest.fixture(scope="module")
def views() -> dict[str, fk.Ledger]:
    return dict(datasets.load("yindu-zhengwu-2021").views)


@pytest.mark.parametrize("view", ["economic", "function", "projects"])
def test_package_is_valid_and_round_trips(views: dict[str, fk.Ledger], view: str,
                                          tmp_path: Path) -> None:
    path = to_fiscal_data_package(views[view], tmp_path, name=f"yindu-{view}")
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["type", "message"])
    assert from_fiscal_data_package(tmp_path) == views[view]


def test_model_speaks_the_fdp_vocabulary(views: dict[str, fk.Ledger], tmp_path: Path) -> None:
    path = to_fiscal_data_package(views["economic"], tmp_path, name="x")
    model = json.loads(path.read_text(encoding="utf-8"))["model"]
    assert model["measures"]["amount"] == {"source": "amount", "currency": "CNY", "factor": 1,
                                           "direction": "expenditure", "phase": "approved"}
    econ = model["dimensions"]["economic"]
    assert econ["classificationType"] == "economic"
    assert set(econ["attributes"]) == {"economic_code", "economic_label", "economic_parent"}
    rows = (tmp_path / "budget.csv").read_text(encoding="utf-8").splitlines()
    # 基本工资 78.97万元 = 789700.00元, its parent 301, its label as in the code list
    assert any(r.endswith(",30101,基本工资,301,,789700.00") for r in rows)


def test_not_a_package_is_a_typed_error(tmp_path: Path) -> None:
    (tmp_path / "datapackage.json").write_text("{}", encoding="utf-8")
    with pytest.raises(fk.FiscalkitError, match="not a fiscal data package"):
        from_fiscal_data_package(tmp_path)
