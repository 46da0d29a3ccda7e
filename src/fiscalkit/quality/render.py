"""The audit as one self-contained HTML page: the text, every figure and finding marked.

A list of findings is hard to check against a forty-page document; the reader wants to see
each finding *in* the text. :func:`render_html` prints the disclosure's text with

- every stated figure marked where it is printed, by id (``<span class="fig …"
  id="fig-<id>">``): ``contradicted`` when an error finding cites it, ``doubtful`` for a
  warning, ``consistent`` when it was checked (it has a relation or a selector, or another
  figure relates to it) and nothing was found, ``unchecked`` otherwise;
- every sentence a finding cites highlighted with an anchor (``<mark class="cited …"
  id="s-N">``) and links back to the findings; each finding in the list links to its
  sentence and figures.

The page needs no script and no network: inline CSS, UTF-8, and a font-family stack of the
common CJK fonts (Noto/Source Han, PingFang, Microsoft YaHei, WenQuanYi) so that Chinese
renders wherever one is installed.

>>> from fiscalkit import datasets
>>> from fiscalkit.quality.audit import audit_all
>>> report = audit_all(datasets.load(datasets.available()[0]))
>>> page = render_html(report, report.document)
>>> page.startswith("<!DOCTYPE html>"), 'id="finding-1"' in page, 'class="fig contradicted"' in page
(True, True, True)
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from fiscalkit.disclosure.model import Disclosure, StatedFigure
from fiscalkit.findings import SEVERITIES, Finding, Report, Severity
from fiscalkit.quality._text import Flat, squash
from fiscalkit.quality.document import Document, as_document

__all__ = ["render_html"]

_CSS: Final = """
:root { --error: #b3261e; --warning: #a15c00; --info: #33658a; --ok: #2e7d32; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 1.5rem 2rem 4rem; color: #1f1f1f;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
  "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Heiti SC",
  "SimHei", "Droid Sans Fallback", sans-serif; line-height: 1.6; background: #fbfbfa; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem;
  border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.summary, .completeness { margin: .2rem 0; color: #444; }
.counts span { display: inline-block; margin-right: .8rem; font-weight: 600; }
.counts .error, .sev.error { color: var(--error); } .counts .warning, .sev.warning
  { color: var(--warning); } .counts .info, .sev.info { color: var(--info); }
ol.findings { padding-left: 2.2rem; } ol.findings li { margin: .45rem 0; }
li.finding { border-left: 4px solid #ccc; padding: .2rem .6rem; background: #fff; }
li.finding.error { border-color: var(--error); }
li.finding.warning { border-color: var(--warning); }
li.finding.info { border-color: var(--info); }
.sev { font-weight: 700; font-size: .8rem; letter-spacing: .04em; }
code { font-family: "DejaVu Sans Mono", "Menlo", "Consolas", monospace; font-size: .85em;
  background: #f0f0ee; padding: 0 .25em; border-radius: 3px; }
.why { color: #555; font-size: .9rem; margin: .15rem 0 0; }
.links a { margin-right: .6rem; font-size: .88rem; }
.missing li { color: var(--warning); }
.doc { white-space: pre-wrap; background: #fff; border: 1px solid #e3e3e0; padding: 1rem 1.2rem;
  font-size: 1rem; }
mark.cited { background: #fff3c4; padding: 0 .05em; }
mark.cited.error { background: #fbd5d2; } mark.cited.warning { background: #ffe9c2; }
mark.cited.info { background: #dcebf5; }
mark.cited:target { outline: 3px solid #1a73e8; }
a.backref { font-size: .72rem; vertical-align: super; text-decoration: none; margin-left: .1em; }
.fig { border-bottom: 2px solid #999; font-weight: 600; }
.fig.consistent { border-color: var(--ok); color: var(--ok); }
.fig.contradicted { border-color: var(--error); color: var(--error); background: #fde8e6; }
.fig.doubtful { border-color: var(--warning); color: var(--warning); }
.fig.unchecked { border-bottom-style: dotted; }
.fig:target { outline: 3px solid #1a73e8; }
.legend span { margin-right: 1rem; }
.unplaced { color: #777; font-size: .85rem; }
"""


def _safe_id(raw: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.:-]", "_", raw)
    if safe != raw:
        safe += "-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:6]
    return safe


@dataclass
class _Span:
    start: int
    end: int
    kind: str  # "sentence" or "figure"
    attrs: dict[str, str]
    after: str = ""


class _Locator:
    """Finds verbatim or re-wrapped text in the rendered text (whitespace-insensitive)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.flat = Flat.of(text)

    def find(self, needle: str) -> tuple[int, int] | None:
        key = squash(needle)
        if len(key) < 2:
            return None
        at = self.flat.text.find(key)
        if at < 0 and len(key) > 40:
            at = self.flat.text.find(key[:40])
            if at >= 0:
                end = self.flat.text.find("。", at + 40)
                end = end + 1 if 0 <= end < at + 400 else min(len(self.flat.text), at + 40)
                return self.flat.original(at, end)
        if at < 0:
            return None
        return self.flat.original(at, at + len(key))


def _figure_status(figures: Sequence[StatedFigure], findings: Iterable[Finding]
                   ) -> dict[str, str]:
    worst: dict[str, Severity] = {}
    order: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}
    for f in findings:
        for ref in f.figures:
            prev = worst.get(ref.id)
            if prev is None or order[f.severity] < order[prev]:
                worst[ref.id] = f.severity
    related = {a for f in figures for call in f.relations for a in call.args}
    out: dict[str, str] = {}
    for fig in figures:
        sev = worst.get(fig.id)
        if sev == "error":
            out[fig.id] = "contradicted"
        elif sev == "warning":
            out[fig.id] = "doubtful"
        elif fig.relations or fig.selector is not None or fig.id in related:
            out[fig.id] = "consistent"
        else:
            out[fig.id] = "unchecked"
    return out


_NUMBER: Final = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")


def _figure_spans(text: str, locate: _Locator, figures: Sequence[StatedFigure],
                  status: dict[str, str]) -> list[_Span]:
    spans: list[_Span] = []
    used: set[int] = set()
    for fig in figures:
        if fig.status != "stated" or not fig.sentence:
            continue
        where = locate.find(fig.sentence)
        if where is None:
            continue
        printed = f"{abs(fig.value):f}"
        for m in _NUMBER.finditer(text, where[0], where[1]):
            if m.start() in used or m.group(0).replace(",", "") != printed:
                continue
            used.add(m.start())
            state = status.get(fig.id, "unchecked")
            spans.append(_Span(m.start(), m.end(), "figure", {
                "class": f"fig {state}", "id": f"fig-{_safe_id(fig.id)}",
                "data-figure": fig.id,
                "title": f"{fig.id} · {fig.label_zh} = {fig.printed}{fig.unit} · {state}"}))
            break
    return spans


def _cited_texts(f: Finding) -> list[str]:
    out = []
    sentence = f.details.get("sentence") if f.details else None
    if isinstance(sentence, str) and sentence:
        out.append(sentence)
    out.extend(r.source for r in f.figures if r.source)
    return list(dict.fromkeys(out))


def render_html(report: Report, disclosure: Disclosure | Document | Any | None = None) -> str:
    """The report as a self-contained HTML page over the disclosure's text.

    ``disclosure`` is what was audited (a Disclosure, a Document or anything
    :func:`~fiscalkit.quality.document.as_document` takes); by default the document an
    :class:`~fiscalkit.quality.audit.AuditReport` carries. Each finding links to the
    sentences it cites (``#s-N``) and figures (``#fig-<id>``); a finding whose sentence is
    not in the text (a table row read by the PDF reader) is listed unplaced. For a PDF the
    page shows the narrative as the reader rebuilt it (figures marked there), then the pages
    as extracted (tables and the notes under them).

    >>> from fiscalkit.quality.slips import slips
    >>> text = "某局2021年部门预算\\n预算数比2020年增加（减少）0万元。"
    >>> page = render_html(slips(text), text)
    >>> '<mark class="cited warning" id="s-1"' in page, 'href="#s-1"' in page
    (True, True)
    """
    doc_obj = disclosure if disclosure is not None else getattr(report, "document", None)
    doc = as_document(doc_obj) if doc_obj is not None else Document("")
    figures = doc.disclosure.figures if doc.disclosure is not None else ()
    status = _figure_status(figures, report.findings)
    cut = doc.narrative_end
    parts = ([("Narrative (as read)", doc.text[:cut]), ("Pages (as extracted)", doc.text[cut:])]
             if cut else [("Text", doc.text)])
    locators = [_Locator(text) for _, text in parts]
    # figures: marked where the narrative prints them
    spans: list[list[_Span]] = [[] for _ in parts]
    spans[0] = _figure_spans(parts[0][1], locators[0], figures, status)
    fig_ids = {s.attrs["data-figure"] for s in spans[0]}
    # sentences cited by findings: one anchor per distinct span, in the first part holding it
    sentence_ids: dict[tuple[int, int, int], str] = {}
    cites: dict[tuple[int, int, int], list[tuple[int, str]]] = {}
    finding_links: list[list[tuple[str, str]]] = []
    for n, f in enumerate(report.findings, 1):
        links: list[tuple[str, str]] = []
        for cited in _cited_texts(f):
            where = None
            for k, loc in enumerate(locators):
                found = loc.find(cited)
                if found is not None:
                    where = (k, *found)
                    break
            if where is None:
                continue
            sid = sentence_ids.setdefault(where, f"s-{len(sentence_ids) + 1}")
            cites.setdefault(where, []).append((n, f.severity))
            if (f"#{sid}", "sentence") not in links:
                links.append((f"#{sid}", "sentence"))
        for ref in f.figures:
            if ref.id in fig_ids:
                links.append((f"#fig-{_safe_id(ref.id)}", ref.id))
        finding_links.append(links)
    order: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}
    for where, sid in sentence_ids.items():
        worst = min((sev for _, sev in cites[where]), key=lambda s: order[s])
        refs = "".join(f'<a class="backref" href="#finding-{n}">[{n}]</a>'
                       for n, _ in cites[where])
        spans[where[0]].append(_Span(where[1], where[2], "sentence",
                                     {"class": f"cited {worst}", "id": sid,
                                      "data-findings": " ".join(str(n) for n, _ in cites[where])},
                                     after=refs))
    bodies = [(title, _mark(text, part_spans))
              for (title, text), part_spans in zip(parts, spans, strict=True)]
    return _page(report, doc, bodies, finding_links, len(fig_ids))


def _mark(text: str, spans: list[_Span]) -> str:
    """Wrap spans in the text; sentences that overlap an earlier one are merged into it,
    figures that straddle a sentence boundary are left unmarked."""
    sentences = sorted((s for s in spans if s.kind == "sentence"), key=lambda s: (s.start,
                                                                                  -s.end))
    merged: list[_Span] = []
    for s in sentences:
        if merged and s.start < merged[-1].end:
            last = merged[-1]
            last.end = max(last.end, s.end)
            last.after += s.after
            last.attrs["data-findings"] += " " + s.attrs["data-findings"]
            last.attrs.setdefault("data-also", "")
            last.attrs["data-also"] = (last.attrs["data-also"] + " " + s.attrs["id"]).strip()
            continue
        merged.append(s)
    figures = sorted((s for s in spans if s.kind == "figure"), key=lambda s: s.start)
    kept = [f for f in figures
            if not any(m.start < f.end and f.start < m.end and not (m.start <= f.start
                                                                    and f.end <= m.end)
                       for m in merged)]
    events = sorted([*merged, *kept], key=lambda s: (s.start, 0 if s.kind == "sentence" else 1))
    out: list[str] = []
    pos = 0
    stack: list[_Span] = []
    for span in events:
        while stack and stack[-1].end <= span.start:
            top = stack.pop()
            out.append(html.escape(text[pos:top.end]))
            pos = top.end
            out.append(_close(top))
        out.append(html.escape(text[pos:span.start]))
        pos = span.start
        out.append(_open(span))
        stack.append(span)
    while stack:
        top = stack.pop()
        out.append(html.escape(text[pos:top.end]))
        pos = top.end
        out.append(_close(top))
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _open(span: _Span) -> str:
    tag = "mark" if span.kind == "sentence" else "span"
    attrs = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in span.attrs.items())
    anchors = "".join(f'<a id="{html.escape(a)}"></a>'
                      for a in span.attrs.get("data-also", "").split())
    return f"{anchors}<{tag} {attrs}>"


def _close(span: _Span) -> str:
    tag = "mark" if span.kind == "sentence" else "span"
    return f"</{tag}>{span.after}"


def _page(report: Report, doc: Document, bodies: Sequence[tuple[str, str]],
          links: list[list[tuple[str, str]]], n_figures: int) -> str:
    e = html.escape
    s = report.summary()
    title = f"{report.title} — {doc.name}"
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f'<header><h1>{e(report.title)}</h1><p class="summary">{e(doc.name)}'
        f"{' · ' + e(doc.source) if doc.source else ''}</p>",
        f'<p class="counts"><span>{s["checks"]} checks</span>'
        f'<span class="error">{s["error"]} errors</span>'
        f'<span class="warning">{s["warning"]} warnings</span>'
        f'<span class="info">{s["info"]} notes</span><span>{n_figures} figures marked</span></p>',
    ]
    comp = getattr(report, "completeness", None)
    if comp is not None:
        parts.append(f'<p class="completeness" id="completeness-score">{e(comp.headline())}'
                     "</p>")
    parts.append("</header>")
    parts.append('<p class="legend"><span class="fig contradicted">contradicted</span>'
                 '<span class="fig doubtful">doubtful</span>'
                 '<span class="fig consistent">consistent</span>'
                 '<span class="fig unchecked">unchecked</span>'
                 '<mark class="cited error">cited by an error</mark> '
                 '<mark class="cited warning">by a warning</mark> '
                 '<mark class="cited info">by a note</mark></p>')
    parts.append('<section id="findings"><h2>Findings</h2><ol class="findings">')
    for n, (f, fl) in enumerate(zip(report.findings, links, strict=True), 1):
        link_html = " ".join(
            f'<a href="{e(href)}">{"→ sentence" if label == "sentence" else e(label)}</a>'
            for href, label in fl)
        if not any(label == "sentence" for _, label in fl):
            cited = _cited_texts(f)
            if cited:
                link_html += (f' <span class="unplaced">(cited text not in the rendered text: '
                              f"{e(cited[0][:80])})</span>")
        parts.append(
            f'<li class="finding {f.severity}" id="finding-{n}" data-rule="{e(f.rule)}">'
            f'<span class="sev {f.severity}">{f.severity.upper()}</span> '
            f"<code>{e(f.rule)}</code> {e(f.message)}"
            + (f'<p class="why">{e(f.explanation)}</p>' if f.explanation else "")
            + (f'<p class="links">{link_html}</p>' if link_html else "") + "</li>")
    parts.append("</ol></section>")
    if comp is not None and comp.missing:
        parts.append('<section id="missing"><h2>Missing elements</h2><ul class="missing">')
        parts.extend(f'<li data-element="{e(el.id)}">{e(el.kind)}: {e(el.name)} '
                     f"<small>({e(el.status)})</small></li>" for el in comp.missing)
        parts.append("</ul></section>")
    for k, (heading, body) in enumerate(bodies):
        sid = "text" if k == 0 else f"text-{k + 1}"
        parts.append(f'<section id="{sid}"><h2>{e(heading)}</h2><div class="doc">{body}</div>'
                     "</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
