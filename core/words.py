"""Every domain word of jixiao in Chinese and English, defined once (DESIGN.md §2).

Reasons, the CLI, the TUI and the exported tables take their domain words from here, so a
word is the same wherever it is shown (a deadline is 时限 everywhere, never 期限 in one
place and 时限 in another). UI-only labels such as key hints stay with the TUI (``tui/i18n.py``).

The stored values of a choice (a grade, a likelihood, a cause) are the official Chinese terms
of the monitoring form; ``english`` gives the word shown beside them with ``--lang en``.
"""

from __future__ import annotations

COLOUR_WORDS = {
    "zh": {"red": "红", "amber": "黄", "grey": "灰", "blue": "蓝", "green": "绿"},
    "en": {"red": "red", "amber": "amber", "grey": "grey", "blue": "blue", "green": "green"},
}
"""The word for each status colour per language: a status is never shown by colour alone."""

KIND_WORDS = {
    "zh": {"quantity": "数量", "rate": "比率", "range": "区间", "deadline": "时限",
           "qualitative": "定性"},
    "en": {"quantity": "quantity", "rate": "rate", "range": "range", "deadline": "deadline",
           "qualitative": "qualitative"},
}
"""The name of each kind of target per language."""

DIRECTION_WORDS = {
    "zh": {"higher": "越高越好", "lower": "越低越好", "exact": "精确"},
    "en": {"higher": "higher is better", "lower": "lower is better", "exact": "exact"},
}
"""The name of each direction of a target per language."""

MEASURE_WORDS = {
    "zh": {"cumulative": "累计", "level": "水平"},
    "en": {"cumulative": "cumulative", "level": "level"},
}
"""The name of each measure (how progress adds up) per language."""

ROLE_WORDS = {
    "zh": {"admin": "管理员", "manager": "管理者", "owner": "填报人", "reader": "查看者"},
    "en": {"admin": "admin", "manager": "manager", "owner": "owner", "reader": "reader"},
}
"""The name of each role per language (``store.grants.ROLES``); a ``reader`` holds no grant and
may only look."""

THRESHOLD_WORDS = {
    "zh": {"red_below": "红色阈值", "amber_below": "黄色阈值", "blue_from": "蓝色阈值",
           "blue_final_from": "超额完成阈值", "level_amber_from": "水平指标黄色阈值",
           "burn_amber_above": "支出过快阈值", "deadline_warning_days": "时限预警天数",
           "budget_red_below": "预算执行红色阈值", "budget_amber_below": "预算执行黄色阈值"},
    "en": {},
}
"""The Chinese name of each status threshold (``core.model.Thresholds``, docs/rules.md). English
names a threshold by its key, which is also what ``--threshold NAME=VALUE`` takes."""

GRADES = ("达成", "部分达成", "未达成")
"""The three grades of a qualitative target, best first (stored as these words)."""

LIKELIHOODS = ("确定能", "有可能", "完全不可能")
"""The allowed answers to 完成目标可能性 (``likelihood``), as stored."""

HOPELESS = LIKELIHOODS[-1]
"""The likelihood that turns an indicator red: the owner says the target cannot be met."""

CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
"""The five standard 偏差原因 (``causes``) of the monitoring table, as stored."""

LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
"""The 一级指标 that appear in published tables (成本指标 in post-2021 tables)."""

COST = "成本"
"""The word that marks a cost indicator in its 一级指标 or 二级指标."""

_ENGLISH = {
    "达成": "achieved", "部分达成": "partly achieved", "未达成": "not achieved",
    "确定能": "certain", "有可能": "possible", "完全不可能": "impossible",
    "经费保障": "funding", "制度保障": "rules", "人员保障": "staffing",
    "硬件条件保障": "equipment", "其他": "other",
    "产出指标": "outputs", "效益指标": "outcomes", "满意度指标": "satisfaction",
    "成本指标": "costs",
}

FIELD_WORDS = {
    "zh": {"unit": "单位", "project": "项目", "indicator": "指标", "status": "状态",
           "level1": "一级指标", "category": "二级指标", "name": "三级指标", "target": "指标值",
           "actual": "完成值", "expected": "序时应完成", "forecast": "全年预计完成情况",
           "likelihood": "完成目标可能性", "causes": "偏差原因", "measures": "纠偏措施",
           "note": "备注", "reason": "原因", "deadline": "时限", "kind": "类型",
           "grade": "完成情况", "budget": "预算", "spent": "执行", "rate": "执行率",
           "budget_light": "预算执行"},
    "en": {"unit": "unit", "project": "project", "indicator": "indicator", "status": "status",
           "level1": "level 1", "category": "category", "name": "indicator", "target": "target",
           "actual": "actual", "expected": "expected", "forecast": "forecast",
           "likelihood": "likelihood", "causes": "causes", "measures": "measures",
           "note": "note", "reason": "reason", "deadline": "deadline", "kind": "kind",
           "grade": "grade", "budget": "budget", "spent": "spent", "rate": "rate",
           "budget_light": "budget execution"},
}
"""The name of each field (column, form field) per language."""


def english(term: str) -> str:
    """The English word for an official Chinese ``term`` (a grade, likelihood, cause or
    一级指标); the term itself when it has none."""
    return _ENGLISH.get(term, term)


def choice_word(term: str, lang: str = "zh") -> str:
    """How a stored choice is shown in ``lang``: the Chinese term itself, or in English the
    English word with the official term beside it (``impossible (完全不可能)``)."""
    if lang != "en":
        return term
    word = _ENGLISH.get(term)
    return f"{word} ({term})" if word else term


def value_word(value: str, lang: str = "zh", *, beside: bool = True) -> str:
    """A recorded value as shown: a grade (达成 …) in English with ``lang`` 'en' — with the term
    beside it, or alone where a column has no room (``beside=False``); any other value as
    written."""
    if lang != "en" or value not in GRADES:
        return value
    return choice_word(value, lang) if beside else english(value)


def choice_words(terms, lang: str = "zh") -> str:
    """Several stored choices (the causes of an entry) shown in ``lang``, in one line."""
    return ("、" if lang != "en" else ", ").join(choice_word(t, lang) for t in terms)


def choice_term(text: str, terms: tuple[str, ...]) -> str | None:
    """The stored term among ``terms`` that ``text`` names — the term itself or its English
    word, in any case (``Possible`` gives 有可能); ``None`` when it names none of them."""
    said = text.strip()
    for term in terms:
        if said == term or said.casefold() == english(term).casefold():
            return term
    return None


def role_term(role: str, lang: str = "zh") -> str:
    """A role as the command line names it: the role as ``--role`` takes it, in Chinese with
    its name beside it (``admin（管理员）``)."""
    name = ROLE_WORDS["zh"].get(role) if lang != "en" else None
    return f"{role}（{name}）" if name else role


def threshold_name(key: str, lang: str = "zh") -> str:
    """A threshold as listed: in Chinese its name with the key a user types beside it
    (``红色阈值 red_below``), in English the key."""
    name = THRESHOLD_WORDS["zh"].get(key) if lang != "en" else None
    return f"{name} {key}" if name else key


def word(table: dict, key: str, lang: str = "zh") -> str:
    """``key`` looked up in one of the tables above for ``lang`` (Chinese unless 'en');
    an unknown key as it is."""
    return table["en" if lang == "en" else "zh"].get(key, key)


def is_cost(level1: str, category: str) -> bool:
    """Whether an indicator filed under ``level1`` / ``category`` is a cost indicator."""
    return COST in level1 or COST in category
