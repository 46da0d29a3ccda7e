"""Performance targets (绩效目标) as data, an audit of their quality, self-evaluation scoring, PEFA.

Chinese budget disclosures end with the performance targets of each project: a 一级 indicator
(产出 output, 效益 benefit, 满意度 satisfaction — and 成本 cost where the 2021 guide is followed),
a 二级 dimension (数量, 质量, 时效, 成本; 经济/社会/生态效益, 可持续影响; 服务对象满意度), a name, a
comparator and a target value. They are usually published as run-on text, so this module

1. models them — :class:`Indicator` (immutable; direction inferred from the name, because a
   死亡率 or 故障率 is better low, and treating every indicator as higher-is-better is the known
   bug of practice tools) and :class:`Project`; built from records, from a DataFrame with
   columns ``project,level1,level2,name,comparator,target,unit,sentence``, from a bundled
   dataset (:func:`projects_from_disclosure`) or from text (:func:`parse_indicators`, which
   returns what it could not read instead of dropping it);
2. audits target quality (:func:`audit`) — unmeasurable targets, targets saturated at 100%,
   implausible directions, 100% satisfaction, missing dimensions, cost indicators that disagree
   with the budget at its published precision, and names of another jurisdiction — as
   :class:`~fiscalkit.findings.Finding` values, each citing the sentence it comes from;
3. scores a self-evaluation (单位自评) by the national method of 财预〔2020〕10号 or a regional
   variant (:func:`score`), with every parameter read from a JSON file in
   ``fiscalkit/data/performance/`` that names its source and how well it is verified;
4. scores the PEFA 2016 budget-reliability indicators PI-1, PI-2 and PI-3 from budgets and
   outturns (:func:`pi1`, :func:`pi2`, :func:`pi3`), aggregating dimensions by M1 or M2.

Money is exact throughout: targets are :class:`~decimal.Decimal` as printed, amounts in the
scoring and PEFA arithmetic are :class:`~fractions.Fraction`. Several rules are known only from
secondary sources; the parameter files and docstrings say which ([V] verified, [S] secondary,
[U] unverified), following fiscalkit's reference notes.

>>> inds, unparsed = parse_indicators(
...     "数量指标-网站安全巡检100%；时效指标-网站安全运维时间一年；服务器等设备的维修死亡率100%")
>>> [(i.level1, i.level2, i.name, str(i.target), i.unit, i.direction) for i in inds]
... # doctest: +NORMALIZE_WHITESPACE
[('产出', '数量', '网站安全巡检', '100', '%', 'higher'),
 ('产出', '时效', '网站安全运维时间', '1', '年', 'higher'),
 ('产出', '质量', '服务器等设备的维修死亡率', '100', '%', 'lower')]
>>> report = audit([Project("网络维护", inds)])
>>> [f.rule for f in report.errors]
['target.direction']
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal, cast

import pandas as pd

from fiscalkit.disclosure import Disclosure, StatedFigure
from fiscalkit.errors import InvalidValueError, MissingColumnError
from fiscalkit.findings import FigureRef, Finding, Report, Severity
from fiscalkit.units import fen_per, parse_figure

__all__ = [
    "INDICATOR_COLUMNS",
    "LEVELS",
    "REQUIRED_DIMENSIONS",
    "Actual",
    "Band",
    "BudgetLine",
    "Comparator",
    "Dimension",
    "DimensionRule",
    "Direction",
    "Indicator",
    "IndicatorScore",
    "LineKind",
    "Number",
    "PefaRules",
    "PefaScore",
    "Project",
    "Qualitative",
    "ScoringRules",
    "SelfEvaluation",
    "Tier",
    "YearOutturn",
    "aggregate_ratio",
    "audit",
    "available_rules",
    "classify",
    "composition_variance",
    "contingency_share",
    "infer_direction",
    "m1",
    "m2",
    "parse_indicators",
    "pi1",
    "pi2",
    "pi3",
    "place_names",
    "projects_frame",
    "projects_from_disclosure",
    "projects_from_frame",
    "projects_from_records",
    "saturation_table",
    "score",
]

Comparator = Literal["≥", "≤", "=", "定性"]
"""``=`` also stands for a value the text states without any comparator; ``定性`` is qualitative."""
Direction = Literal["higher", "lower"]
Number = Decimal | int | Fraction | str

#: The classic indicator tree (一级 → its 二级 dimensions) [S: performance.md §A2]. 成本 appears
#: both as a 二级 dimension of 产出 (2020 layout) and as a 一级 group (101号, [U]).
LEVELS: Final[Mapping[str, tuple[str, ...]]] = {
    "产出": ("数量", "质量", "时效", "成本"),
    "效益": ("经济效益", "社会效益", "生态效益", "可持续影响"),
    "满意度": ("服务对象满意度",),
    "成本": ("经济成本", "社会成本", "生态环境成本"),
}

#: What :func:`audit` expects every project to cover: each 一级 group, and the listed 二级
#: dimensions within it (an empty tuple: any). From the classic tree [S]; the requirement that
#: every project cover every output dimension is a fiscalkit heuristic, adjustable per call.
REQUIRED_DIMENSIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "产出": ("数量", "质量", "时效", "成本"),
    "效益": (),
    "满意度": (),
}

#: Columns of an indicators table (the format of ``datasets/*/indicators.csv``).
INDICATOR_COLUMNS: Final = ("project", "level1", "level2", "name", "comparator", "target", "unit",
                            "sentence")

_PERCENT: Final = frozenset({"%", "％"})
_MONEY_UNITS: Final = ("万元", "亿元", "千元", "元")
_TIME_UNITS: Final = ("工作日", "个月", "小时", "分钟", "年", "月", "天", "日", "周")
_COUNT_UNITS: Final = ("人次", "万人", "平方米", "公里", "千米", "公斤", "个", "次", "人", "套",
                       "台", "条", "家", "项", "件", "份", "户", "所", "座", "米", "亩", "兆", "期",
                       "批", "场", "篇", "名", "位", "处", "张", "本", "册", "辆", "部", "只", "间",
                       "栋", "吨")
_UNITS: Final = tuple(sorted((*_MONEY_UNITS, *_TIME_UNITS, *_COUNT_UNITS, "%", "％", "‰"),
                             key=len, reverse=True))


# ---------------------------------------------------------------------- vocabulary
# Keyword lists are fiscalkit's own heuristics (no official list exists); each is matched
# against the indicator's name as published.

#: Names naming something bad to have: failures, errors, deaths, breakdowns, complaints, cost.
_LOWER: Final = re.compile(
    "失败|错误|差错|出错|误差|死亡|伤亡|故障|投诉|事故|损坏|损毁|破损|不合格|超标|逾期|延误|返工|流失|"
    "违规|违纪|违法|缺陷|中断|停机|宕机|丢失|泄露|泄漏|差评|闲置|空置|发病|感染|成本|费用")
#: …unless the indicator counts how many of them were dealt with (投诉处理率, 故障排除率).
_RESOLVED: Final = re.compile(
    "处理|排除|办结|解决|修复|响应|回复|答复|整改|处置|查处|化解|受理|排查|防范|预防|预警|降低|下降|减少|"
    "拦截|检测|监测")
_BENEFIT_VERB: Final = re.compile(
    "提高|提升|保障|保证|促进|优化|改善|增强|加强|确保|推动|降低|减少")
_VAGUE_START: Final = re.compile(
    "^(?:有效|进一步|全面|切实|不断)?(?:提高|提升|保障|保证|促进|优化|改善|增强|加强|确保|推动|为)")
_MEASURE_WORD: Final = re.compile("率|度|比例|占比|比重|数量|人数|次数|个数|户数|天数|时长")
_TIME_WORD: Final = re.compile("时间|时限|期限|周期|及时|工期|(?<!预)期")
_QUALITY_WORD: Final = re.compile("率|合格|达标")
_SATISFACTION: Final = re.compile("满意")
_COST_WORD: Final = re.compile("成本")
_ECONOMIC: Final = re.compile("经济|收入|增收|产值|利润|营收|节支|节约资金")
_ECOLOGICAL: Final = re.compile("生态|环境|环保|绿化|排放|节能|污染")
_SUSTAINABLE: Final = re.compile("可持续|长效|长期|持续")

_LABELS: Final[Mapping[str, tuple[str, str]]] = {
    "数量指标": ("产出", "数量"),
    "质量指标": ("产出", "质量"),
    "时效指标": ("产出", "时效"),
    "成本指标": ("产出", "成本"),
    "产出指标": ("产出", ""),
    "经济效益指标": ("效益", "经济效益"),
    "社会效益指标": ("效益", "社会效益"),
    "生态效益指标": ("效益", "生态效益"),
    "可持续影响指标": ("效益", "可持续影响"),
    "效益指标": ("效益", ""),
    "服务对象满意度指标": ("满意度", "服务对象满意度"),
    "满意度指标": ("满意度", "服务对象满意度"),
}
_LABEL_RE: Final = re.compile(
    "^(?P<label>" + "|".join(sorted(_LABELS, key=len, reverse=True)) + r")\s*[-—–－:：]*\s*")


def infer_direction(name: str, unit: str = "") -> Direction:
    """``"lower"`` when the name is of a thing better kept low, else ``"higher"``.

    Failure, error, death, breakdown and complaint rates, and costs, are reverse indicators;
    a rate of dealing with them (投诉处理率, 故障排除率) is not. Practice tools that score every
    indicator as higher-is-better reward a rising failure rate, hence this inference.

    >>> infer_direction("服务器等设备的维修死亡率"), infer_direction("投诉处理率")
    ('lower', 'higher')
    """
    if unit in _MONEY_UNITS:
        return "lower"
    if _LOWER.search(name) and not _RESOLVED.search(name):
        return "lower"
    return "higher"


def classify(name: str, unit: str = "", *, level1: str = "") -> tuple[str, str]:
    """(一级, 二级) of an indicator from its name and unit, when the text gives no label.

    Rules in order: 满意 → 满意度/服务对象满意度; 成本 or a money unit → 产出/成本; a time unit or
    时间/时限/期 → 产出/时效; a name starting with 提高/保障/促进/优化… → 效益; 率/合格/达标 →
    产出/质量; 提高/保障/… anywhere → 效益; anything else (counts) → 产出/数量. A benefit is
    经济/生态/可持续 by keyword, else 社会效益. ``level1`` restricts the answer to that group
    (a ``效益指标-`` label without a subtype). Heuristic: fiscalkit's, not an official rule.

    >>> classify("单位满意度"), classify("提高政府通畅率"), classify("网络安全使用率")
    (('满意度', '服务对象满意度'), ('效益', '社会效益'), ('产出', '质量'))
    """
    def benefit() -> tuple[str, str]:
        if _ECONOMIC.search(name):
            return "效益", "经济效益"
        if _ECOLOGICAL.search(name):
            return "效益", "生态效益"
        if _SUSTAINABLE.search(name):
            return "效益", "可持续影响"
        return "效益", "社会效益"

    if level1 == "效益":
        return benefit()
    if level1 == "满意度" or (not level1 and _SATISFACTION.search(name)):
        return "满意度", "服务对象满意度"
    if _COST_WORD.search(name) or unit in _MONEY_UNITS:
        return "产出", "成本"
    if unit in _TIME_UNITS or _TIME_WORD.search(name):
        return "产出", "时效"
    if level1 != "产出" and _VAGUE_START.search(name) and not name.startswith("为"):
        return benefit()
    if _QUALITY_WORD.search(name):
        return "产出", "质量"
    if level1 != "产出" and _BENEFIT_VERB.search(name):
        return benefit()
    return "产出", "数量"


# ---------------------------------------------------------------------- the model
@dataclass(frozen=True)
class Indicator:
    """One performance target (三级 indicator) as published.

    ``target`` keeps the printed digits (``Decimal("17.85")``); it is ``None`` for a target
    with no value (unmeasurable, or qualitative when ``comparator`` is ``"定性"``).
    ``direction`` left ``None`` is inferred from the name (:func:`infer_direction`) — it is
    always ``"higher"`` or ``"lower"`` after construction. ``sentence`` is the text the
    indicator was read from, cited by every finding about it.

    >>> ind = Indicator("网络故障率", "产出", "质量", "≤", Decimal("1"), "%")
    >>> ind.direction, ind.reverse, ind.printed, ind.measurable
    ('lower', True, '≤1%', True)
    >>> cost = Indicator("公务车运行成本", target=Decimal("6"), unit="万元")  # levels inferred
    >>> cost.level1, cost.level2, cost.is_cost
    ('产出', '成本', True)
    """

    name: str
    level1: str = ""
    level2: str = ""
    comparator: Comparator = "="
    target: Decimal | None = None
    unit: str = ""
    sentence: str = ""
    direction: Direction | None = None

    def __post_init__(self) -> None:
        if self.comparator not in ("≥", "≤", "=", "定性"):
            raise InvalidValueError(f"comparator must be ≥, ≤, = or 定性, not {self.comparator!r}",
                                    where=self.name)
        if self.target is not None and not isinstance(self.target, Decimal):
            raise InvalidValueError(f"target must be a Decimal or None, not {self.target!r}",
                                    where=self.name)
        if self.direction is None:
            object.__setattr__(self, "direction", infer_direction(self.name, self.unit))
        elif self.direction not in ("higher", "lower"):
            raise InvalidValueError(f"direction must be 'higher' or 'lower', not "
                                    f"{self.direction!r}", where=self.name)
        if not self.level1 or not self.level2:  # fill what the source left out, by keyword
            l1, l2 = classify(self.name, self.unit, level1=self.level1)
            if not self.level1:
                object.__setattr__(self, "level1", l1)
            if not self.level2 and l1 == self.level1:  # never a 二级 of another 一级
                object.__setattr__(self, "level2", l2)

    @property
    def reverse(self) -> bool:
        """Lower is better (a 反向 indicator)."""
        return self.direction == "lower"

    @property
    def measurable(self) -> bool:
        """Has a target value (quantitative)."""
        return self.target is not None and self.comparator != "定性"

    @property
    def is_percent(self) -> bool:
        """The target is a percentage."""
        return self.unit in _PERCENT

    @property
    def is_money(self) -> bool:
        """The target is an amount of money (a cost indicator's usual unit)."""
        return self.unit in _MONEY_UNITS

    @property
    def is_cost(self) -> bool:
        """A cost indicator: 二级 成本 under 产出, or 一级 成本."""
        return self.level2 == "成本" or self.level1 == "成本"

    @property
    def printed(self) -> str:
        """The target as printed: comparator (when stated), value and unit."""
        if self.target is None:
            return "定性" if self.comparator == "定性" else "—"
        cmp = "" if self.comparator == "=" else self.comparator
        return f"{cmp}{self.target:f}{self.unit}"

    def to_dict(self) -> dict[str, str]:
        """The row of an indicators table (without the project column)."""
        return {"level1": self.level1, "level2": self.level2, "name": self.name,
                "comparator": self.comparator,
                "target": "" if self.target is None else f"{self.target:f}", "unit": self.unit,
                "direction": str(self.direction), "sentence": self.sentence}


@dataclass(frozen=True)
class Project:
    """A budgeted project and its performance targets.

    ``budget`` is in 元 exactly as published; ``budget_precision`` is the value in 元 of its last
    printed digit (10000 for "4万元", 1000 for "17.8万元"; ``None``: exact), so a cost indicator
    can be compared with the budget at the precision the budget was actually published at.

    >>> p = Project("光纤租赁", (Indicator("光纤租赁成本", "产出", "成本", "=", Decimal("17.85"),
    ...                                    "万元"),), Decimal("178000"), Decimal("1000"))
    >>> [(f.rule, f.severity) for f in audit([p]).findings if f.rule == "target.cost_mismatch"]
    [('target.cost_mismatch', 'error')]
    >>> p.to_frame()[["project", "name", "target", "unit"]]
      project    name target unit
    0    光纤租赁  光纤租赁成本  17.85   万元
    """

    name: str
    indicators: tuple[Indicator, ...] = ()
    budget: Decimal | None = None
    budget_precision: Decimal | None = None
    budget_text: str = ""
    sentence: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.indicators, tuple):
            object.__setattr__(self, "indicators", tuple(self.indicators))

    @classmethod
    def with_budget(cls, name: str, indicators: Iterable[Indicator], budget: str, *,
                    sentence: str = "") -> Project:
        """A project whose budget is given as printed, e.g. ``"17.8万元"`` (precision kept).

        >>> p = Project.with_budget("光纤租赁", [], "17.8万元")
        >>> p.budget, p.budget_precision
        (Decimal('178000'), Decimal('1000'))
        """
        amount, precision = _amount_and_precision(budget, where=name)
        return cls(name, tuple(indicators), amount, precision, budget, sentence)

    def to_frame(self) -> pd.DataFrame:
        """The indicators as a table, one row each."""
        return pd.DataFrame([{"project": self.name, **i.to_dict()} for i in self.indicators],
                            columns=["project", *INDICATOR_COLUMNS[1:-1], "direction",
                                     "sentence"])


def projects_frame(projects: Iterable[Project]) -> pd.DataFrame:
    """All projects' indicators as one table (columns as :data:`INDICATOR_COLUMNS` + direction).

    >>> projects = projects_from_records([
    ...     {"project": "A", "name": "网络通畅率", "comparator": "≥", "target": "99", "unit": "%"},
    ...     {"project": "B", "name": "网络故障率", "comparator": "≤", "target": "1", "unit": "%"}])
    >>> projects_frame(projects)[["project", "name", "comparator", "target", "direction"]]
      project   name comparator target direction
    0       A  网络通畅率          ≥     99    higher
    1       B  网络故障率          ≤      1     lower
    """
    frames = [p.to_frame() for p in projects]
    return pd.concat(frames, ignore_index=True) if frames else Project("").to_frame()


def _amount_and_precision(text: str, *, where: str | None = None) -> tuple[Decimal, Decimal]:
    """"17.8万元" → (178000 元, 1000 元): the amount and the value of its last printed digit."""
    q, quantum = parse_figure(text, where=where)
    return Decimal(int(q.magnitude)) / 100, Decimal(quantum) / 100


# ---------------------------------------------------------------------- building projects
_CMP_WORDS: Final[Mapping[str, Comparator]] = {
    "≥": "≥", ">=": "≥", "＞=": "≥", "⩾": "≥", ">": "≥", "＞": "≥", "不低于": "≥", "不少于": "≥",
    "不小于": "≥", "大于等于": "≥", "大于": "≥", "高于": "≥", "达到": "≥", "以上": "≥",
    "及以上": "≥",
    "≤": "≤", "<=": "≤", "＜=": "≤", "⩽": "≤", "<": "≤", "＜": "≤", "不高于": "≤", "不超过": "≤",
    "不多于": "≤", "小于等于": "≤", "小于": "≤", "低于": "≤", "控制在": "≤", "以内": "≤",
    "以下": "≤", "及以下": "≤",
    "=": "=", "＝": "=", "": "=",
    "定性": "定性", "qualitative": "定性",
}


def _comparator(text: str, where: str) -> Comparator:
    try:
        return _CMP_WORDS[text.strip()]
    except KeyError:
        raise InvalidValueError(f"unknown comparator {text!r} (use ≥, ≤, = or 定性)",
                                where=where) from None


def _target(text: str, where: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(unicodedata.normalize("NFKC", text).replace(",", ""))
    except InvalidOperation:
        cn = _chinese_number(text)
        if cn is None:
            raise InvalidValueError(f"target {text!r} is not a number", where=where) from None
        return cn
    if not value.is_finite():
        raise InvalidValueError(f"target {text!r} is not a finite number", where=where)
    return value


def _level(text: str) -> str:
    text = text.strip()
    return text[:-2] if text.endswith("指标") and len(text) > 2 else text


def _indicator_from_record(row: Mapping[str, Any], where: str) -> Indicator:
    def get(key: str) -> str:
        v = row.get(key)
        return "" if v is None else str(v)

    target = _target(get("target"), where)
    cmp_text = get("comparator")
    comparator = _comparator(cmp_text, where) if cmp_text.strip() else (
        "=" if target is not None else "定性")
    direction = get("direction").strip() or None
    if direction is not None and direction not in ("higher", "lower"):
        raise InvalidValueError(f"direction {direction!r} is not 'higher' or 'lower'", where=where)
    name = get("name")
    if not name.strip():
        raise InvalidValueError("indicator has no name", where=where)
    return Indicator(name=name, level1=_level(get("level1")), level2=_level(get("level2")),
                     comparator=comparator, target=target, unit=get("unit").strip(),
                     sentence=get("sentence"), direction=cast("Direction | None", direction))


def projects_from_records(records: Iterable[Mapping[str, Any]], *,
                          budgets: Mapping[str, str | Decimal] | None = None,
                          source: str = "records") -> tuple[Project, ...]:
    """Projects from indicator records (keys as :data:`INDICATOR_COLUMNS`), in first-seen order.

    ``budgets`` maps a project name to its budget as printed (``"17.8万元"``, precision kept)
    or to an exact :class:`~decimal.Decimal` in 元. A record may also carry ``budget``.

    >>> (p,) = projects_from_records(
    ...     [{"project": "网络维护", "name": "网络通畅率", "comparator": "≥", "target": "99",
    ...       "unit": "%"},
    ...      {"project": "网络维护", "name": "单位满意度", "target": "100", "unit": "%"}],
    ...     budgets={"网络维护": "3.8万元"})
    >>> p.budget, p.budget_precision, [i.level1 for i in p.indicators]
    (Decimal('38000'), Decimal('1000'), ['产出', '满意度'])
    """
    grouped: dict[str, list[Indicator]] = {}
    record_budgets: dict[str, str | Decimal] = {}
    for i, row in enumerate(records):
        project = str(row.get("project") or "").strip()
        where = f"{source}, row {i + 2}"
        if not project:
            raise InvalidValueError("indicator has no project", where=where)
        grouped.setdefault(project, []).append(_indicator_from_record(row, where))
        b = row.get("budget")
        if b is not None and str(b).strip():
            record_budgets[project] = b if isinstance(b, Decimal) else str(b)
    all_budgets: dict[str, str | Decimal] = {**record_budgets, **(budgets or {})}
    out = []
    for name, inds in grouped.items():
        b = all_budgets.get(name)
        if b is None:
            out.append(Project(name, tuple(inds)))
        elif isinstance(b, Decimal):
            out.append(Project(name, tuple(inds), b))
        else:
            out.append(Project.with_budget(name, inds, b))
    return tuple(out)


def projects_from_frame(frame: pd.DataFrame, *, budgets: Mapping[str, str | Decimal] | None = None,
                        source: str = "indicators") -> tuple[Project, ...]:
    """Projects from a table with columns ``project,level1,level2,name,comparator,target,unit,
    sentence`` (the ``indicators.csv`` of a dataset); see :func:`projects_from_records`.

    >>> frame = pd.DataFrame([{"project": "P", "level1": "产出", "level2": "成本",
    ...     "name": "政府购买服务成本", "comparator": "", "target": "17.85", "unit": "万元",
    ...     "sentence": "政府购买服务成本17.85万元"}])
    >>> (p,) = projects_from_frame(frame, budgets={"P": "17.8万元"})
    >>> p.indicators[0].printed, p.indicators[0].direction, p.budget
    ('17.85万元', 'lower', Decimal('178000'))
    """
    missing = [c for c in INDICATOR_COLUMNS if c not in frame.columns]
    if missing:
        raise MissingColumnError(f"missing column(s) {missing}", where=source)
    rows = frame.astype(object).where(frame.notna(), "").to_dict("records")
    return projects_from_records(
        [{str(k): v for k, v in r.items()} for r in rows], budgets=budgets, source=source)


def projects_from_disclosure(disclosure: Disclosure) -> tuple[Project, ...]:
    """The projects of a disclosure: its ``indicators`` table, with budgets from its ledger.

    A project's budget is the sum of the ``projects`` view's lines for it (amounts exact). Its
    published precision and sentence come from the stated figure that measures that project
    (``selector`` ``sum(view=projects project=…)``) when the figures table has one and it
    agrees with the ledger; otherwise the budget is read as exact.

    >>> from fiscalkit import datasets
    >>> projects = projects_from_disclosure(datasets.load(datasets.available()[0]))
    >>> p = projects[0]
    >>> len(projects), p.name, p.budget, p.budget_text
    (6, '政府网站安全运行维护费项目', Decimal('50000'), '5万元')
    """
    if disclosure.indicators is None:
        raise InvalidValueError(f"disclosure {disclosure.name!r} has no indicators table")
    projects = projects_from_frame(disclosure.indicators,
                                   source=f"{disclosure.name} indicators.csv")
    view = disclosure.views.get("projects")
    if view is None:
        return projects
    sums = view.frame.groupby("project", observed=True)["amount"].sum()
    budgets = {str(name): Decimal(int(amount)) / 100 for name, amount in sums.items()}
    stated: dict[str, StatedFigure] = {}
    for f in disclosure.figures:
        sel = f.selector
        if (sel is not None and sel.stat == "sum" and sel.view == "projects"
                and set(sel.criteria) == {"project"} and len(sel.criteria["project"]) == 1
                and f.unit in _MONEY_UNITS):
            stated.setdefault(sel.criteria["project"][0], f)
    out = []
    for p in projects:
        budget = budgets.get(p.name)
        if budget is None:
            out.append(p)
            continue
        fig = stated.get(p.name)
        per = Decimal(fen_per(fig.unit)) / 100 if fig is not None else Decimal(0)
        if fig is not None and fig.value * per == budget:
            out.append(replace(p, budget=budget, budget_precision=fig.precision * per,
                               budget_text=f"{fig.value:f}{fig.unit}", sentence=fig.sentence))
        else:
            out.append(replace(p, budget=budget))
    return tuple(out)


# ---------------------------------------------------------------------- parsing text
_CN_DIGITS: Final[Mapping[str, int]] = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                                         "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _chinese_number(text: str) -> Decimal | None:
    """一 → 1, 十二 → 12, 二十五 → 25, 一百 → 100, 半 → 0.5; ``None`` if not such a numeral."""
    if text == "半":
        return Decimal("0.5")
    if not text or any(c not in _CN_DIGITS and c not in "十百" for c in text):
        return None
    total, current = 0, 0
    for c in text:
        if c in _CN_DIGITS:
            current = _CN_DIGITS[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:  # 百
            total += (current or 1) * 100
            current = 0
    return Decimal(total + current)


_UNIT_ALT: Final = "|".join(map(re.escape, _UNITS))
_POST_WORDS: Final = ("及以上", "以上", "及以下", "以下", "以内")
_CMP_ALT: Final = "|".join(map(re.escape, sorted(
    (k for k in _CMP_WORDS if k and k not in ("定性", "qualitative", *_POST_WORDS)),
    key=len, reverse=True)))
_POST_ALT: Final = "|".join(_POST_WORDS)
_NUM: Final = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_VALUE_AT_END: Final = re.compile(
    rf"(?P<cmp>{_CMP_ALT})?\s*(?P<num>{_NUM})\s*(?P<unit>{_UNIT_ALT})?\s*(?P<post>{_POST_ALT})?"
    r"\s*$")
_CN_AT_END: Final = re.compile(
    rf"(?P<cmp>{_CMP_ALT})?(?P<num>[零一二两三四五六七八九十百]+|半)"
    rf"(?P<unit>{'|'.join(_TIME_UNITS + _COUNT_UNITS)})(?P<post>{_POST_ALT})?$")
_VALUE_INSIDE: Final = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>{_UNIT_ALT})")
_PERCENT_THEN_MORE: Final = re.compile(rf"{_NUM}\s*[%％]")
_PREFIX_RE: Final = re.compile(r"^\s*(?:年度)?绩效目标\s*[:：]\s*")
#: A budget statement ("资金5万元", "资金成本5万元") or a project title ("…租赁费项目"): the
#: text around the targets, not a target.
_NOT_INDICATOR: Final = re.compile(r"^(?:项目|预算)?资金(?:成本)?$|费项目$")
_SECTION_SPLIT: Final = re.compile(r"[；;。！？\n]")
_CLAUSE_SPLIT: Final = re.compile(r"，|(?<![0-9]),|,(?![0-9])")


def _split_clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_SPLIT.split(text) if c.strip()]


def _split_after_percent(clause: str) -> list[str]:
    """"办公用品100%电话、插排100%" → two clauses: a % value followed by more valued text."""
    parts, start = [], 0
    for m in _PERCENT_THEN_MORE.finditer(clause):
        rest = clause[m.end():]
        if rest.strip() and re.search(r"[0-9０-９]", rest):
            parts.append(clause[start:m.end()])
            start = m.end()
    parts.append(clause[start:])
    return [p.strip() for p in parts if p.strip()]


def _clean_name(name: str) -> str:
    name = name.strip().rstrip(":：-—－ ")
    if len(name) > 1 and name[-1] in "为达是" and name[-2] in "率度量数":
        name = name[:-1]
    return name


def _split_list(name: str) -> list[str]:
    """A 、-list of names sharing one value ("单位满意度、业务科室满意度100%") → its items.

    Not when an item holds a conjunction (及, 和, 与, 或): "办事群众、企业及工作人员用水健康" is
    one name whose subject is a list, the usual "A、B及C" pattern.
    """
    items = [i.strip() for i in name.split("、")]
    if len(items) > 1 and all(items) and not any(re.search("及|和|与|或", i) for i in items):
        return items
    return [name]


def _value(clause: str) -> tuple[str, Comparator, Decimal, str] | None:
    """(name, comparator, value, unit) of a clause with a target value, or ``None``."""
    m = _VALUE_AT_END.search(clause) or _CN_AT_END.search(clause)
    if m and m.start() == 0:  # a bare value ("5万元"): nothing names it
        return "", "=", Decimal(0), ""
    if m:
        num = m.group("num")
        value = _chinese_number(num) if num[0] in "零一二两三四五六七八九十百半" else Decimal(
            unicodedata.normalize("NFKC", num))
        assert value is not None
        comparator = _CMP_WORDS[m.group("post") or m.group("cmp") or ""]
        return _clean_name(clause[:m.start()]), comparator, value, m.group("unit") or ""
    inside = list(_VALUE_INSIDE.finditer(clause))
    if inside:  # "满足150人的用水": the value sits inside the name
        last = inside[-1]
        return (clause.strip(), "=", Decimal(unicodedata.normalize("NFKC", last.group("num"))),
                last.group("unit"))
    return None


def parse_indicators(text: str, *, sentence: str | None = None
                     ) -> tuple[list[Indicator], list[str]]:
    """Split a published 绩效目标 phrase into indicators; return them and what was not understood.

    The text is cut into sections at ``；。`` and clauses at ``，`` (not inside numbers). A
    label such as ``数量指标-`` or ``满意度指标：`` sets the 一级/二级 of the clauses after it
    until the next label or the end of the section; an unlabelled clause is classified by
    :func:`classify`. A clause's value is the
    number (arabic, or a Chinese numeral before a unit: "一年") at its end, with a comparator
    before it (≥, 不低于, 达到 …) or after it (以上, 以内); a clause with a percentage followed by
    more valued text ("办公用品100%电话、插排100%") is split after the percentage; a 、-list
    ("单位满意度、业务科室满意度、工作人员满意度100%") shares the value, one indicator per item,
    unless it is the subject of one name ("办事群众、企业及工作人员用水健康100%").
    A clause without a number is a target with no value (``comparator="定性"``,
    ``target=None``) when a label governs it or it states a benefit ("提高网站安全运行").
    Anything else — description, a budget statement ("资金5万元"), a project title — is
    returned in ``unparsed``: nothing is dropped silently. A leading "绩效目标：" is skipped.

    Each indicator's ``sentence`` is the clause it came from, or ``sentence`` when given.

    >>> inds, rest = parse_indicators(
    ...     "满意度指标-单位满意度、业务科室满意度100%；效益指标-提高网站安全运行")
    >>> [(i.level1, i.name, i.printed) for i in inds]  # doctest: +NORMALIZE_WHITESPACE
    [('满意度', '单位满意度', '100%'), ('满意度', '业务科室满意度', '100%'),
     ('效益', '提高网站安全运行', '定性')]
    >>> parse_indicators("政府网络的日常维护，运行维护时间1年")[1]
    ['政府网络的日常维护']
    """
    indicators: list[Indicator] = []
    unparsed: list[str] = []
    for section in _SECTION_SPLIT.split(text):
        _parse_section(section, sentence, indicators, unparsed)
    return indicators, unparsed


def _parse_section(section: str, sentence: str | None, indicators: list[Indicator],
                   unparsed: list[str]) -> None:
    label: tuple[str, str] | None = None
    for clause in _split_clauses(section):
        body = _PREFIX_RE.sub("", clause)
        m = _LABEL_RE.match(body)
        if m:
            label = _LABELS[m.group("label")]
            body = body[m.end():].strip()
            if not body:
                continue
        source = sentence if sentence is not None else clause
        for part in _split_after_percent(body):
            found = _value(part)
            if found is None:
                if label is not None or _VAGUE_START.search(part):
                    indicators.append(_make(part, label, "定性", None, "", source))
                else:
                    unparsed.append(part)
                continue
            name, comparator, value, unit = found
            if not name or _NOT_INDICATOR.search(name):
                unparsed.append(part)
                continue
            for item in _split_list(name):
                indicators.append(_make(item, label, comparator, value, unit, source))


def _make(name: str, label: tuple[str, str] | None, comparator: Comparator,
          value: Decimal | None, unit: str, sentence: str) -> Indicator:
    level1, level2 = label if label is not None else ("", "")
    if not level2:
        level1, level2 = classify(name, unit, level1=level1)
    return Indicator(name=name, level1=level1, level2=level2, comparator=comparator,
                     target=value, unit=unit, sentence=sentence)


# ---------------------------------------------------------------------- place names
_PLACE_SUFFIX: Final = "县市区省州旗"
_PLACE_RE: Final = re.compile(rf"(?=([\u4e00-\u9fff]{{2}}[{_PLACE_SUFFIX}]))")
#: Words ending in a place suffix that are not place names (全区 "the whole district", 城市 …).
_NOT_PLACES: Final = frozenset((
    "全区", "城区", "辖区", "社区", "园区", "景区", "小区", "地区", "本区", "我区", "该区", "各区",
    "市区", "县区", "街区", "片区", "新区", "山区", "牧区", "林区", "矿区", "校区", "分区", "专区",
    "灾区", "厂区", "营区", "库区", "城市", "全市", "本市", "我市", "该市", "各市", "超市", "门市",
    "股市", "全县", "本县", "我县", "该县", "各县", "全省", "本省", "我省", "该省", "各省", "外省",
    "跨省", "全州", "本州", "我州", "全旗", "本旗"))
_NOT_BEFORE: Final = frozenset("据本全各我该外跨在从向对为和与及至赴到出入进由经每、")
_NOT_AFTER: Final = frozenset("级场民长委直属内外域情况容")


def place_names(text: str) -> list[str]:
    """Names of places in ``text``: two characters before 县/市/区/省/州/旗, heuristically.

    No gazetteer of Chinese place names ships with fiscalkit, so this finds candidates by
    their suffix and drops common words (全区, 城市, 县级 …). It reports the suffix and the two
    characters before it; longer names come back shortened ("浩特市"), which is enough to tell
    whether a name is the disclosure's own.

    >>> place_names("广宁县网络正常使用1年，全区网络通畅率100%")
    ['广宁县']
    """
    out: list[str] = []
    for m in _PLACE_RE.finditer(text):
        cand = m.group(1)
        end = m.start() + 3
        if cand[1:] in _NOT_PLACES or cand[1] in _NOT_BEFORE or cand[0] in _PLACE_SUFFIX:
            continue
        if end < len(text) and text[end] in _NOT_AFTER:
            continue
        if cand not in out:
            out.append(cand)
    return out


def _own_places(jurisdiction: str | Sequence[str] | None) -> list[str]:
    if jurisdiction is None:
        return []
    names = [jurisdiction] if isinstance(jurisdiction, str) else list(jurisdiction)
    own: list[str] = []
    for n in names:
        own.append(n)
        own.extend(place_names(n))
    return own


def _is_own(place: str, own: Sequence[str]) -> bool:
    return any(place in o or o.endswith(place) or place.endswith(o) for o in own)


# ---------------------------------------------------------------------- the audit
def _ref(project: Project, i: int, ind: Indicator) -> FigureRef:
    return FigureRef(id=f"{project.name}#{i + 1}", label=ind.name, value=ind.printed,
                     source=ind.sentence)


def _pct(x: Fraction) -> str:
    return f"{float(x) * 100:.0f}%"


def audit(projects: Iterable[Project] | Disclosure, *,
          jurisdiction: str | Sequence[str] | None = None,
          required: Mapping[str, Sequence[str]] = REQUIRED_DIMENSIONS,
          saturation_share: Fraction = Fraction(1, 2)) -> Report:
    """Audit the quality of performance targets; one :class:`Finding` per problem.

    Rules (ids as in the findings):

    ``target.unmeasurable`` (warning) — no value, or a percentage on a vague aim
    ("提高财政资金使用效益100%": 100% of what?). Targets should be 具体细化, quantified or graded
    [S: performance.md §A2].
    ``target.direction`` — a reverse indicator (failure, death, breakdown rate; a cost)
    targeted at 100% or with ≥ (error: the target rewards the opposite of the aim,
    "服务器等设备的维修死亡率100%"), or a positive rate or satisfaction capped with ≤ (warning).
    ``target.percent_range`` (error) — a percentage above 100 [S: a practice rule, §A3.3].
    ``target.saturated`` (per project; warning when at least ``saturation_share`` of its
    quantified targets are 100%, else info) — a target at 100% cannot be exceeded and rarely
    discriminates; "not every target at 100%" has no official source [U], so the share is a
    parameter.
    ``target.satisfaction_100`` (per project, warning) — satisfaction targeted at 100%;
    forms seen set ≥90% or ≥85% [S]; no official floor was found [U].
    ``target.missing_dimension`` (per project, warning) — a 一级 group, or a 二级 dimension of
    ``required``, that no indicator covers (e.g. no 时效, no 成本, no 满意度).
    ``target.cost_mismatch`` (per project) — a single money cost indicator should equal the
    budget (forms seen do so [S]); several should not exceed it [S]. The target is a value
    the unit set, so it is read exactly; the budget is read at its published precision: an
    **error** when the budget cannot be the cost rounded half-up to the budget's last digit
    ("17.85万元" would print as 17.9, not "17.8万元"), a **warning** when it can ("3.96万元"
    prints as "4万元") but the two still differ exactly.
    ``target.other_jurisdiction`` (warning) — a place name (…县/市/区/省/州/旗) that is not the
    disclosure's own (a "广宁县" in the targets of a district in another province): likely
    copied from another unit's form.
    Runs only when ``jurisdiction`` (the region and its parents, e.g. ``("河南省", "安阳市",
    "某区")``) is given or the disclosure's metadata names it.

    ``projects`` may be a :class:`~fiscalkit.disclosure.Disclosure` with an indicators table.

    >>> from fiscalkit import datasets
    >>> report = audit(datasets.load(datasets.available()[0]))
    >>> report.summary()["error"], sorted({f.rule for f in report.errors})
    (2, ['target.cost_mismatch', 'target.direction'])
    """
    subject = "performance targets"
    if isinstance(projects, Disclosure):
        disclosure = projects
        subject = f"performance targets of {disclosure.name}"
        if jurisdiction is None:
            jurisdiction = _jurisdiction_of(disclosure.metadata)
        projects = projects_from_disclosure(disclosure)
    own = _own_places(jurisdiction)
    findings: list[Finding] = []
    checks = 0
    for project in projects:
        for i, ind in enumerate(project.indicators):
            checks += 3
            findings.extend(_check_measurable(project, i, ind))
            findings.extend(_check_direction(project, i, ind))
            findings.extend(_check_percent(project, i, ind))
        checks += 4
        findings.extend(_check_saturated(project, saturation_share))
        findings.extend(_check_satisfaction(project))
        findings.extend(_check_dimensions(project, required))
        findings.extend(_check_cost(project))
        if own:
            seen: set[tuple[str, str]] = set()
            for i, ind in enumerate(project.indicators):
                checks += 1
                for text in (ind.name, ind.sentence):
                    for place in place_names(text):
                        if _is_own(place, own) or (place, ind.sentence) in seen:
                            continue
                        seen.add((place, ind.sentence))
                        findings.append(Finding(
                            "target.other_jurisdiction", "warning",
                            f"{project.name}: '{place}' is not the disclosure's own jurisdiction "
                            f"({'、'.join(dict.fromkeys(own))})",
                            figures=(_ref(project, i, ind),),
                            explanation=(f"The target names {place}, another place; the text was "
                                         "probably copied from another unit's form and not "
                                         "adapted, so the target may not describe this project."),
                            details={"project": project.name, "place": place}))
    return Report.of(findings, checks, subject, title="Target-quality audit")


def _jurisdiction_of(metadata: Mapping[str, Any]) -> list[str] | None:
    names: list[str] = []
    for key in ("jurisdiction", "region", "region_zh"):
        v = metadata.get(key)
        if isinstance(v, str) and v:
            names.append(v)
        elif isinstance(v, Sequence):
            names.extend(str(x) for x in v if x)
        elif isinstance(v, Mapping):
            names.extend(str(x) for x in v.values() if isinstance(x, str) and x)
    ent = metadata.get("entity")
    if isinstance(ent, Mapping):
        for key in ("jurisdiction", "region", "region_zh"):
            if isinstance(ent.get(key), str) and ent[key]:
                names.append(ent[key])
        ent = ent.get("name_zh", "")
    if isinstance(ent, str) and ent:
        names.extend(place_names(ent))
    return names or None


def _check_measurable(project: Project, i: int, ind: Indicator) -> list[Finding]:
    if ind.target is None:
        why = ("The target states an aim but no value or standard, so at the year's end nobody "
               "can say whether it was met.")
        return [Finding("target.unmeasurable", "warning",
                        f"{project.name}: '{ind.name}' has no target value",
                        figures=(_ref(project, i, ind),), explanation=why,
                        details={"project": project.name})]
    if (ind.is_percent and _VAGUE_START.search(ind.name) and not _MEASURE_WORD.search(ind.name)):
        why = (f"'{ind.name}' names a direction of change, not a quantity; {ind.printed} of it "
               "has no base to be measured against.")
        return [Finding("target.unmeasurable", "warning",
                        f"{project.name}: '{ind.name}{ind.printed}' is a percentage of a vague aim",
                        figures=(_ref(project, i, ind),), explanation=why,
                        details={"project": project.name})]
    return []


def _check_direction(project: Project, i: int, ind: Indicator) -> list[Finding]:
    if ind.target is None:
        return []
    if ind.reverse and (ind.comparator == "≥" or (ind.is_percent and ind.target >= 100
                                                  and ind.comparator != "≤")):
        why = (f"'{ind.name}' is a thing to keep low, but the target "
               f"{ind.printed} asks for as much of it as possible — read literally, "
               "the project succeeds when everything fails.")
        return [Finding("target.direction", "error",
                        f"{project.name}: reverse indicator '{ind.name}' targeted at "
                        f"{ind.printed}", figures=(_ref(project, i, ind),),
                        actual=ind.target, explanation=why, details={"project": project.name})]
    # only where "better high" is certain: a rate or a satisfaction (a time may be a deadline)
    if (not ind.reverse and ind.comparator == "≤" and ind.level2 != "时效"
            and (ind.level1 == "满意度" or ind.name.endswith("率"))):
        why = f"'{ind.name}' is better high, yet the target caps it ({ind.printed})."
        return [Finding("target.direction", "warning",
                        f"{project.name}: positive indicator '{ind.name}' capped at "
                        f"{ind.printed}", figures=(_ref(project, i, ind),), explanation=why,
                        details={"project": project.name})]
    return []


def _check_percent(project: Project, i: int, ind: Indicator) -> list[Finding]:
    if ind.target is not None and ind.is_percent and ind.target > 100:
        return [Finding("target.percent_range", "error",
                        f"{project.name}: '{ind.name}' targeted above 100% ({ind.printed})",
                        figures=(_ref(project, i, ind),),
                        expected=(Decimal(0), Decimal(100)), actual=ind.target,
                        explanation="A share cannot exceed 100%.",
                        details={"project": project.name})]
    return []


def _saturated(ind: Indicator) -> bool:
    return (ind.target is not None and ind.is_percent and ind.target == 100
            and ind.comparator in ("≥", "="))


def _check_saturated(project: Project, threshold: Fraction) -> list[Finding]:
    quantified = [ind for ind in project.indicators if ind.measurable]
    hits = [(i, ind) for i, ind in enumerate(project.indicators) if _saturated(ind)]
    if not hits:
        return []
    share = Fraction(len(hits), len(quantified))
    severity: Severity = "warning" if share >= threshold else "info"
    why = ("A target of 100% cannot be exceeded and is met or missed all at once, so it says "
           "little about how well the money was used; when nearly every target is 100% the "
           "targets were probably written to be met rather than to measure.")
    return [Finding("target.saturated", severity,
                    f"{project.name}: {len(hits)} of {len(quantified)} quantified targets "
                    f"({_pct(share)}) are set at 100%",
                    figures=tuple(_ref(project, i, ind) for i, ind in hits),
                    expected=(Decimal(0), Decimal(threshold.numerator) / threshold.denominator),
                    actual=(Decimal(share.numerator) / Decimal(share.denominator)
                            ).quantize(Decimal("0.0001")),
                    explanation=why,
                    details={"project": project.name, "saturated": len(hits),
                             "quantified": len(quantified), "share": share})]


def _check_satisfaction(project: Project) -> list[Finding]:
    hits = [(i, ind) for i, ind in enumerate(project.indicators)
            if ind.level1 == "满意度" and _saturated(ind)]
    if not hits:
        return []
    names = "、".join(ind.name for _, ind in hits)
    why = ("Unanimous satisfaction is not a realistic survey result, and a 100% target cannot "
           "separate good service from adequate; forms seen elsewhere set ≥90% (no official "
           "floor was found).")
    return [Finding("target.satisfaction_100", "warning",
                    f"{project.name}: satisfaction targeted at 100% ({names})",
                    figures=tuple(_ref(project, i, ind) for i, ind in hits), explanation=why,
                    details={"project": project.name, "count": len(hits)})]


def _check_dimensions(project: Project, required: Mapping[str, Sequence[str]]) -> list[Finding]:
    have1 = {ind.level1 for ind in project.indicators}
    have2 = {(ind.level1, ind.level2) for ind in project.indicators}
    missing: list[str] = []
    for level1, level2s in required.items():
        if level1 not in have1:
            missing.append(level1)
            continue
        for level2 in level2s:
            covered = (level1, level2) in have2 or (level2 == "成本" and "成本" in have1)
            if not covered:
                missing.append(f"{level1}/{level2}")
    if not missing:
        return []
    why = ("The target tree asks for output quantity, quality, timeliness and cost, benefits, "
           "and satisfaction; a missing dimension is a side of the project nobody will be "
           "accountable for.")
    return [Finding("target.missing_dimension", "warning",
                    f"{project.name}: no indicator for {', '.join(missing)}", explanation=why,
                    details={"project": project.name, "missing": tuple(missing)})]


def _to_yuan(ind: Indicator) -> Decimal:
    assert ind.target is not None
    return ind.target * fen_per(ind.unit) / 100


def _check_cost(project: Project) -> list[Finding]:
    costs = [(i, ind) for i, ind in enumerate(project.indicators)
             if ind.is_cost and ind.is_money and ind.target is not None]
    if not costs or project.budget is None:
        return []
    budget, q = project.budget, project.budget_precision
    printed_budget = project.budget_text or f"{budget:f}元"
    budget_ref = FigureRef(id=f"{project.name}#budget", label=f"{project.name} 资金",
                           value=printed_budget, source=project.sentence)
    refs = (*(_ref(project, i, ind) for i, ind in costs), budget_ref)
    total = sum((_to_yuan(ind) for _, ind in costs), Decimal(0))
    if len(costs) > 1:
        if total <= budget:
            return []
        return [Finding("target.cost_mismatch", "error",
                        f"{project.name}: cost indicators total {total:f}元, above the budget "
                        f"{printed_budget} ({budget:f}元)", figures=refs,
                        expected=(Decimal(0), budget), actual=total,
                        explanation="The costs a project plans cannot exceed its money.",
                        details={"project": project.name})]
    ind = costs[0][1]
    if total == budget:
        return []
    unit = ind.unit
    per = Decimal(fen_per(unit)) / 100
    diff = (total - budget) / per
    # amounts are whole 分: the values that round half-up to the budget at its last digit
    rounds_to = None if q is None else (budget - q / 2, budget + q / 2 - Decimal("0.01"))
    amounts = f"{ind.printed} = {total:f}元, budget {printed_budget} = {budget:f}元"
    if rounds_to is not None and rounds_to[0] <= total <= rounds_to[1]:
        assert q is not None
        return [Finding(
            "target.cost_mismatch", "warning",
            f"{project.name}: cost indicator {ind.printed} differs from the budget "
            f"{printed_budget} by {diff:f}{unit}, within the budget's rounding ({amounts})",
            figures=refs, expected=rounds_to, actual=total,
            explanation=(f"The budget is printed to {(q / per).normalize():f}{unit} and "
                         f"{ind.printed} rounds to {printed_budget}, so the two agree only if the "
                         "budget was rounded; read exactly, the cost and the money differ."),
            details={"project": project.name, "difference": diff})]
    if q is not None:
        rounded = (total / q).quantize(Decimal(1), ROUND_HALF_UP) * q / per
        how = (f"{ind.printed} rounded half-up to the budget's last digit is "
               f"{rounded.normalize():f}{unit}, not {printed_budget}")
        if abs(total - budget) * 2 == q:
            how += " (only truncation or round-half-even would print it so)"
    else:
        how = "the budget is exact"
    over = "exceeds" if total > budget else "falls short of"
    return [Finding(
        "target.cost_mismatch", "error",
        f"{project.name}: cost indicator {ind.printed} {over} the budget {printed_budget} by "
        f"{abs(diff):f}{unit} ({amounts})", figures=refs,
        expected=rounds_to or (budget, budget), actual=total,
        explanation=(f"A single cost indicator should equal the project's money; here {how}, "
                     "so no rounding of the budget reconciles them."),
        details={"project": project.name, "difference": diff})]


def saturation_table(projects: Iterable[Project]) -> pd.DataFrame:
    """Per project: indicators, quantified targets, targets at 100%, their share, and how many
    satisfaction targets are 100% — the numbers behind ``target.saturated``.

    >>> projects = projects_from_records([
    ...     {"project": "P", "name": "网络通畅率", "comparator": "≥", "target": "100", "unit": "%"},
    ...     {"project": "P", "name": "单位满意度", "target": "100", "unit": "%"},
    ...     {"project": "P", "name": "运维时间", "target": "1", "unit": "年"}])
    >>> saturation_table(projects).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'project': 'P', 'indicators': 3, 'quantified': 3, 'at_100': 2, 'share_100': 0.666...,
     'unmeasurable': 0, 'satisfaction_100': 1}
    """
    rows = []
    for p in projects:
        quantified = sum(1 for i in p.indicators if i.measurable)
        at100 = sum(1 for i in p.indicators if _saturated(i))
        rows.append({"project": p.name, "indicators": len(p.indicators),
                     "quantified": quantified, "at_100": at100,
                     "share_100": at100 / quantified if quantified else 0.0,
                     "unmeasurable": sum(1 for i in p.indicators if not i.measurable),
                     "satisfaction_100": sum(1 for i in p.indicators
                                             if i.level1 == "满意度" and _saturated(i))})
    return pd.DataFrame(rows, columns=["project", "indicators", "quantified", "at_100",
                                       "share_100", "unmeasurable", "satisfaction_100"])


# ---------------------------------------------------------------------- parameters as data
def _data_path(name: str) -> Path:
    return Path(str(resources.files("fiscalkit") / "data" / "performance" / f"{name}.json"))


def available_rules() -> list[str]:
    """Names of the shipped parameter files (``national-2020``, ``regional-2020-20pt``, …).

    >>> available_rules()[:2]
    ['national-2020', 'pefa-2016']
    """
    folder = Path(str(resources.files("fiscalkit") / "data" / "performance"))
    return sorted(p.stem for p in folder.glob("*.json"))


def _load_json(name_or_path: str | Path) -> tuple[dict[str, Any], str]:
    path = Path(name_or_path)
    if not (path.suffix == ".json" and path.exists()):
        path = _data_path(str(name_or_path))
    if not path.exists():
        raise InvalidValueError(f"no parameter file {name_or_path!r}; shipped: "
                                f"{', '.join(available_rules())}")
    return json.loads(path.read_text(encoding="utf-8")), str(path)


def _frac(x: Number, where: str = "") -> Fraction:
    """An exact Fraction from Decimal/int/Fraction/str; a string with a unit ("3万元") → 元."""
    if isinstance(x, bool | float):
        raise InvalidValueError(f"{x!r} is not an exact number; pass a str or Decimal",
                                where=where or None)
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, Decimal):
        if not x.is_finite():
            raise InvalidValueError(f"{x!r} is not finite", where=where or None)
        return Fraction(x)
    text = unicodedata.normalize("NFKC", str(x)).strip().replace(",", "")
    try:
        return Fraction(Decimal(text))
    except (InvalidOperation, ValueError):
        pass
    try:
        q, _ = parse_figure(text)
    except Exception:
        raise InvalidValueError(f"{x!r} is not a number or an amount", where=where or None
                                ) from None
    return Fraction(int(q.magnitude), 100)


@dataclass(frozen=True)
class Tier:
    """A qualitative tier: its label and the band of the weight it earns.

    >>> ScoringRules.load("national-2020").tier(0)
    Tier(label='达成年度指标', min=Fraction(4, 5), max=Fraction(1, 1))
    """

    label: str
    min: Fraction
    max: Fraction


@dataclass(frozen=True)
class ScoringRules:
    """A self-evaluation scoring profile, read from a parameter file with its source.

    ``weights`` are the 一级 weights (``None``: per-indicator weights must be given, summing to
    ``indicator_total``); ``execution_weight`` scores 预算执行率 = executed / budget, capped at
    ``execution_cap``; ``reverse`` is ``"inverse_ratio"`` (weight × target/actual) or
    ``"linear_to_twice"`` (full at the target, falling linearly to 0 at twice it);
    ``grades`` are (grade, lower bound) pairs, best first, each lower bound inclusive.

    >>> r = ScoringRules.load("national-2020")
    >>> r.execution_weight, {k: int(v) for k, v in (r.weights or {}).items()}
    (Fraction(10, 1), {'产出': 50, '效益': 30, '满意度': 10})
    >>> r.grade(Fraction(90)), r.grade(Fraction(8999, 100)), r.grade(Fraction(60))
    ('优', '良', '中')
    """

    id: str
    source: str
    execution_weight: Fraction
    execution_cap: Fraction | None
    weights: Mapping[str, Fraction] | None
    indicator_total: Fraction
    fold: Mapping[str, str]
    reverse: Literal["inverse_ratio", "linear_to_twice"]
    tiers: tuple[Tier, ...]
    grades: tuple[tuple[str, Fraction], ...]
    status: Mapping[str, str] = field(default_factory=dict)
    path: str = ""

    @classmethod
    def load(cls, name: str | Path = "national-2020") -> ScoringRules:
        """Load a shipped profile by name, or any parameter file by path."""
        data, path = _load_json(name)
        try:
            weights = data.get("weights")
            w = None if weights is None else {k: _frac(v) for k, v in weights.items()}
            total = _frac(data.get("total", "100"))
            execution = data["execution"]
            ind_total = (_frac(data["indicator_total"]) if data.get("indicator_total") is not None
                         else sum(w.values(), Fraction(0)) if w else total -
                         _frac(execution["weight"]))
            rules = cls(
                id=str(data["id"]), source=str(data["source"]),
                execution_weight=_frac(execution["weight"]),
                execution_cap=None if execution.get("cap") is None else _frac(execution["cap"]),
                weights=w, indicator_total=ind_total, fold=dict(data.get("fold", {})),
                reverse=data.get("reverse", "inverse_ratio"),
                tiers=tuple(Tier(t["label"], _frac(t["min"]), _frac(t["max"]))
                            for t in data["qualitative_tiers"]),
                grades=tuple((g["grade"], _frac(g["min"])) for g in data["grades"]),
                status=dict(data.get("status", {})), path=path)
        except (KeyError, TypeError) as e:
            raise InvalidValueError(f"malformed scoring parameters: {e}", where=path) from None
        if rules.execution_weight + rules.indicator_total != total:
            raise InvalidValueError(
                f"execution weight {rules.execution_weight} + indicator points "
                f"{rules.indicator_total} != total {total}", where=path)
        if rules.reverse not in ("inverse_ratio", "linear_to_twice"):
            raise InvalidValueError(f"unknown reverse rule {rules.reverse!r}", where=path)
        return rules

    def grade(self, total: Fraction) -> str:
        """The grade band of a total: the first whose lower bound the total reaches."""
        for grade, lo in self.grades:
            if total >= lo:
                return grade
        return self.grades[-1][0]

    def tier(self, key: str | int) -> Tier:
        """A qualitative tier by label or index (0 = best)."""
        if isinstance(key, int):
            return self.tiers[key]
        for t in self.tiers:
            if t.label == key:
                return t
        raise InvalidValueError(f"unknown qualitative tier {key!r}; tiers: "
                                f"{[t.label for t in self.tiers]}")


def _load_scoring_rules(rules: ScoringRules | str | Path) -> ScoringRules:
    return rules if isinstance(rules, ScoringRules) else ScoringRules.load(rules)


@dataclass(frozen=True)
class Qualitative:
    """The outturn of a qualitative (or unquantified) indicator: a tier and, optionally, the
    share of the weight awarded within the tier's band (default: the band's top).

    >>> p = Project("P", (Indicator("提高服务质量", "效益", "社会效益", "定性"),),
    ...             budget=Decimal("40000"))
    >>> ev = score(p, [Qualitative("达成年度指标", "0.9")], executed="40000",
    ...            rules="regional-2020-20pt", weights=["80"])
    >>> ev.indicators[0].points, ev.indicators[0].basis
    (Fraction(72, 1), '定性: 达成年度指标 × 0.90')
    """

    tier: str | int
    share: Number | None = None


Actual = Number | Qualitative


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator's score: its weight, outturn, points and how they were computed.

    >>> p = Project("P", (Indicator("网络通畅率", "产出", "质量", "≥", Decimal("100"), "%"),),
    ...             budget=Decimal("40000"))
    >>> s = score(p, ["98"], executed="3.8万元").indicators[0]
    >>> s.weight, s.points, s.met, s.basis
    (Fraction(50, 1), Fraction(49, 1), False, 'weight × actual/target')
    """

    indicator: Indicator
    weight: Fraction
    actual: Actual
    points: Fraction
    met: bool
    basis: str


@dataclass(frozen=True)
class SelfEvaluation:
    """A scored self-evaluation: execution, indicator points, total out of 100, grade.

    >>> p = Project("P", (Indicator("网络通畅率", "产出", "质量", "≥", Decimal("100"), "%"),),
    ...             budget=Decimal("40000"))
    >>> ev = score(p, ["98"], executed="3.8万元")
    >>> ev.execution_rate, ev.total, ev.grade
    (Fraction(19, 20), Fraction(117, 2), '差')
    >>> ev.by_level1()
    {'预算执行率': Fraction(19, 2), '产出': Fraction(49, 1)}
    >>> ev.notes[0]
    'no 效益 indicator: its 30.00 points cannot be earned'
    """

    project: str
    rules: str
    execution_rate: Fraction
    execution_points: Fraction
    execution_weight: Fraction
    indicators: tuple[IndicatorScore, ...]
    total: Fraction
    grade: str
    notes: tuple[str, ...] = ()

    def by_level1(self) -> dict[str, Fraction]:
        """Points earned per 一级 group (and 预算执行率)."""
        out: dict[str, Fraction] = {"预算执行率": self.execution_points}
        for s in self.indicators:
            out[s.indicator.level1] = out.get(s.indicator.level1, Fraction(0)) + s.points
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator (and one for 预算执行率), points as exact decimals to 0.01."""
        rows = [{"level1": "预算执行率", "level2": "", "name": "预算执行率",
                 "target": "100%", "actual": f"{_dec(self.execution_rate * 100)}%",
                 "weight": _dec(self.execution_weight), "points": _dec(self.execution_points),
                 "basis": "执行数 / 预算数 × weight"}]
        for s in self.indicators:
            actual = (f"{s.actual.tier}" if isinstance(s.actual, Qualitative)
                      else f"{s.actual}{s.indicator.unit}")
            rows.append({"level1": s.indicator.level1, "level2": s.indicator.level2,
                         "name": s.indicator.name, "target": s.indicator.printed,
                         "actual": actual, "weight": _dec(s.weight), "points": _dec(s.points),
                         "basis": s.basis})
        return pd.DataFrame(rows)


def _dec(x: Fraction, places: int = 2) -> Decimal:
    """A Fraction as a Decimal rounded half-up to ``places`` (display only)."""
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(
        Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _indicator_points(ind: Indicator, weight: Fraction, actual: Actual, rules: ScoringRules
                      ) -> tuple[Fraction, bool, str]:
    if isinstance(actual, Qualitative):
        tier = rules.tier(actual.tier)
        share = tier.max if actual.share is None else _frac(actual.share)
        if not tier.min <= share <= tier.max:
            raise InvalidValueError(f"share {share} is outside tier {tier.label!r} "
                                    f"[{tier.min}, {tier.max}]", where=ind.name)
        return weight * share, tier == rules.tiers[0], f"定性: {tier.label} × {_dec(share)}"
    if not ind.measurable:
        raise InvalidValueError("indicator has no target value; give a Qualitative outturn",
                                where=ind.name)
    assert ind.target is not None
    target, value = Fraction(ind.target), _frac(actual, ind.name)
    if not ind.reverse:
        if value >= target:
            return weight, True, "met"
        ratio = max(value, Fraction(0)) / target if target > 0 else Fraction(0)
        return weight * ratio, False, "weight × actual/target"
    if value <= target:
        return weight, True, "met (reverse)"
    if rules.reverse == "linear_to_twice":
        ratio = max(Fraction(0), 2 - value / target) if target > 0 else Fraction(0)
        return weight * ratio, False, "weight × (2 − actual/target) (reverse)"
    ratio = target / value if target > 0 else Fraction(0)
    return weight * min(ratio, Fraction(1)), False, "weight × target/actual (reverse)"


def score(project: Project, actuals: Mapping[str, Actual] | Sequence[Actual], *,
          executed: Number, budget: Number | None = None,
          rules: ScoringRules | str | Path = "national-2020",
          weights: Mapping[str, Number] | Sequence[Number] | None = None) -> SelfEvaluation:
    """Score a project's self-evaluation (单位自评) under a scoring profile.

    ``actuals`` gives each indicator's outturn — by name, or as a sequence aligned with
    ``project.indicators``: a number in the indicator's unit, or :class:`Qualitative`.
    ``executed`` is the year's spending, ``budget`` the year's budget (default: the project's),
    both in 元 unless written with a unit ("3.8万元"). ``weights`` gives per-indicator weights
    (required when the profile has no 一级 weights); otherwise each 一级 weight is split equally
    among that group's indicators — a fiscalkit default; forms set each indicator's 分值.

    Points: 预算执行率 × execution weight (rate capped per the profile); a positive
    quantitative indicator earns its weight when met, else weight × actual/target; a reverse
    one weight × target/actual (or the profile's rule); a qualitative one its tier's share.
    The total is exact (a Fraction); the grade is the first band whose lower bound it reaches.

    >>> p = Project("P", (
    ...     Indicator("网络通畅率", "产出", "质量", "≥", Decimal("100"), "%"),
    ...     Indicator("提高服务质量", "效益", "社会效益", "定性"),
    ...     Indicator("单位满意度", "满意度", "服务对象满意度", "≥", Decimal("90"), "%")),
    ...     budget=Decimal("40000"))
    >>> ev = score(p, {"网络通畅率": "98", "提高服务质量": Qualitative("达成年度指标"),
    ...                "单位满意度": "95"}, executed="3.8万元")
    >>> float(ev.total), ev.grade      # 9.5 + 50×0.98 + 30 + 10
    (98.5, '优')
    """
    rules = _load_scoring_rules(rules)
    inds = project.indicators
    if isinstance(actuals, Mapping):
        names = [i.name for i in inds]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise InvalidValueError(f"indicator names repeat ({sorted(dup)}); pass actuals as a "
                                    "sequence aligned with the indicators", where=project.name)
        missing = [n for n in names if n not in actuals]
        if missing:
            raise InvalidValueError(f"no outturn for {missing}", where=project.name)
        acts: list[Actual] = [actuals[n] for n in names]
    else:
        acts = list(actuals)
        if len(acts) != len(inds):
            raise InvalidValueError(f"{len(acts)} outturns for {len(inds)} indicators",
                                    where=project.name)
    notes: list[str] = []
    ws = _weights(project, rules, weights, notes)
    budget_f = _frac(budget, "budget") if budget is not None else (
        Fraction(project.budget) if project.budget is not None else None)
    if budget_f is None or budget_f <= 0:
        raise InvalidValueError("no positive budget to compute 预算执行率", where=project.name)
    rate = _frac(executed, "executed") / budget_f
    capped = rate if rules.execution_cap is None else min(rate, rules.execution_cap)
    if capped != rate:
        notes.append(f"执行率 {_dec(rate * 100)}% capped at {_dec(capped * 100)}% "
                     "(treatment above 100% is unverified [U])")
    exec_points = rules.execution_weight * max(capped, Fraction(0))
    scored = []
    for ind, w, act in zip(inds, ws, acts, strict=True):
        pts, met, basis = _indicator_points(ind, w, act, rules)
        scored.append(IndicatorScore(ind, w, act, pts, met, basis))
    total = exec_points + sum((s.points for s in scored), Fraction(0))
    return SelfEvaluation(project.name, rules.id, rate, exec_points, rules.execution_weight,
                          tuple(scored), total, rules.grade(total), tuple(notes))


def _weights(project: Project, rules: ScoringRules,
             weights: Mapping[str, Number] | Sequence[Number] | None,
             notes: list[str]) -> list[Fraction]:
    inds = project.indicators
    if weights is not None:
        ws = ([_frac(weights[i.name], i.name) for i in inds] if isinstance(weights, Mapping)
              else [_frac(w) for w in weights])
        if len(ws) != len(inds):
            raise InvalidValueError(f"{len(ws)} weights for {len(inds)} indicators",
                                    where=project.name)
        if sum(ws, Fraction(0)) != rules.indicator_total:
            raise InvalidValueError(f"indicator weights sum to {sum(ws, Fraction(0))}, not "
                                    f"{rules.indicator_total}", where=project.name)
        return ws
    if rules.weights is None:
        raise InvalidValueError(f"profile {rules.id} has no 一级 weights: give per-indicator "
                                f"weights summing to {rules.indicator_total}", where=project.name)
    groups: dict[str, int] = {}
    for i in inds:
        g = rules.fold.get(i.level1, i.level1)
        if g not in rules.weights:
            raise InvalidValueError(f"一级 {i.level1!r} has no weight in {rules.id}",
                                    where=i.name)
        groups[g] = groups.get(g, 0) + 1
    for g, w in rules.weights.items():
        if g not in groups:
            notes.append(f"no {g} indicator: its {_dec(w)} points cannot be earned")
    return [rules.weights[rules.fold.get(i.level1, i.level1)] /
            groups[rules.fold.get(i.level1, i.level1)] for i in inds]


# ---------------------------------------------------------------------- PEFA 2016
LineKind = Literal["line", "interest", "contingency", "suspense", "excluded"]
_LINE_KINDS: Final = ("line", "interest", "contingency", "suspense", "excluded")
_GRADES: Final = ("A", "B", "C", "D")


@dataclass(frozen=True)
class BudgetLine:
    """One line of a year's budget and its outturn, exact.

    ``kind``: ``line`` (a function, administrative head, economic or revenue category),
    ``interest`` (interest on debt: in PI-1 and 2.2, not in 2.1), ``contingency`` (its outturn
    is the expenditure charged to the contingency vote: in PI-1 and 2.3, not in 2.1/2.2),
    ``suspense`` (unallocated; outside every aggregate, but above 10% of spending it makes
    2.1/2.2 D) or ``excluded`` (principal repayment, borrowing: outside every measure).

    >>> BudgetLine.of("教育", "12.5", "3万元")
    BudgetLine(name='教育', budget=Fraction(25, 2), outturn=Fraction(30000, 1), kind='line')
    """

    name: str
    budget: Fraction
    outturn: Fraction
    kind: LineKind = "line"

    def __post_init__(self) -> None:
        if self.kind not in _LINE_KINDS:
            raise InvalidValueError(f"line kind must be one of {_LINE_KINDS}, not {self.kind!r}",
                                    where=self.name)
        for v in (self.budget, self.outturn):
            if not isinstance(v, Fraction):
                raise InvalidValueError(f"{v!r} is not a Fraction; use BudgetLine.of",
                                        where=self.name)

    @classmethod
    def of(cls, name: str, budget: Number, outturn: Number, kind: LineKind = "line"
           ) -> BudgetLine:
        """A line from exact numbers or amounts ("12.5", Decimal, "3万元" → 元)."""
        return cls(name, _frac(budget, name), _frac(outturn, name), kind)


@dataclass(frozen=True)
class YearOutturn:
    """A completed fiscal year: its originally approved budget and outturn, line by line.

    >>> y = YearOutturn(2021, (BudgetLine.of("a", 100, 96),
    ...                        BudgetLine.of("c", 4, 2, "contingency")))
    >>> [line.name for line in y.select(("contingency",))]
    ['c']
    """

    year: int
    lines: tuple[BudgetLine, ...]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> tuple[YearOutturn, ...]:
        """Years from a table with columns ``year, name, budget, outturn`` and optional ``kind``
        (amounts as exact decimal strings or numbers without fractions of the last digit)."""
        missing = [c for c in ("year", "name", "budget", "outturn") if c not in frame.columns]
        if missing:
            raise MissingColumnError(f"missing column(s) {missing}", where="outturn table")
        out = []
        for year, rows in frame.groupby("year", sort=True):
            lines = tuple(BudgetLine.of(str(r["name"]), str(r["budget"]), str(r["outturn"]),
                                        cast("LineKind", str(r.get("kind") or "line")))
                          for r in rows.to_dict("records"))
            out.append(cls(int(str(year)), lines))
        return tuple(out)

    def select(self, kinds: Iterable[str]) -> tuple[BudgetLine, ...]:
        """The lines of the given kinds."""
        ks = set(kinds)
        return tuple(line for line in self.lines if line.kind in ks)


def _totals(lines: Sequence[BudgetLine]) -> tuple[Fraction, Fraction]:
    return (sum((x.budget for x in lines), Fraction(0)),
            sum((x.outturn for x in lines), Fraction(0)))


def aggregate_ratio(year: YearOutturn) -> Fraction:
    """Total outturn / total original budget (PI-1, 3.1): regular lines, interest and
    contingency; suspense and excluded lines left out [V: /node/4762].

    >>> y = YearOutturn(2021, (BudgetLine.of("a", 100, 96),
    ...                        BudgetLine.of("c", 4, 0, "contingency")))
    >>> aggregate_ratio(y)
    Fraction(12, 13)
    """
    budget, outturn = _totals(year.select(("line", "interest", "contingency")))
    if budget <= 0:
        raise InvalidValueError("total budget must be positive", where=str(year.year))
    return outturn / budget


def composition_variance(year: YearOutturn, kinds: Iterable[str] = ("line",)) -> Fraction:
    """The PEFA composition variance of a year over the lines of ``kinds``.

    Each line's original budget is scaled by total outturn / total budget (both over the
    lines measured), removing the aggregate deviation [V: /node/4765]; the variance is the sum
    of absolute deviations of outturn from that adjusted budget, over the adjusted budget's
    total (which equals the total outturn). Excluded kinds (contingency for 2.1/2.2, interest
    for 2.1) are left out of the totals too, so the measure is purely compositional: zero when
    every line moved in proportion. Which totals the framework's spreadsheet uses is not
    verified [U]; this reading makes the result independent of the excluded lines.

    >>> y = YearOutturn(2021, (BudgetLine.of("a", 60, 66), BudgetLine.of("b", 40, 34)))
    >>> composition_variance(y)      # scale 100/100: |66−60| + |34−40| = 12 of 100
    Fraction(3, 25)
    """
    lines = year.select(kinds)
    budget, outturn = _totals(lines)
    if budget <= 0 or outturn <= 0:
        raise InvalidValueError("total budget and outturn of the measured lines must be positive",
                                where=str(year.year))
    scale = outturn / budget
    adjusted = [x.budget * scale for x in lines]
    deviation = sum((abs(x.outturn - a) for x, a in zip(lines, adjusted, strict=True)),
                    Fraction(0))
    return deviation / sum(adjusted, Fraction(0))


def contingency_share(year: YearOutturn) -> Fraction:
    """Expenditure charged to contingency votes / the year's total original budget (2.3).

    >>> y = YearOutturn(2021, (BudgetLine.of("a", 100, 96),
    ...                        BudgetLine.of("c", 4, 2, "contingency")))
    >>> contingency_share(y)     # 2 of 104
    Fraction(1, 52)
    """
    budget, _ = _totals(year.select(("line", "interest", "contingency")))
    if budget <= 0:
        raise InvalidValueError("total budget must be positive", where=str(year.year))
    _, spent = _totals(year.select(("contingency",)))
    return spent / budget


def _suspense_share(year: YearOutturn) -> Fraction:
    _, spent = _totals(year.select(("line", "interest", "contingency")))
    _, suspense = _totals(year.select(("suspense",)))
    return suspense / spent if spent > 0 else Fraction(0)


@dataclass(frozen=True)
class Band:
    """The minimum requirement of a grade: a value range with open or closed ends.

    >>> a = Band("A", Fraction(95, 100), Fraction(105, 100))
    >>> a.contains(Fraction(1)), a.contains(Fraction(106, 100))
    (True, False)
    """

    grade: str
    min: Fraction | None
    max: Fraction | None
    min_inclusive: bool = True
    max_inclusive: bool = True

    def contains(self, v: Fraction) -> bool:
        """Whether ``v`` meets this grade's requirement."""
        if self.min is not None and (v < self.min or (v == self.min and not self.min_inclusive)):
            return False
        return not (self.max is not None and (v > self.max or (v == self.max
                                                                and not self.max_inclusive)))


@dataclass(frozen=True)
class DimensionRule:
    """How one PEFA dimension is measured and graded (from the parameter file).

    >>> rule = PefaRules.load().dimensions["1.1"]
    >>> rule.measure, rule.aggregation, rule.required, rule.window, rule.status[:2]
    ('aggregate_ratio', 'at_least', 2, 3, 'U:')
    """

    id: str
    indicator: str
    title: str
    measure: str
    kinds: tuple[str, ...]
    aggregation: str
    required: int
    window: int
    bands: tuple[Band, ...]
    status: str


@dataclass(frozen=True)
class PefaRules:
    """The PEFA 2016 thresholds and aggregation tables, read from ``pefa-2016.json``.

    >>> rules = PefaRules.load()
    >>> sorted(rules.dimensions), rules.methods["PI-3"], rules.suspense_limit
    (['1.1', '2.1', '2.2', '2.3', '3.1', '3.2'], 'M2', Fraction(1, 10))
    """

    dimensions: Mapping[str, DimensionRule]
    methods: Mapping[str, str]
    m2_tables: Mapping[int, Mapping[str, str]]
    suspense_limit: Fraction
    source: str

    @classmethod
    def load(cls, name: str | Path = "pefa-2016") -> PefaRules:
        """Load the shipped PEFA parameters (or a file with the same layout)."""
        data, path = _load_json(name)
        try:
            dims = {}
            for key, d in data["dimensions"].items():
                agg = d["aggregation"]
                bands = tuple(Band(b["grade"],
                                   None if b.get("min") is None else _frac(b["min"]),
                                   None if b.get("max") is None else _frac(b["max"]),
                                   bool(b.get("min_inclusive", True)),
                                   bool(b.get("max_inclusive", True))) for b in d["bands"])
                dims[key] = DimensionRule(key, d["indicator"], d["title"], d["measure"],
                                          tuple(d.get("kinds", ())), agg["rule"],
                                          int(agg.get("required", 1)), int(agg["window"]), bands,
                                          d.get("status", ""))
            methods = {k: v["method"] for k, v in data["indicators"].items()}
            tables = {int(k): dict(v) for k, v in data.get("m2_tables", {}).items()}
            return cls(dims, methods, tables, _frac(data["suspense_limit"]), data["source"])
        except (KeyError, TypeError, ValueError) as e:
            raise InvalidValueError(f"malformed PEFA parameters: {e}", where=path) from None


@dataclass(frozen=True)
class Dimension:
    """A scored PEFA dimension: the yearly measures, the score and why.

    >>> ys = [YearOutturn(y, (BudgetLine.of("all", 100, o),)) for y, o in
    ...       ((2019, 105), (2020, 110), (2021, 97))]
    >>> (dim,) = pi1(ys).dimensions
    >>> dim.id, dim.score, dim.basis
    ('1.1', 'A', '2 of 3 years meet A')
    """

    id: str
    title: str
    score: str
    values: tuple[tuple[int, Fraction], ...]
    basis: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PefaScore:
    """A scored PEFA indicator: its dimensions and their aggregation by M1 or M2.

    >>> ys = [YearOutturn(y, (BudgetLine.of("all", 100, o),)) for y, o in
    ...       ((2019, 105), (2020, 110), (2021, 97))]
    >>> pi1(ys).to_frame()[["dimension", "year", "value_pct", "dimension_score"]]
      dimension  year value_pct dimension_score
    0       1.1  2019    105.00               A
    1       1.1  2020    110.00               A
    2       1.1  2021     97.00               A
    """

    indicator: str
    method: str
    score: str
    dimensions: tuple[Dimension, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per dimension and year: the measure in % (2 decimals) and the scores."""
        rows: list[dict[str, Any]] = []
        for d in self.dimensions:
            base = {"indicator": self.indicator, "dimension": d.id, "title": d.title,
                    "dimension_score": d.score, "indicator_score": self.score}
            if not d.values:
                rows.append({**base, "year": None, "value_pct": None})
            rows.extend({**base, "year": y, "value_pct": _dec(v * 100)} for y, v in d.values)
        return pd.DataFrame(rows, columns=["indicator", "dimension", "title", "year", "value_pct",
                                           "dimension_score", "indicator_score"])


def _load_pefa(rules: PefaRules | str | Path | None) -> PefaRules:
    if isinstance(rules, PefaRules):
        return rules
    return PefaRules.load(rules or "pefa-2016")


def _grade_dimension(rule: DimensionRule, values: Sequence[tuple[int, Fraction]],
                     notes: list[str]) -> Dimension:
    values = sorted(values)
    if len(values) > rule.window:
        notes.append(f"using the last {rule.window} of {len(values)} years supplied")
        values = values[-rule.window:]
    if rule.aggregation == "average":
        if len(values) < rule.window:
            notes.append(f"needs all of the last {rule.window} years; {len(values)} supplied")
            return Dimension(rule.id, rule.title, "D*", tuple(values), "insufficient data",
                             tuple(notes))
        mean = sum((v for _, v in values), Fraction(0)) / len(values)
        grade = next((b.grade for b in rule.bands if b.contains(mean)), "D")
        return Dimension(rule.id, rule.title, grade, tuple(values),
                         f"average {_dec(mean * 100)}%", tuple(notes))
    if len(values) < rule.required:
        notes.append(f"needs at least {rule.required} years; {len(values)} supplied")
        return Dimension(rule.id, rule.title, "D*", tuple(values), "insufficient data",
                         tuple(notes))
    if len(values) < rule.window:
        notes.append(f"{len(values)} years supplied; the framework uses the last {rule.window}")
    for band in rule.bands:
        hits = sum(1 for _, v in values if band.contains(v))
        if hits >= rule.required:
            return Dimension(rule.id, rule.title, band.grade, tuple(values),
                             f"{hits} of {len(values)} years meet {band.grade}", tuple(notes))
    return Dimension(rule.id, rule.title, "D", tuple(values),
                     f"fewer than {rule.required} years meet C", tuple(notes))


def _measure(rule: DimensionRule, years: Sequence[YearOutturn]) -> list[tuple[int, Fraction]]:
    if rule.measure == "aggregate_ratio":
        return [(y.year, aggregate_ratio(y)) for y in years]
    if rule.measure == "composition_variance":
        return [(y.year, composition_variance(y, rule.kinds)) for y in years]
    if rule.measure == "contingency_share":
        return [(y.year, contingency_share(y)) for y in years]
    raise InvalidValueError(f"unknown measure {rule.measure!r}", where=rule.id)


def _dimension(rule: DimensionRule, years: Sequence[YearOutturn] | None) -> Dimension:
    if not years:
        return Dimension(rule.id, rule.title, "D*", (), "no data supplied")
    return _grade_dimension(rule, _measure(rule, years), [])


def _rank(score: str) -> int:
    return _GRADES.index(score.rstrip("*+"))


def m1(scores: Sequence[str]) -> str:
    """Weakest link: the lowest dimension score, with "+" when another dimension is higher.

    D* counts as D and the asterisk does not carry to the indicator; NA dimensions are
    ignored [V: /node/4754, /node/4756; U: wording of the "+" rule].

    >>> m1(["B", "A", "C"]), m1(["B", "B"]), m1(["D*", "C"])
    ('C+', 'B', 'D+')
    """
    ranks = [_rank(s) for s in scores if s != "NA"]
    if not ranks:
        return "NA"
    worst = max(ranks)
    return _GRADES[worst] + ("+" if any(r < worst for r in ranks) else "")


def m2(scores: Sequence[str], table: Mapping[str, str] | None = None,
       rules: PefaRules | str | Path | None = None) -> str:
    """Averaging by the framework's conversion table (the dimension scores, best first, as key).

    The shipped two-dimension table is from fiscalkit's reference notes [U]; no three- or
    four-dimension table ships (not retrieved), so those need ``table`` (e.g. the official one).
    D* counts as D; NA dimensions are ignored.

    >>> m2(["C", "A"]), m2(["D*", "B"]), m2(["B", "A"])
    ('B', 'C', 'B+')
    """
    dims = sorted((s.rstrip("*") for s in scores if s != "NA"), key=_rank)
    if not dims:
        return "NA"
    if len(dims) == 1:
        return dims[0]
    if table is None:
        tables = _load_pefa(rules).m2_tables
        if len(dims) not in tables:
            raise InvalidValueError(
                f"no verified M2 conversion table for {len(dims)} dimensions ships with "
                "fiscalkit; pass the framework's table as table=")
        table = tables[len(dims)]
    key = "".join(dims)
    try:
        return table[key]
    except KeyError:
        raise InvalidValueError(f"M2 table has no entry {key!r}") from None


def _indicator(name: str, dims: Sequence[Dimension], rules: PefaRules) -> PefaScore:
    method = rules.methods[name]
    scores = [d.score for d in dims]
    total = m1(scores) if method == "M1" else m2(scores, rules=rules)
    return PefaScore(name, method, total, tuple(dims))


def pi1(years: Sequence[YearOutturn], *, rules: PefaRules | str | Path | None = None
        ) -> PefaScore:
    """PI-1 aggregate expenditure outturn: outturn / original budget in each year, graded A
    (95–105%), B (90–110%), C (85–115%) when at least two of the last three years meet it
    [thresholds U; coverage V].

    >>> ys = [YearOutturn(y, (BudgetLine.of("all", 100, o),)) for y, o in
    ...       ((2019, 105), (2020, 110), (2021, 97))]
    >>> pi1(ys).score          # 105% and 97% are within 95–105%: two years
    'A'
    """
    r = _load_pefa(rules)
    return _indicator("PI-1", [_dimension(r.dimensions["1.1"], years)], r)


def pi2(by_function: Sequence[YearOutturn], by_economic: Sequence[YearOutturn] | None = None,
        *, rules: PefaRules | str | Path | None = None) -> PefaScore:
    """PI-2 expenditure composition outturn, M1 over 2.1, 2.2 and 2.3.

    2.1 is the composition variance by function/administrative head (regular lines only:
    contingency and interest excluded), 2.2 by economic type (interest included), each graded
    A/B/C below 5/10/15% in at least two of the last three years; 2.3 is the average over all
    three years of contingency spending as a share of the original budget (A <3%, B 3–6%
    inclusive, C >6% and <10%). Unallocated (suspense) spending above 10% of total spending in
    any year makes 2.1 and 2.2 D. Missing data give D* [V: /node/4627, /node/4567].

    Lines are used as given: the framework asks for the main functions (the ten COFOG
    divisions) or the 20 largest administrative heads covering at least 75% of the budget, the
    rest in one line (contingency excluded) [V: /node/4871] — group them before calling.

    >>> ys = [YearOutturn(y, (BudgetLine.of("health", 60, h), BudgetLine.of("education", 40, e),
    ...                       BudgetLine.of("reserve", 3, 1, "contingency")))
    ...       for y, h, e in ((2019, 62, 38), (2020, 66, 34), (2021, 61, 40))]
    >>> score = pi2(ys)                    # no economic breakdown given: 2.2 is D*
    >>> score.score, [(d.id, d.score) for d in score.dimensions]
    ('D+', [('2.1', 'A'), ('2.2', 'D*'), ('2.3', 'A')])
    """
    r = _load_pefa(rules)
    d21 = _dimension(r.dimensions["2.1"], by_function)
    d22 = _dimension(r.dimensions["2.2"], by_economic)
    source = by_function or by_economic or ()
    if source and not any(y.select(("contingency",)) for y in source):
        d23 = Dimension("2.3", r.dimensions["2.3"].title, "NA", (),
                        "no contingency line supplied",
                        ("how the framework scores a budget without a contingency vote is "
                         "not verified [U]",))
    else:
        d23 = _dimension(r.dimensions["2.3"], source)
    over = [y.year for y in source if _suspense_share(y) > r.suspense_limit]
    if over:
        note = (f"suspense above {_dec(r.suspense_limit * 100)}% of spending in {over}: "
                "2.1 and 2.2 scored D")
        d21 = Dimension(d21.id, d21.title, "D", d21.values, d21.basis, (*d21.notes, note))
        d22 = Dimension(d22.id, d22.title, "D", d22.values, d22.basis, (*d22.notes, note))
    return _indicator("PI-2", [d21, d22, d23], r)


def pi3(revenue: Sequence[YearOutturn], *, rules: PefaRules | str | Path | None = None
        ) -> PefaScore:
    """PI-3 revenue outturn, M2 over 3.1 (actual / budgeted revenue: A 97–106%, B 94–112%,
    C 92–116%, in two of the last three years) and 3.2 (composition variance by revenue
    category: <5/<10/<15%). Grants are regular lines; borrowing is ``excluded`` [V: /node/4770,
    /node/4771, /node/4768].

    >>> revenue = [YearOutturn(y, (BudgetLine.of("tax", 80, t), BudgetLine.of("fees", 20, f)))
    ...            for y, t, f in ((2019, 79, 21), (2020, 82, 19), (2021, 78, 20))]
    >>> pi3(revenue).score, [d.score for d in pi3(revenue).dimensions]
    ('A', ['A', 'A'])
    """
    r = _load_pefa(rules)
    return _indicator("PI-3", [_dimension(r.dimensions["3.1"], revenue),
                               _dimension(r.dimensions["3.2"], revenue)], r)
