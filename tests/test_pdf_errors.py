"""PDFs that cannot be read: a scan without a text layer, a damaged or truncated file.

Each raises a typed :class:`~fiscalkit.errors.ParseError` naming the file, so a corpus run
that catches :class:`~fiscalkit.errors.FiscalkitError` per file records it and goes on. The
scans are made here with matplotlib (pictures only, no text) and with Pillow.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fiscalkit.disclosure import ReadResult, read_any, read_pdf
from fiscalkit.errors import CorruptFileError, FiscalkitError, NoTextLayerError, ParseError

FIXTURE = Path(__file__).parent / "fixtures" / "pdf" / "budget.pdf"


def _scan(path: Path, pages: int = 2) -> Path:
    """A PDF of pictures of pages, no text at all, as a scanner writes it."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("pdf")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.backends.backend_pdf import PdfPages

    rng = np.random.default_rng(7)
    with PdfPages(path) as pdf:
        for _ in range(pages):
            fig = plt.figure(figsize=(8.27, 11.69))
            ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
            ax.imshow(rng.integers(200, 256, (60, 40)), cmap="gray", vmin=0, vmax=255,
                      interpolation="nearest", aspect="auto")
            ax.axis("off")
            pdf.savefig(fig)
            plt.close(fig)
    return path


def test_a_scan_says_it_has_no_text_layer(tmp_path: Path) -> None:
    scan = _scan(tmp_path / "scan.pdf")
    with pytest.raises(NoTextLayerError) as caught:
        read_pdf(scan)
    error = caught.value
    assert isinstance(error, ParseError)
    assert error.where == str(scan)
    message = str(error)
    assert message.startswith(f"{scan}: no page of the PDF has a text layer")
    assert "(2 page(s), 2 of them images of a page)" in message
    assert "scanned" in message
    assert "OCR" in message


def test_a_scan_written_by_pillow(tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    scan = tmp_path / "pillow.pdf"
    picture = image.new("L", (595, 842), color=230)
    picture.save(scan, "PDF", resolution=72.0)
    with pytest.raises(NoTextLayerError, match=r"\(1 page\(s\), 1 of them images"):
        read_pdf(scan)


def test_some_scanned_pages_are_problems_not_an_error() -> None:
    read = read_pdf(FIXTURE)  # page 5 of the fixture is a scan, the rest has text
    scanned = [p for p in read.problems if p.page == 5]
    assert [(p.severity, "image without a text layer" in p.message) for p in scanned] == [
        ("error", True)]
    assert read.tables  # the rest is read


@pytest.mark.parametrize("damage", ["half", "random", "empty", "html"])
def test_a_damaged_pdf_is_a_typed_error(tmp_path: Path, damage: str) -> None:
    data = FIXTURE.read_bytes()
    bad = tmp_path / f"{damage}.pdf"
    bad.write_bytes({
        "half": data[: len(data) // 2],  # truncated in transfer
        "random": bytes((i * 7919 + 13) % 251 for i in range(4096)),
        "empty": b"",
        "html": "<html><body>404 页面不存在</body></html>".encode(),
    }[damage])
    with pytest.raises(CorruptFileError) as caught:
        read_pdf(bad)
    assert isinstance(caught.value, ParseError)
    assert caught.value.where == str(bad)
    assert "not a readable PDF" in str(caught.value)


def test_a_damaged_tables_pdf_is_a_typed_error_too(tmp_path: Path) -> None:
    bad = tmp_path / "tables.pdf"
    bad.write_bytes(FIXTURE.read_bytes()[:1000])
    with pytest.raises(CorruptFileError):
        read_pdf(FIXTURE, tables_path=bad)
    narrative = tmp_path / "narrative.txt"
    narrative.write_text("2025年收入预算700.01万元。\n", encoding="utf-8")
    with pytest.raises(CorruptFileError):
        read_any(narrative, tables_path=bad)


def test_a_corpus_run_records_them_and_goes_on(tmp_path: Path) -> None:
    """What a corpus build does per file: catch the family, record, read the next file."""
    good = tmp_path / "a-good.pdf"
    shutil.copy(FIXTURE, good)
    cut = tmp_path / "b-cut.pdf"
    cut.write_bytes(FIXTURE.read_bytes()[:5000])
    _scan(tmp_path / "c-scan.pdf", pages=1)
    also_good = tmp_path / "d-good.pdf"
    shutil.copy(FIXTURE, also_good)
    read: dict[str, ReadResult] = {}
    failed: dict[str, str] = {}
    for path in sorted(tmp_path.glob("*.pdf")):
        try:
            read[path.name] = read_pdf(path)
        except FiscalkitError as e:
            failed[path.name] = type(e).__name__
    assert sorted(read) == ["a-good.pdf", "d-good.pdf"]
    assert failed == {"b-cut.pdf": "CorruptFileError", "c-scan.pdf": "NoTextLayerError"}
