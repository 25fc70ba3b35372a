"""What ``jixiao log`` says about a change, in Chinese and English.

The store keeps each change's summary (``what``) as it has always written it, in English — the
file store and the PostgreSQL functions alike — so old logs and new ones read the same. Entries
made from history (progress, spending) are worded here in both languages; a stored summary is
read back by its known wording and said in Chinese (``in_chinese``); one that matches no wording
is shown as stored.
"""

from __future__ import annotations

import re
from typing import Callable

from .language import Said
from .words import DIRECTION_WORDS, MEASURE_WORDS, choice_word, role_term, threshold_name

ACTION_WORDS = {"progress": "进度", "spending": "支出", "import": "导入", "grant": "授权",
                "revoke": "收回", "settings": "设置", "reading": "解读"}
"""The Chinese word for each kind of logged change (``store.audit.ACTIONS``)."""

_SETTING_WORDS = {"year": "年度", "as_of": "监控日期"}


def action_word(action: str, lang: str) -> str:
    """The kind of a change in ``lang``."""
    return ACTION_WORDS.get(action, action) if lang == "zh" else action


def progress_what(name: str, indicator_id: str, as_of: str, actual: str, forecast: str | None,
                  likelihood: str | None, note: str | None) -> Said:
    """The summary of a progress entry."""
    en = f"{name} [{indicator_id}] as of {as_of}: actual {actual}"
    zh = f"{name} [{indicator_id}] 截至 {as_of}：完成值 {actual}"
    if forecast:
        en += f", forecast {forecast}"
        zh += f"，全年预计 {forecast}"
    if likelihood:
        en += f", {choice_word(likelihood, 'en')}"
        zh += f"，{likelihood}"
    if note:
        en += f", note {note}"
        zh += f"，备注 {note}"
    return Said(en, zh)


def spending_what(name: str, project_id: str, as_of: str, spent: float) -> Said:
    """The summary of a spending entry."""
    return Said(f"{name} [{project_id}] as of {as_of}: spent {spent:g} 万元",
                f"{name} [{project_id}] 截至 {as_of}：累计执行 {spent:g} 万元")


def _setting_change(part: str) -> str:
    m = re.fullmatch(r"(\w+) (.*) → (.*)", part)
    if not m:
        return part
    name, old, new = m.groups()
    return f"{_SETTING_WORDS.get(name) or threshold_name(name)} {old} → {new}"


def _reading(what: str) -> str:
    if what == "back to the inferred reading":
        return "恢复为自动推断的解读"
    if what == "confirmed as read":
        return "确认现有解读"
    words = {**MEASURE_WORDS["en"], **DIRECTION_WORDS["en"]}
    zh = {**MEASURE_WORDS["zh"], **DIRECTION_WORDS["zh"]}
    back = {v: zh[k] for k, v in words.items()}
    parts = [back.get(p, p) for p in what.split(" ")]
    text = " ".join(parts)
    return text.replace("wanted ", "期望答复 ")


# (pattern of the stored English, its Chinese); a pattern's groups are user text, kept as is.
_STORED: tuple[tuple[re.Pattern, Callable[[re.Match], str]], ...] = (
    (re.compile(r"import (\d+) project\(s\) \((.*)\): (\d+) indicator\(s\) added, (\d+) changed, "
                r"(\d+) removed"),
     lambda m: f"导入 {m[1]} 个项目（{m[2]}）：新增 {m[3]} 项指标，修改 {m[4]} 项，移除 {m[5]} 项"),
    (re.compile(r"(\w+) (\d+) project\(s\), (\d+) indicator\(s\)"),
     lambda m: f"{ {'loaded': '载入', 'copied': '复制'}.get(m[1], m[1]) } {m[2]} 个项目、"
               f"{m[3]} 项指标"),
    (re.compile(r"(.*) → (admin|manager|owner)( \(jixiao db init\))?( for (.*))?"),
     lambda m: f"{m[1]} → {role_term(m[2])}" + ("（jixiao db init）" if m[3] else "")
               + (f"，单位 {m[5]}" if m[4] else "")),
    (re.compile(r"(.*) loses all rights"), lambda m: f"{m[1]} 失去全部权限"),
    (re.compile(r"(.*) loses (.*)"), lambda m: f"{m[1]} 失去单位 {m[2]}"),
    (re.compile(r"created: year (\d+), as_of (\S+)"),
     lambda m: f"创建：年度 {m[1]}，监控日期 {m[2]}"),
    (re.compile(r"no change"), lambda m: "无变化"),
    (re.compile(r"(.* \[[^\]]+\] 指标值 .*): (.*)"), lambda m: f"{m[1]}：{_reading(m[2])}"),
    (re.compile(r"(?:\w+ \S+ → \S+)(?:, \w+ \S+ → \S+)*"),
     lambda m: "，".join(_setting_change(p) for p in m[0].split(", "))),
)


def in_chinese(what: str) -> str:
    """A stored change summary said in Chinese; as stored when its wording is not known."""
    for pattern, render in _STORED:
        m = pattern.fullmatch(what)
        if m:
            return render(m)
    return what
