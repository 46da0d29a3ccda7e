"""Crosswalks to COFOG and GFSM 2014: proposals, applied exactly, nothing lost."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import fiscalkit as fk

DATA = Path(fk.__file__).parent / "data" / "classification" / "2021"


def _csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def ledger() -> fk.Ledger:
    return fk.Ledger.from_records([
        {"year": 2021, "function": "2010350", "economic": "30101", "amount": "100.00"},
        {"year": 2021, "function": "2210201", "economic": "30113", "amount": "20.00"},
        {"year": 2021, "function": "227", "economic": "30201", "amount": "3.00"},
        {"year": 2021, "economic": "50501", "amount": "0.07"},
    ])


def test_cofog_follows_the_shipped_proposal(ledger: fk.Ledger) -> None:
    proposal = {r["code"]: r["cofog_division"] for r in _csv("PROPOSED_functional_to_cofog.csv")}
    assert proposal["201"] == "01"  # read from the CSV, not from fiscalkit
    assert proposal["221"] == "06"
    assert proposal["227"] == ""  # 预备费: classify by use
    got = dict(zip(ledger.to_cofog()["cofog"], ledger.to_cofog()["amount"], strict=True))
    assert got == {"01": 10000, "06": 2000, "unmapped": 307}


def test_every_row_is_marked_proposed(ledger: fk.Ledger) -> None:
    assert set(ledger.to_cofog()["status"]) <= {"proposed", ""}
    assert {r["status"] for r in _csv("PROPOSED_economic_to_gfsm2014.csv")} == {"proposed"}


def test_gfs_keeps_the_total_and_maps_both_schemes(ledger: fk.Ledger) -> None:
    gfs = ledger.to_gfs()
    assert int(gfs["amount"].sum()) == int(fk.units.to_fen(ledger.total()))
    got = dict(zip(gfs["gfsm2014"], gfs["amount"], strict=True))
    # 301 → 21 compensation; 302 → 22 goods and services; 505 grants to institutions → 26
    assert got == {"21": 12000, "22": 300, "26": 7}


def test_unknown_crosswalk_is_a_typed_error() -> None:
    with pytest.raises(fk.errors.UnknownCodeError, match="no pefa crosswalk"):
        fk.classification.shipped().crosswalk("pefa")  # type: ignore[arg-type]
