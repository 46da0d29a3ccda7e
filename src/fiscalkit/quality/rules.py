"""Template rules as data: what a disclosure of one template version must contain.

The national template (and each province's variant of it) changes from year to year, and
no official text of it ships with fiscalkit, so the requirements are **data**: one JSON file
per template version in ``fiscalkit/data/quality/`` (``budget-2021.json``,
``final-2021.json``, ``jiangsu-budget-2017.json`` …), each listing

- ``sections`` — the narrative sections, as regular expressions with their variants;
- ``tables`` — the standard tables, with title variants and the standard name the PDF reader
  gives them (:data:`fiscalkit.disclosure.pdf.STANDARD_TABLES`);
- ``empty_statements`` — what must be said when a line is zero or absent ("本部门无政府性
  基金预算…", "没有…安排的支出"), with the labels of the line;
- ``explanations`` — which changes need a stated reason (year on year; budget vs outturn);
- ``leftovers`` — template instructions and placeholders that must not survive publication;

and, for every element, its ``source`` (a key of the file's ``sources``) and ``status``:

==============  =================================================================
``verified``    checked against the official rule text (none offline: kept for later)
``template``    read in a template file itself (Shanghai's 2024 final-accounts template)
``observed``    seen in every real disclosure of that template version at hand
``secondary``   known from secondary descriptions of the rule, not its text
``unverified``  expected from practice, confirmed by no source at hand
==============  =================================================================

A missing element is an ``error`` only when its requirement is ``verified``; otherwise a
``warning`` — a reader must be able to trust an error. A province's variant ``extends`` a
national file: its elements replace those with the same id, ``drop`` removes some (an id
drops it from every list, ``"sections/overview"`` from one).

>>> rules = TemplateRules.load("budget-2021")
>>> rules.phase, len(rules.tables), rules.tables[0].standard
('budget', 9, '收支总表')
>>> sorted({e.status for e in rules.elements})
['observed', 'secondary', 'unverified']
>>> TemplateRules.load("jiangsu-budget-2017").applies_to("江苏省委办公厅2017年度部门预算", 2017)
True
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

from fiscalkit.errors import FiscalkitError, InvalidValueError

__all__ = [
    "STATUSES",
    "Element",
    "ExplanationRule",
    "Leftover",
    "Source",
    "Status",
    "TemplateRules",
    "available_rules",
    "lexicon",
    "select_rules",
]

Status = Literal["verified", "template", "observed", "secondary", "unverified"]
#: How sure a requirement is, surest first.
STATUSES: Final[tuple[Status, ...]] = ("verified", "template", "observed", "secondary",
                                       "unverified")
ElementKind = Literal["section", "table", "statement"]


@dataclass(frozen=True)
class Source:
    """Where requirements come from: a key, a description and how sure it is.

    Every element cites one, so a finding can say how far to trust the requirement.

    >>> rules = TemplateRules.load("budget-2021")
    >>> [(s.key, s.status) for s in rules.sources.values()]
    [('sample-2021', 'observed'), ('shared-real', 'observed'), ('caiyu-2016-143', 'secondary'), \
('none', 'unverified')]
    """

    key: str
    title: str
    status: Status


@dataclass(frozen=True)
class Element:
    """One required element of a template: a section, a standard table or a statement.

    ``patterns`` are compiled once, when the rule file is loaded. ``standard`` (tables) is
    the name the PDF reader gives the table; ``line`` (statements) are the labels of the
    budget line whose absence the statement must declare.

    >>> table = TemplateRules.load("budget-2021").tables[0]
    >>> table.id, table.kind, table.standard, table.status, table.source
    ('summary', 'table', '收支总表', 'secondary', 'caiyu-2016-143')
    >>> table.search("表一 部门收支总表")
    <re.Match object; span=(5, 9), match='收支总表'>
    >>> table.search("收入支出预算总表").group(0), table.search("财政拨款收支总表") is None
    ('收入支出预算总表', True)
    """

    id: str
    kind: ElementKind
    name: str
    patterns: tuple[re.Pattern[str], ...]
    source: str
    status: Status
    required: bool = True
    note: str = ""
    standard: str | None = None
    line: tuple[re.Pattern[str], ...] = ()

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """The first match of any pattern in ``text`` from ``pos`` (earliest wins)."""
        found = [m for p in self.patterns if (m := p.search(text, pos))]
        return min(found, key=lambda m: m.start()) if found else None

    def finditer(self, text: str) -> list[re.Match[str]]:
        """Every match of every pattern, in text order."""
        return sorted((m for p in self.patterns for m in p.finditer(text)),
                      key=lambda m: m.start())


@dataclass(frozen=True)
class ExplanationRule:
    """Changes that need a reason: ``kind`` ``change`` (year on year) or ``outturn``
    (budget vs outturn); ``subjects`` restrict it to some lines (empty: every line).

    >>> [(r.id, r.kind, r.subjects) for r in TemplateRules.load("budget-2021").explanations]
    [('change', 'change', ())]
    >>> sorted(r.kind for r in TemplateRules.load("final-2021").explanations)
    ['change', 'outturn']
    """

    id: str
    name: str
    kind: Literal["change", "outturn"]
    subjects: tuple[re.Pattern[str], ...]
    source: str
    status: Status
    note: str = ""


@dataclass(frozen=True)
class Leftover:
    """Template text that must not survive publication: an instruction or a placeholder.

    >>> leftovers = {lo.id: lo for lo in TemplateRules.load("budget-2021").leftovers}
    >>> sorted(leftovers)
    ['instruction_note', 'instruction_text', 'placeholder', 'unmade_choice']
    >>> leftovers["unmade_choice"].pattern.search("比上年增加（减少）0万元").group(0)
    '增加（减少）'
    """

    id: str
    name: str
    pattern: re.Pattern[str]
    source: str
    status: Status


@dataclass(frozen=True)
class TemplateRules:
    """The requirements of one template version, loaded from its JSON file.

    Load one with :meth:`load` (cached), or let :func:`select_rules` pick the one for a
    document.

    >>> rules = TemplateRules.load("budget-2021")
    >>> rules.phase, rules.years, len(rules.sections), len(rules.tables), len(rules.statements)
    ('budget', (2016, 2099), 15, 9, 4)
    >>> rules.source(rules.tables[0]).status
    'secondary'
    >>> TemplateRules.load("budget-2021") is rules
    True
    """

    id: str
    title: str
    phase: Literal["budget", "final"]
    region: str
    regions: tuple[str, ...]
    years: tuple[int, int]
    basis: str
    sources: Mapping[str, Source]
    sections: tuple[Element, ...]
    tables: tuple[Element, ...]
    statements: tuple[Element, ...]
    explanations: tuple[ExplanationRule, ...]
    leftovers: tuple[Leftover, ...]
    path: str = ""

    @property
    def elements(self) -> tuple[Element, ...]:
        """Sections, tables and statements, in that order."""
        return (*self.sections, *self.tables, *self.statements)

    def source(self, element: Element | ExplanationRule | Leftover) -> Source:
        """The source an element cites."""
        return self.sources[element.source]

    def applies_to(self, text: str, year: int | None) -> bool:
        """Whether this (regional) template is the one for a document: one of ``regions``
        named in ``text`` (its cover, entity or region) and ``year`` in ``years``."""
        if year is not None and not self.years[0] <= year <= self.years[1]:
            return False
        return not self.regions or any(r in text for r in self.regions)

    @classmethod
    def load(cls, name_or_path: str | Path = "budget-2021") -> TemplateRules:
        """Load a rule file by name (``"budget-2021"``) or path; cached per file."""
        return _load(str(_resolve(name_or_path)))


# ---------------------------------------------------------------------- loading
def _data_dir() -> Path:
    return Path(str(resources.files("fiscalkit") / "data" / "quality"))


def available_rules() -> list[str]:
    """The names of the shipped rule files.

    >>> "budget-2021" in available_rules() and "final-2021" in available_rules()
    True
    """
    return sorted(p.stem for p in _data_dir().glob("*.json") if p.stem != "lexicon")


def _resolve(name_or_path: str | Path) -> Path:
    p = Path(name_or_path)
    if p.suffix == ".json" and p.exists():
        return p.resolve()
    candidate = _data_dir() / f"{name_or_path}.json"
    if candidate.exists() and str(name_or_path) != "lexicon":
        return candidate.resolve()
    raise FiscalkitError(f"no template rules {str(name_or_path)!r}; shipped: "
                         f"{', '.join(available_rules())}")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise InvalidValueError(f"not valid JSON: {e}", where=str(path)) from None
    if not isinstance(data, dict):
        raise InvalidValueError("a rule file is a JSON object", where=str(path))
    return data


def _merged(path: Path, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    data = _read(path)
    base_name = data.get("extends")
    if not base_name:
        return data
    if str(path) in seen:
        raise InvalidValueError(f"rule files extend each other in a cycle: {seen}",
                                where=str(path))
    base = _merged(_resolve(str(base_name)), (*seen, str(path)))
    drop = set(data.get("drop", ()))
    out = {**base, **{k: v for k, v in data.items() if k not in _LISTS}}
    out["sources"] = {**base.get("sources", {}), **data.get("sources", {})}
    for key in _LISTS:
        items = {i["id"]: i for i in base.get(key, ())
                 if i["id"] not in drop and f"{key}/{i['id']}" not in drop}
        for item in data.get(key, ()):
            items[item["id"]] = item
        out[key] = list(items.values())
    return out


_LISTS: Final = ("sections", "tables", "empty_statements", "explanations", "leftovers")


def _compile(patterns: Iterable[str], where: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p))
        except re.error as e:
            raise InvalidValueError(f"bad pattern {p!r}: {e}", where=where) from None
    return tuple(out)


def _status(value: Any, where: str) -> Status:
    if value not in STATUSES:
        raise InvalidValueError(f"status {value!r} is not one of {STATUSES}", where=where)
    status: Status = value
    return status


def _element(item: Mapping[str, Any], kind: ElementKind, where: str,
             sources: Mapping[str, Source]) -> Element:
    where = f"{where} ({kind} {item.get('id')!r})"
    for key in ("id", "name", "source", "status"):
        if key not in item:
            raise InvalidValueError(f"missing {key!r}", where=where)
    if item["source"] not in sources:
        raise InvalidValueError(f"unknown source {item['source']!r}", where=where)
    patterns = item.get("titles" if kind == "table" else "patterns") or ()
    if not patterns:
        raise InvalidValueError("no patterns", where=where)
    return Element(
        id=str(item["id"]), kind=kind, name=str(item["name"]),
        patterns=_compile(patterns, where), source=str(item["source"]),
        status=_status(item["status"], where), required=bool(item.get("required", True)),
        note=str(item.get("note", "")), standard=item.get("standard"),
        line=_compile(item.get("line", ()), where))


@functools.cache
def _load(path: str) -> TemplateRules:
    data = _merged(Path(path))
    where = path
    for key in ("id", "title", "phase"):
        if key not in data:
            raise InvalidValueError(f"missing {key!r}", where=where)
    if data["phase"] not in ("budget", "final"):
        raise InvalidValueError(f"phase {data['phase']!r} is not budget or final", where=where)
    sources = {k: Source(k, str(v.get("title", "")), _status(v.get("status"), f"{where} ({k})"))
               for k, v in data.get("sources", {}).items()}
    applies = data.get("applies", {})
    years = applies.get("years") or [0, 9999]
    explanations = []
    for item in data.get("explanations", ()):
        w = f"{where} (explanation {item.get('id')!r})"
        if item.get("kind") not in ("change", "outturn"):
            raise InvalidValueError(f"kind {item.get('kind')!r} is not change or outturn", where=w)
        if item.get("source") not in sources:
            raise InvalidValueError(f"unknown source {item.get('source')!r}", where=w)
        explanations.append(ExplanationRule(
            str(item["id"]), str(item.get("name", item["id"])), item["kind"],
            _compile(item.get("subjects", ()), w), str(item["source"]),
            _status(item.get("status"), w), str(item.get("note", ""))))
    leftovers = []
    for item in data.get("leftovers", ()):
        w = f"{where} (leftover {item.get('id')!r})"
        if item.get("source") not in sources:
            raise InvalidValueError(f"unknown source {item.get('source')!r}", where=w)
        (pattern,) = _compile([item["pattern"]], w)
        leftovers.append(Leftover(str(item["id"]), str(item.get("name", item["id"])), pattern,
                                  str(item["source"]), _status(item.get("status"), w)))
    phase: Literal["budget", "final"] = "final" if data["phase"] == "final" else "budget"
    return TemplateRules(
        id=str(data["id"]), title=str(data["title"]), phase=phase,
        region=str(data.get("region", "")), regions=tuple(applies.get("regions", ())),
        years=(int(years[0]), int(years[1])), basis=str(data.get("basis", "")),
        sources=sources,
        sections=tuple(_element(i, "section", where, sources) for i in data.get("sections", ())),
        tables=tuple(_element(i, "table", where, sources) for i in data.get("tables", ())),
        statements=tuple(_element(i, "statement", where, sources)
                         for i in data.get("empty_statements", ())),
        explanations=tuple(explanations), leftovers=tuple(leftovers), path=path)


def select_rules(phase: str | None, text: str, year: int | None,
                 candidates: Sequence[str] | None = None) -> TemplateRules:
    """The template for a document: a regional variant whose region and years match, else
    the national file of the phase (a document of unknown phase is taken as a budget).

    >>> select_rules("budget", "上海市普陀区财政局", 2025).id
    'shanghai-budget-2025'
    >>> select_rules("final", "某某市卫生健康委员会", 2021).id
    'final-2021'
    """
    want = "final" if phase == "final" else "budget"
    loaded = [TemplateRules.load(n) for n in (candidates or available_rules())]
    same = [r for r in loaded if r.phase == want]
    regional = [r for r in same if r.regions and r.applies_to(text, year)]
    if regional:
        return regional[0]
    national = [r for r in same if not r.regions and r.applies_to(text, year)]
    if national:
        return national[0]
    return TemplateRules.load(f"{want}-2021")


@functools.cache
def lexicon() -> Mapping[str, Any]:
    """The word lists of the slip rules (``lexicon.json``): purposes, former code names,
    words that look like place names but are not.

    >>> words = lexicon()
    >>> sorted(words)
    ['basis', 'code_aliases', 'place_false_positives', 'purposes']
    >>> housing = words["purposes"][0]
    >>> housing["item"], housing["expect"]
    ('住房公积金', ['住房', '公积金'])
    >>> "自治区" in words["place_false_positives"]
    True
    """
    data = _read(_data_dir() / "lexicon.json")
    return data
