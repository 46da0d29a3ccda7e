"""Every notebook runs top to bottom, and is committed with its outputs and without errors."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


def _outputs(nb: nbformat.NotebookNode) -> list[dict[str, object]]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_with_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    outputs = _outputs(nb)
    assert outputs, f"{path.name} has no outputs: execute it before committing"
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, json.dumps(errors[0], ensure_ascii=False)[:500]


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes_top_to_bottom(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    assert not [o for o in _outputs(nb) if o.get("output_type") == "error"]


def test_there_are_notebooks() -> None:
    assert any(p.name.startswith("01-") for p in NOTEBOOKS)
