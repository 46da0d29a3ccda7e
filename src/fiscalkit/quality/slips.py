"""Common slips: small rules for the mistakes careful readers keep finding in disclosures.

Each rule is a small function from a :class:`~fiscalkit.quality.document.Document` to
findings, with a fixture where it fires and one where it must not (``tests/test_quality.py``).
Severity follows one policy: **error** only where the text contradicts itself or the
classification unambiguously, **warning** for a likely problem a human should look at,
**info** for style.

``slip.unit_factor`` (warning)
    a figure off by 10,000 against its context: 元 written for 万元 or the reverse (a sum or
    a restatement holds only after rescaling one figure);
``slip.code_name`` (error or warning)
    a classification code printed with another name ("2210201 医疗保险"): an error when the
    name is another code's official name, else a warning;
``slip.purpose`` (warning)
    an item described under another item's purpose (住房公积金 "主要用于…医疗保险");
``slip.entity_name`` (warning)
    the entity named differently on the cover, in a header or in the body;
``slip.other_jurisdiction`` (warning)
    another place named in the text ("广宁县" in a district of Henan), found with
    :func:`fiscalkit.performance.place_names`;
``slip.completion_zero_base`` (error)
    a completion rate stated on a zero 年初预算;
``slip.empty_note_with_numbers`` (error)
    "本表为空表" or "无数据" under a table that prints amounts;
``slip.empty_note_mismatch`` (warning)
    an empty-table note naming another fund than the table above it;
``slip.leftover`` (warning)
    template text left in: "（以下各项内容如金额为0，仍需进行说明）", "增加（减少）", "XX" …;
``slip.running_costs_shiye`` (warning)
    机关运行经费 stated by a 事业单位 (the term, and usually the glossary, covers 行政单位 and
    参公 units);
``slip.numbering`` (info)
    a numbered list starting past 1, or skipping a number.

>>> report = slips("一、收支总体情况\\n2021年收入预算比上年增加（减少）0万元。")
>>> [(f.rule, f.severity) for f in report.findings]
[('slip.leftover', 'warning')]
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from fiscalkit import classification
from fiscalkit.disclosure.model import StatedFigure
from fiscalkit.errors import FiscalkitError
from fiscalkit.findings import FigureRef, Finding, Report, Severity
from fiscalkit.performance import place_names
from fiscalkit.quality._text import Sentence, amount, lines_of, squash
from fiscalkit.quality.completeness import rules_for
from fiscalkit.quality.document import Document, as_document
from fiscalkit.quality.explanations import outturns
from fiscalkit.quality.rules import TemplateRules, lexicon
from fiscalkit.units import fen_per

__all__ = [
    "RULES",
    "check_code_names",
    "check_completion_zero_base",
    "check_empty_notes",
    "check_entity_name",
    "check_leftovers",
    "check_numbering",
    "check_other_jurisdiction",
    "check_purposes",
    "check_running_costs",
    "check_unit_factor",
    "own_places",
    "slips",
]

_MONEY: Final = ("元", "万元", "亿元", "千元")


def _ref_sentence(s: Sentence, label: str, value: str = "", unit: str = "") -> FigureRef:
    return FigureRef(f"text@{s.start}", label, value, unit, s.text)


def _where(s: Sentence) -> dict[str, Any]:
    return {"sentence": s.text, "start": s.start, "end": s.end}


def _fig_ref(f: StatedFigure) -> FigureRef:
    return FigureRef(f.id, f.label_zh, f.printed, f.unit, f.sentence)


# ---------------------------------------------------------------------- 1. unit factor
_TEN_THOUSAND: Final = Decimal(10000)


def _yuan(f: StatedFigure) -> tuple[Decimal, Decimal]:
    """A money figure in 元 and its half-precision in 元."""
    k = Decimal(fen_per(f.unit)) / 100
    return f.value * k, f.precision * k / 2


def check_unit_factor(doc: Document) -> Iterator[Finding]:
    """A sum or restatement that holds only when one figure is multiplied or divided by
    10,000: that figure was printed in 元 where 万元 was meant, or the reverse.

    The reconciliation reports the broken sum itself (an error); this rule names the likely
    cause, so it is a warning. Money figures of the document's ``sum``/``same`` relations
    are compared in 元 with their published precision; sentences "合计T，其中：a、b…" whose
    parts the reader could not relate (mixed units) are checked from the text.

    >>> doc = as_document("某局2021年部门预算\\n某局2021年支出合计500万元，"
    ...                   "其中：基本支出480元，项目支出20万元。")     # 480万元 + 20万元 = 500万元
    >>> [(f.rule, f.severity, f.message) for f in check_unit_factor(doc)]
    [('slip.unit_factor', 'warning', '480元 is off by a factor of 10,000 against the total \
500万元 and the other parts: probably 万元 was meant')]
    """
    found = list(_unit_factor_figures(doc))
    yield from found
    covered = [squash(str(f.details.get("sentence", ""))) for f in found]
    yield from check_unit_factor_text(doc, [c for c in covered if c])


def _unit_factor_figures(doc: Document) -> Iterator[Finding]:
    d = doc.disclosure
    if d is None:
        return
    figs = {f.id: f for f in d.figures if f.unit in _MONEY}
    for f in d.figures:
        if f.id not in figs:
            continue
        for call in f.relations:
            args = [figs[a] for a in call.args if a in figs]
            if len(args) != len(call.args) or not args:
                continue
            total, tol = _yuan(f)
            parts = [_yuan(a) for a in args]
            if call.fn == "same":
                (v, t), = parts
                for factor in (_TEN_THOUSAND, 1 / _TEN_THOUSAND):
                    if v and abs(total - v) > tol + t and abs(total - v * factor) <= tol + t * \
                            factor:
                        wrong = args[0] if factor > 1 else f
                        yield _unit_finding(wrong, (f, args[0]), factor > 1)
                continue
            if call.fn != "sum":
                continue
            s = sum((v for v, _ in parts), Decimal(0))
            slack = tol + sum((t for _, t in parts), Decimal(0))
            if abs(total - s) <= slack:
                continue
            for a, (v, t) in zip(args, parts, strict=True):
                for factor in (_TEN_THOUSAND, 1 / _TEN_THOUSAND):
                    fixed = s - v + v * factor
                    if v and abs(total - fixed) <= slack - t + t * factor:
                        yield _unit_finding(a, (f, *args), factor > 1)


_MONEY_IN: Final = re.compile(r"(?<![0-9.,])(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)"
                              r"(?P<unit>亿元|万元|千元|元)(?!以上|以下|（含）)")


_CHANGE_BEFORE: Final = re.compile(r"(?:增加|减少|增长|下降|上升|降低|节约|压减|持平|相比|为|占)"
                                   r"(?:（[^（）]{1,4}）)?$")


def check_unit_factor_text(doc: Document, covered: Sequence[str] = ()) -> Iterator[Finding]:
    """The same check on the text alone, for "合计T，其中：a…、b…" sentences whose parts
    are printed in different units (the narrative reader relates only like units)."""
    for s in doc.sentences:
        if "其中" not in s.flat or any(c in s.flat for c in covered):
            continue
        at = s.flat.index("其中")
        found = [(m, amount(m.group("num"))) for m in _MONEY_IN.finditer(s.flat)
                 if not _CHANGE_BEFORE.search(s.flat, max(0, m.start() - 4), m.start())]
        money = [(m, v) for m, v in found if v is not None]
        head = [(m, v) for m, v in money if m.start() < at]
        parts = [(m, v) for m, v in money if m.start() > at]
        if not head or len(parts) < 2:
            continue
        tm, tv = head[-1]
        assert tv is not None
        k = Decimal(fen_per(tm.group("unit"))) / 100
        total = tv * k
        tol = _half(tm.group("num")) * k
        vals = []
        for m, v in parts:
            assert v is not None
            kk = Decimal(fen_per(m.group("unit"))) / 100
            vals.append((m, v * kk, _half(m.group("num")) * kk))
        ssum = sum((v for _, v, _ in vals), Decimal(0))
        slack = tol + sum((t for _, _, t in vals), Decimal(0))
        if abs(total - ssum) <= slack:
            continue
        for m, v, t in vals:
            for factor in (_TEN_THOUSAND, 1 / _TEN_THOUSAND):
                if abs(total - (ssum - v + v * factor)) <= slack - t + t * factor:
                    unit_meant = "万元" if factor > 1 else "元"
                    yield Finding(
                        "slip.unit_factor", "warning",
                        f"{m.group(0)} is off by a factor of 10,000 against the total "
                        f"{tm.group(0)} and the other parts: probably {unit_meant} was meant",
                        figures=(_ref_sentence(s, m.group(0), m.group("num"), m.group("unit")),),
                        explanation=("The parts add up to the total exactly once this one is "
                                     "rescaled by 10,000, the ratio of 万元 to 元."),
                        details={"sentence": s.text, "start": s.start, "end": s.end})


def _half(printed: str) -> Decimal:
    digits = printed.replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return Decimal(1).scaleb(-decimals) / 2


def _unit_finding(wrong: StatedFigure, involved: Sequence[StatedFigure], too_small: bool
                  ) -> Finding:
    unit_meant = "万元" if too_small else "元"
    return Finding(
        "slip.unit_factor", "warning",
        f"{wrong.label_zh} {wrong.printed}{wrong.unit} is off by a factor of 10,000 against "
        f"the figures around it: probably {unit_meant} was meant",
        figures=tuple(_fig_ref(x) for x in dict.fromkeys(involved)),
        explanation=("The figures agree exactly once this one is rescaled by 10,000, the "
                     "ratio of 万元 to 元: the unit was mistyped or the number copied from a "
                     "table in the other unit."),
        details={"figure": wrong.id, "sentence": wrong.sentence})


# ---------------------------------------------------------------------- 2. code and name
_CODE_LINE: Final = re.compile(
    r"^\s*(?P<code>[235][0-9]{2}(?:[0-9]{2}){0,2})\s+(?P<name>[\u4e00-\u9fff][\u4e00-\u9fff（）()、“”]*)")
_NAME_NOISE: Final = re.compile(r"[（(](?:类|款|项)[）)]|[\s“”\"()（）]")


def _fold(name: str) -> str:
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name))


def _names_agree(printed: str, official: str) -> bool:
    p, o = _fold(printed), _fold(official)
    if not p or not o:
        return True
    if p == o or p in o or o in p:
        return True
    return o.startswith(p) or (len(p) >= 4 and o.startswith(p[:-1]))


def _aliases(code: str, year: int | None) -> list[str]:
    out: list[str] = []
    for a in lexicon().get("code_aliases", ()):
        lo, hi = a.get("years", [0, 9999])
        if a["code"] == code and (year is None or lo <= year <= hi):
            out.extend(a["names"])
    return out


def _code_pairs(doc: Document) -> Iterator[tuple[str, str, Sentence | None, str]]:
    """(code, printed name, sentence, where) pairs: the rows of the tables the PDF reader
    read, and text lines that print a code and a name side by side. A code alone on its
    line is not paired with the next line: in text extracted from multi-column tables the
    next line is as often another column's header."""
    seen: set[tuple[str, str]] = set()
    for t in doc.tables:
        for code, label in t.rows:
            if code and label and (code, label) not in seen:
                seen.add((code, label))
                yield code, label, None, f"table {t.title}"
    for start, line in lines_of(doc.text):
        m = _CODE_LINE.match(line)
        if not m:
            continue
        code, name = m.group("code"), m.group("name")
        if len(name) < 2 or (code, name) in seen:
            continue
        seen.add((code, name))
        yield code, name, _sentence_at(doc, start + m.start("code")), "text"


def _sentence_at(doc: Document, offset: int) -> Sentence | None:
    for s in doc.sentences:
        if s.start <= offset < s.end:
            return s
    return None


def check_code_names(doc: Document, edition: classification.Edition | None = None
                     ) -> Iterator[Finding]:
    """A classification code printed beside a name that is not its name.

    Pairs come from the tables the PDF reader read and from text lines printing "code name"
    side by side. A code the shipped edition lacks is skipped (the edition is incomplete);
    former names of a code in the document's year (``lexicon.json``) are accepted; a 类 code
    (3 digits) is checked only against a name that looks like a 类 (…支出, …补助), since a
    bare three-digit number in a table is more often an amount. **error** when the printed
    name is the official name of another code and the code's own name is verified in the
    edition of the document's year; **warning** otherwise.

    >>> doc = as_document("某局2021年部门预算\\n一般公共预算支出表\\n单位：万元\\n"
    ...                   "2210201 行政单位医疗 30.00\\n2101101 行政单位医疗 12.00\\n")
    >>> [(f.severity, f.message) for f in check_code_names(doc)]
    [('error', 'code 2210201 is 住房公积金, but is printed as 行政单位医疗 (the name of 2101101)')]
    """
    ed = edition or classification.shipped()
    year = doc.year
    same_edition = year is None or year == ed.year
    for code, name, sentence, where in _code_pairs(doc):
        try:
            entry = ed.get(code)
        except FiscalkitError:
            continue
        if entry is None:
            continue
        if len(code) == 3 and not re.search(r"支出|补助|其他", name):
            continue
        official = entry.name_zh
        if _names_agree(name, official) or any(_names_agree(name, a)
                                               for a in _aliases(code, year)):
            continue
        other = _named_code(ed, name, entry.scheme)
        verified = entry.status in ("verified", "name_verified")
        severity: Severity = "error" if other and verified and same_edition else "warning"
        msg = f"code {code} is {official}, but is printed as {name}"
        if other:
            msg += f" (the name of {other})"
        expl = ("A code and its name contradict each other: one of them is wrong, so the line "
                "is counted under the wrong heading or named wrongly.")
        if not same_edition:
            expl += (f" The shipped classification is the {ed.year} edition and the document "
                     f"is of {year}: names change between editions, check the year's list.")
        ref = (_ref_sentence(sentence, name, code) if sentence
               else FigureRef(f"code:{code}", name, code, "", where))
        yield Finding("slip.code_name", severity, msg, figures=(ref,), explanation=expl,
                      details={"code": code, "printed": name, "official": official,
                               "other": other or "", "where": where,
                               **(_where(sentence) if sentence else {})})


def _named_code(ed: classification.Edition, name: str, scheme: str) -> str:
    try:
        return ed.lookup(name, scheme=scheme).code
    except (FiscalkitError, KeyError, ValueError):
        return ""


# ---------------------------------------------------------------------- 3. purposes
_PURPOSE: Final = re.compile(r"(?:主要)?用于(?P<purpose>[^。；]*)")


def check_purposes(doc: Document) -> Iterator[Finding]:
    """An item described under another item's purpose ("住房公积金…主要用于…医疗保险").

    For each "…用于…" clause, the item is the last listed item named between the previous
    sentence or purpose and 用于; the purpose is what follows. A warning when the purpose
    names a conflicting item (``lexicon.json``: 医疗 for 住房公积金) and none of the words
    the item's purpose is expected to have.

    >>> doc = as_document("住房公积金（项）30万元，主要用于缴纳职工基本医疗保险费。"
    ...                   "公务用车运行维护费6万元，主要用于公务用车的燃料费。")
    >>> [f.message for f in check_purposes(doc)]
    ["住房公积金 is described as used for 缴纳职工基本医疗保险费 (医疗), which is another item's \
purpose"]
    """
    items = [(re.compile(p["item"]), p) for p in lexicon().get("purposes", ())]
    for s in doc.sentences:
        prev_end = 0
        for m in _PURPOSE.finditer(s.flat):
            head = s.flat[prev_end:m.start()]
            prev_end = m.end()
            best: tuple[int, str, Mapping[str, Any]] | None = None
            for rx, spec in items:
                for im in rx.finditer(head):
                    if best is None or im.end() > best[0]:
                        best = (im.end(), im.group(0), spec)
            if best is None:
                continue
            _, item, spec = best
            purpose = m.group("purpose")
            if any(w in purpose for w in spec["expect"]):
                continue
            conflicts = [w for w in spec["conflict"] if w in purpose]
            if not conflicts:
                continue
            yield Finding(
                "slip.purpose", "warning",
                f"{item} is described as used for {purpose[:40]} ({'、'.join(conflicts)}), "
                "which is another item's purpose",
                figures=(_ref_sentence(s, item),),
                explanation=(f"{spec.get('note', item)}: its purpose should mention "
                             f"{'/'.join(spec['expect'])}; the description was probably copied "
                             "from the line above or below."),
                details={"item": item, "purpose": purpose, **_where(s)})


# ---------------------------------------------------------------------- 4. entity name
_ORG: Final = (r"(?:委员会|办公厅|办公室|街道办事处|办事处|中心|管理局|局|委|厅|院|所|站|队|馆|"
               r"处|部|会|政府|学校|医院|法院|检察院|公司)")
_MENTION: Final = re.compile(
    rf"(?:^|(?<=[。；：\n]))\s*(?:[0-9]{{4}}年度?，?)?(?P<name>[\u4e00-\u9fff（）]{{2,40}}?{_ORG})"
    r"(?:（(?:部门|单位|本级)）)?\s*(?=[0-9]{4}\s*年|主要职[能责]|机构设置|部门概况|单位概况|"
    r"部门预算|部门决算|单位预算|单位决算)")
_HEADER: Final = re.compile(
    rf"(?:预算主管部门|编制部门|编制单位|单位名称|部门名称|部门)：\s*"
    rf"(?P<name>[\u4e00-\u9fff（）]{{2,40}}?{_ORG})(?![\u4e00-\u9fff])")
_GENERIC_NAMES: Final = frozenset({"本部门", "我部门", "本单位", "我单位", "本局", "我局", "本委",
                                   "我委", "本中心", "我中心", "本院", "我院", "本级", "部门",
                                   "单位", "所属单位", "各单位", "下属单位"})


_PART_PREFIX: Final = re.compile(r"^第[一二三四五六七八九十]+部分")


def _line_sentence(doc: Document, start: int, line: str) -> Sentence:
    found = _sentence_at(doc, start)
    if found is not None and line.strip() in found.text:
        return found
    lead = len(line) - len(line.lstrip())
    return Sentence(start + lead, start + len(line.rstrip()), line.strip(), squash(line),
                    False, False)


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _compatible(name: str, canonical: str) -> bool:
    a, b = _fold(name), _fold(canonical)
    return _subsequence(a, b) or _subsequence(b, a)


def check_entity_name(doc: Document) -> Iterator[Finding]:
    """The entity named differently on the cover, in table headers or in the body.

    >>> doc = as_document("江临县农业农村局2021年部门预算\\n一、收入预算总体情况说明\\n"
    ...                   "江临县林业局2021年收入合计400万元。")
    >>> [f.message for f in check_entity_name(doc)]
    ['the entity is named 江临县林业局 here but 江临县农业农村局 elsewhere']

    The canonical name is the metadata's (else the cover's). Mentions are names that open a
    sentence or line as the subject ("XX局2021年收入…", "XX局主要职能") and the names in
    header fields ("编制部门：XX局"). A short form (省委办公厅 for 中国共产党江苏省委员会办公厅)
    is the same name when one is a subsequence of the other; anything else is reported.
    """
    canonical = doc.entity
    if not canonical:
        return
    reported: set[str] = set()
    headers = [_line_sentence(doc, a, line) for a, line in lines_of(doc.text)
               if _HEADER.search(line)]
    for s in (*doc.sentences, *headers):
        for rx in (_MENTION, _HEADER):
            for m in rx.finditer(s.text):
                name = _PART_PREFIX.sub("", squash(m.group("name")))
                if (name in _GENERIC_NAMES or name in reported or len(name) < 3
                        or _compatible(name, canonical)):
                    continue
                reported.add(name)
                yield Finding(
                    "slip.entity_name", "warning",
                    f"the entity is named {name} here but {canonical} elsewhere",
                    figures=(_ref_sentence(s, name),),
                    explanation=("A disclosure names one entity throughout; another name in a "
                                 "subject position or a header usually means text copied "
                                 "from another unit's disclosure."),
                    details={"name": name, "canonical": canonical, **_where(s)})


# ---------------------------------------------------------------------- 5. jurisdiction
def own_places(doc: Document) -> list[str]:
    """The document's own place names: those in its region, entity and title.

    >>> own_places(as_document("龙湖区政务服务中心2021年部门预算"))
    ['龙湖区']
    """
    own: list[str] = []
    title = re.split(r"[。，；：]", doc.covers[0][:80])[0] if doc.covers else ""
    for text in (doc.region, doc.entity, title):
        if text:
            for p in place_names(text):
                if p not in own:
                    own.append(p)
            if text == doc.region and text not in own:
                own.append(text)
    return own


def check_other_jurisdiction(doc: Document) -> Iterator[Finding]:
    """A place named in the text that is not the document's own: text copied from another
    unit's disclosure, like "广宁县网络正常使用1年" in a district of Henan.

    Candidates come from :func:`fiscalkit.performance.place_names` (the detection the target
    audit uses), minus words that only look like places (``lexicon.json``) and places named
    right before an own place (its parents: "安阳市青山区"). One warning per place, citing
    the first sentence that names it. Runs only when the document's own places are known.

    >>> doc = as_document("江临县某某中心2021年部门预算\\n"
    ...                   "落实省委、市委部署，保障江临县网络通畅，广宁县网络正常使用1年。")
    >>> [(f.details["place"], f.message) for f in check_other_jurisdiction(doc)]
    [('广宁县', "'广宁县' is not the disclosure's own jurisdiction (江临县)")]
    """
    own = own_places(doc)
    if not own:
        return
    noise = set(lexicon().get("place_false_positives", ()))
    seen: set[str] = set()
    for s in doc.sentences:
        if doc.in_toc(s.start):
            continue
        for place in place_names(s.flat):
            if place in seen or place in noise or _is_own(place, own) or place[1] in _SUFFIXES:
                continue
            at = s.flat.find(place)
            after = s.flat[at + len(place):at + len(place) + 6]
            if any(after.startswith(o[:2]) for o in own):  # a parent: 安阳市青山区
                continue
            if after[:1] in _INSTITUTION_NEXT or place[0] in _NOT_NAME_START:
                continue  # 省委, 市财政局, 县乡人大: the suffix is an adjective, not a name
            seen.add(place)
            yield Finding(
                "slip.other_jurisdiction", "warning",
                f"'{place}' is not the disclosure's own jurisdiction ({'、'.join(own)})",
                figures=(_ref_sentence(s, place),),
                explanation=("The text names another place; it was probably copied from "
                             "another unit's disclosure and not adapted."),
                details={"place": place, "own": list(own), **_where(s)})


_SUFFIXES: Final = frozenset("县市区省州旗")
#: Characters after 省/市/县/区 that make it an adjective of an institution or a list
#: ("省委", "市财政局", "县乡", "市、区"), so the two characters before it are no name.
_INSTITUTION_NEXT: Final = frozenset(
    "人委政级领党纪监法检财教公卫民商国司审统交农水林文体科发住环应市县区乡镇属内外域两各"
    "有关部机直本相单局与和及、的（“·主第辖对")
_NOT_NAME_START: Final = frozenset("驻在于对向从由按照据与和及或是为了到给往")


def _is_own(place: str, own: Sequence[str]) -> bool:
    return any(place in o or o.endswith(place) or place.endswith(o) for o in own)


# ---------------------------------------------------------------------- 6. zero base
def check_completion_zero_base(doc: Document) -> Iterator[Finding]:
    """A completion rate ("完成年初预算的N%") stated on a zero 年初预算: N is a division by
    zero, so the text contradicts itself — an error.

    >>> doc = as_document("某局2021年部门决算\\n1.行政运行（项）。年初预算为0万元，"
    ...                   "支出决算为5万元，完成年初预算的100%。")
    >>> [(f.severity, f.message) for f in check_completion_zero_base(doc)]
    [('error', 'completion rate 100% stated on a 年初预算 of 0万元')]
    """
    for o in outturns(doc):
        if o.budget == 0 and o.rate is not None:
            yield Finding(
                "slip.completion_zero_base", "error",
                f"completion rate {o.rate:f}% stated on a 年初预算 of 0{o.budget_unit}",
                figures=(_ref_sentence(o.sentence, "完成年初预算", f"{o.rate:f}", "%"),),
                expected=None, actual=o.rate,
                explanation=("A share of a zero budget is undefined; the template asks to "
                             "explain an unbudgeted outturn, not to state a rate."),
                details=_where(o.sentence))


# ---------------------------------------------------------------------- 7. empty notes
_EMPTY_NOTE: Final = re.compile(
    r"本表(?:为)?空表|故本表(?:为空|无数据|无内容)|本表无数据|本表数据为空|空表说明|"
    r"（无[^（）]{1,20}(?:支出|收入|预算)）")
_FUNDS: Final = (("政府性基金", re.compile(r"政府性基金")),
                 ("国有资本经营", re.compile(r"国有资本(?:金)?经营")),
                 ("三公", re.compile(r"三公")), ("机关运行经费", re.compile(r"机关运行")))


def _funds_in(text: str) -> set[str]:
    return {name for name, rx in _FUNDS if rx.search(text)}


def check_empty_notes(doc: Document) -> Iterator[Finding]:
    """Notes that say a table is empty.

    ``slip.empty_note_with_numbers`` (error): the note stands under a table that prints
    non-zero amounts — the document contradicts itself. ``slip.empty_note_mismatch``
    (warning): the note names a fund (政府性基金, 国有资本经营 …) other than the one in the
    table's title — a note copied from the table before.

    >>> doc = as_document("某局2021年部门预算\\n政府性基金预算支出表\\n单位：万元\\n"
    ...                   "2120101 城市公用设施 12.50\\n注：本部门没有政府性基金预算拨款安排的"
    ...                   "支出，故本表为空表。\\n国有资本经营预算支出表\\n单位：万元\\n合计\\n"
    ...                   "注：本部门没有政府性基金预算拨款安排的支出，故本表为空表。\\n")
    >>> [(f.rule, f.severity, f.details["table"]) for f in check_empty_notes(doc)]
    [('slip.empty_note_with_numbers', 'error', '政府性基金预算支出表'), \
('slip.empty_note_mismatch', 'warning', '国有资本经营预算支出表')]
    """
    for t in doc.text_tables:
        note_line = next((line for line in t.body if _EMPTY_NOTE.search(squash(line))), None)
        if note_line is None:
            continue
        at = doc.text.find(note_line, t.start, t.end)
        s = (_sentence_at(doc, at) if at >= 0 else None) or Sentence(
            max(at, t.start), max(at, t.start) + len(note_line), note_line, squash(note_line),
            False, False)
        cells = t.amounts(before=_EMPTY_NOTE)
        note_funds, title_funds = _funds_in(squash(note_line)), _funds_in(t.title)
        if cells:
            yield Finding(
                "slip.empty_note_with_numbers", "error",
                f"the note says the table is empty, but {t.title} prints amounts "
                f"({', '.join(cells[:3])}{' …' if len(cells) > 3 else ''})",
                figures=(_ref_sentence(s, t.title),),
                explanation="A note left over from another year or copied from an empty "
                            "table: either the note or the amounts are wrong.",
                details={"table": t.title, "amounts": cells[:10], **_where(s)})
        if note_funds and title_funds and not note_funds & title_funds:
            yield Finding(
                "slip.empty_note_mismatch", "warning",
                f"the empty-table note under {t.title} speaks of "
                f"{'、'.join(sorted(note_funds))}",
                figures=(_ref_sentence(s, t.title),),
                explanation="The note was copied from the neighbouring table's note and "
                            "not adapted: the reader is told about the wrong fund.",
                details={"table": t.title, **_where(s)})


# ---------------------------------------------------------------------- 8. leftovers
def check_leftovers(doc: Document, rules: TemplateRules) -> Iterator[Finding]:
    """Template instructions and placeholders left in the published text, one warning per
    sentence and kind ("增加（减少）", "（以下各项内容如金额为0，仍需进行说明）", "XX").

    >>> doc = as_document("某局2021年部门预算\\n公务接待费预算数比2020年增加（减少）0万元。\\n"
    ...                   "截至2020年末，共有车辆XX辆。")
    >>> rules = TemplateRules.load("budget-2021")
    >>> [(f.details["kind"], f.details["text"]) for f in check_leftovers(doc, rules)]
    [('unmade_choice', '增加（减少）'), ('placeholder', 'XX')]
    """
    for s in doc.sentences:
        if doc.in_toc(s.start):
            continue
        for lo in rules.leftovers:
            found = [m.group(0) for m in lo.pattern.finditer(s.flat)]
            if not found:
                continue
            shown = "、".join(dict.fromkeys(found))
            yield Finding(
                "slip.leftover", "warning", f"template text left in: {shown} ({lo.name})",
                figures=(_ref_sentence(s, shown),),
                explanation=("Whoever filled in the template left its instruction or an "
                             "unmade choice in the published text; the statement it belongs "
                             f"to may be incomplete ({rules.id}: {lo.status})."),
                details={"kind": lo.id, "text": shown, **_where(s)})


# ---------------------------------------------------------------------- 9. running costs
_RUNNING: Final = re.compile(r"机关运行经费[^。；，]{0,20}?(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)"
                             r"(?P<unit>亿元|万元|千元|元)")
_GLOSSARY_RUNNING: Final = re.compile(r"机关运行经费：?[^。]{0,30}行政单位")
_MIXED: Final = re.compile(r"行政单位[0-9]+家|参公单位[0-9]+家|(?:属|为|是)[^。；，]{0,12}?"
                           r"(?:参照公务员法管理|参公)")


def check_running_costs(doc: Document) -> Iterator[Finding]:
    """机关运行经费 stated by a 事业单位: the term (and usually the document's own glossary)
    covers 行政单位 and 参公 units only. A warning: some regions ask every unit to report it.

    >>> text = "某中心2021年部门预算\\n某中心属正科级{}。\\n某中心2021年机关运行经费89.9万元。"
    >>> [f.message for f in check_running_costs(as_document(text.format("事业单位")))]
    ['a 事业单位 states 机关运行经费 of 89.9万元']
    >>> list(check_running_costs(as_document(text.format("行政单位"))))
    []
    """
    unit_type = doc.unit_type
    if unit_type != "事业单位" or _MIXED.search(doc.before_glossary):
        return
    for s in doc.sentences:
        m = _RUNNING.search(s.flat)
        if not m or (v := amount(m.group("num"))) is None or v == 0:
            continue
        own_glossary = bool(_GLOSSARY_RUNNING.search(doc.flat.text))
        yield Finding(
            "slip.running_costs_shiye", "warning",
            f"a 事业单位 states 机关运行经费 of {v:f}{m.group('unit')}",
            figures=(_ref_sentence(s, "机关运行经费", f"{v:f}", m.group("unit")),),
            explanation=("机关运行经费 are the running costs of 行政单位 and 参公 units"
                         + (", as the document's own glossary says" if own_glossary else "")
                         + "; for a 事业单位 the figure is likely its 公用经费 under the "
                           "wrong name."),
            details={"unit_type": unit_type, **_where(s)})
        return


# ---------------------------------------------------------------------- 10. numbering
_ITEM: Final = re.compile(r"^\s*([0-9]{1,2})\s*[、.．](?![0-9])")
_TOP: Final = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")
_INLINE_ITEM: Final = re.compile(r"(?<![0-9.])([0-9]{1,2})\s*[、.．](?![0-9])")


def _numbers_in(text: str) -> set[int]:
    return {int(m.group(1)) for m in _INLINE_ITEM.finditer(text)}


def check_numbering(doc: Document) -> Iterator[Finding]:
    """A numbered list that starts past 1 ("10、… 11、… 12、" after unnumbered duties) or
    skips a number. Style (info): the text is complete, its numbering is not.

    >>> doc = as_document("一、主要职责\\n负责政务服务工作。\\n10、负责电子政务建设。\\n"
    ...                   "11、负责网站运行维护。\\n二、项目\\n1、网站运维。\\n2、大厅运转。\\n"
    ...                   "4、网络维护。")
    >>> [(f.severity, f.message) for f in check_numbering(doc)]
    [('info', 'a numbered list starts at 10 (10, 11)'), ('info', 'the numbering jumps from 2 to 4')]
    """
    run: list[tuple[int, int]] = []
    previous: set[int] = set()
    lines = lines_of(doc.body)

    def close() -> Iterator[Finding]:
        if not run:
            return
        first_no, first_at = run[0]
        before = doc.text[max(0, first_at - 300):first_at]
        # introduced inline ("分别是：1.…"), or the list before went on past it (a page
        # printed twice, as clipped spreadsheet printouts are)
        introduced = first_no - 1 in previous or first_no - 1 in _numbers_in(before)
        gaps = [(a, b) for (a, pa), (b, pb) in itertools.pairwise(run)  # items may run on
                if b != a + 1 and a + 1 not in _numbers_in(doc.body[pa:pb])]  # inline: "2.甲3.乙"
        if first_no > 1 and not introduced:
            s = _sentence_at(doc, first_at)
            if s is not None:
                yield Finding(
                    "slip.numbering", "info",
                    f"a numbered list starts at {first_no} "
                    f"({', '.join(str(n) for n, _ in run[:4])}{' …' if len(run) > 4 else ''})",
                    figures=(_ref_sentence(s, f"{first_no}、"),),
                    explanation="The items before it are unnumbered or were deleted; "
                                "numbering from 1 tells the reader nothing is missing.",
                    details={"numbers": [n for n, _ in run], **_where(s)})
        for a, b in gaps:
            at = next(pos for n, pos in run if n == b)
            s = _sentence_at(doc, at)
            if s is not None and b > a:
                yield Finding("slip.numbering", "info", f"the numbering jumps from {a} to {b}",
                              figures=(_ref_sentence(s, f"{b}、"),),
                              explanation="An item may have been deleted or misnumbered.",
                              details={"numbers": [n for n, _ in run], **_where(s)})

    for start, line in lines:
        if doc.in_toc(start):
            continue
        if _TOP.match(line):
            yield from close()
            run, previous = [], set()
            continue
        m = _ITEM.match(line)
        if not m:
            continue
        n = int(m.group(1))
        if run and n <= run[-1][0]:
            yield from close()
            previous = {k for k, _ in run}
            run = []
        run.append((n, start + m.start(1)))
    yield from close()


# ---------------------------------------------------------------------- all together
#: The slip rules by id (each takes a Document; ``leftover`` also takes the rules).
RULES: Final[Mapping[str, Callable[..., Iterator[Finding]]]] = {
    "unit_factor": check_unit_factor,
    "code_name": check_code_names,
    "purpose": check_purposes,
    "entity_name": check_entity_name,
    "other_jurisdiction": check_other_jurisdiction,
    "completion_zero_base": check_completion_zero_base,
    "empty_notes": check_empty_notes,
    "leftover": check_leftovers,
    "running_costs": check_running_costs,
    "numbering": check_numbering,
}


def slips(disclosure_or_text: Any, rules: TemplateRules | str | Path | None = None, *,
          only: Sequence[str] | None = None) -> Report:
    """Run the slip rules (all, or those named in ``only``) and collect their findings.

    ``checks`` counts one per rule run: the rules scan the whole text, so "passed" means
    "this rule found nothing".

    >>> text = "某局2021年部门预算\\n住房公积金（项）30万元，主要用于缴纳职工基本医疗保险费。"
    >>> [(f.rule, f.details["item"]) for f in slips(text, only=["purpose"]).findings]
    [('slip.purpose', '住房公积金')]
    """
    doc = as_document(disclosure_or_text)
    r = rules_for(doc, rules)
    findings: list[Finding] = []
    names = list(only) if only is not None else list(RULES)
    seen: set[tuple[str, str, str]] = set()
    for name in names:
        fn = RULES[name]
        for f in (fn(doc, r) if name == "leftover" else fn(doc)):
            key = (f.rule, f.message, str(f.details.get("start", "")))
            if key not in seen:  # one finding per rule, message and place
                seen.add(key)
                findings.append(f)
    return Report.of(findings, len(names), doc.name, title="Common slips")
