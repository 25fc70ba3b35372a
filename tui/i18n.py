"""Every label the TUI shows, in Chinese (the default) and English (``--lang en``).

A status is never told by colour alone: each colour has a glyph and a word, so a screen read
with ``NO_COLOR=1`` or over a 16-colour SSH link still says what it means.
"""

from __future__ import annotations

GLYPHS = {"red": "✖", "amber": "▲", "grey": "○", "blue": "◆", "green": "●"}
"""One glyph per status colour, distinct in shape so monochrome terminals still tell them apart."""

_ZH = {
    # status words
    "red": "红", "amber": "黄", "grey": "灰", "blue": "蓝", "green": "绿",
    # header and panes
    "app_title": "绩效运行监控", "as_of": "监控日期", "year": "年度", "loading": "正在加载…",
    "units": "预算单位", "projects": "项目", "indicators": "指标", "detail": "详情",
    "no_units": "没有数据：请先导入目标表（jixiao import）",
    "no_projects": "该单位没有项目", "no_indicators": "该项目没有指标",
    "no_selection": "选择一个指标查看详情",
    "col_status": "状态", "col_category": "二级指标", "col_name": "三级指标", "col_target": "指标值",
    "col_actual": "完成值", "col_expected": "序时应完成", "col_forecast": "全年预计",
    "col_reason": "原因", "col_budget": "预算", "col_spent": "执行", "col_rate": "执行率",
    "col_light": "预算", "col_unit": "单位", "col_project": "项目", "col_counts": "各状态指标数",
    "view_only": "只读视图",
    # detail pane
    "description": "绩效指标描述", "reason": "原因", "history": "进度记录", "no_history": "尚无进度记录",
    "sparkline": "完成值/序时应完成", "forecast": "全年预计完成情况", "likelihood": "完成目标可能性",
    "causes": "偏差原因", "measures": "纠偏措施", "note": "备注", "target": "指标值",
    "kind": "类型", "budget_light": "预算执行",
    # bindings
    "k_record": "记录进度", "k_spend": "记录支出", "k_triage": "红黄清单", "k_next": "下个红黄",
    "k_prev": "上个红黄", "k_search": "搜索", "k_sort": "排序", "k_date": "监控日期",
    "k_export": "导出", "k_help": "帮助", "k_quit": "退出", "k_focus_next": "切换窗格",
    "k_focus_prev": "上一个窗格", "k_open": "进入", "k_back": "返回", "k_save": "保存",
    "k_cancel": "取消", "k_refresh": "重新加载",
    # help
    "help_title": "按键说明", "help_panes": "窗格：预算单位 → 项目 → 指标 → 详情。方向键移动，Enter 进入，Tab 切换窗格，鼠标点击亦可。",
    "help_palette": "Ctrl+P 打开命令面板，可按名称执行所有操作。",
    "k_up": "移动光标", "k_down": "下移", "k_page": "翻页", "k_home_end": "首行 / 末行",
    # forms
    "form_record": "记录进度", "form_spend": "记录预算执行", "actual": "完成值", "unit_is": "单位",
    "actual_deadline": "完成日期 (YYYY-MM-DD) 或完成百分比 (如 60%)", "grade": "完成情况",
    "grades": ("达成", "部分达成", "未达成"), "measures_hint": "落后时必填",
    "save": "保存 (Ctrl+S)", "cancel": "取消 (Esc)", "would_be": "保存后状态",
    "required": "必填", "need_causes": "黄/红状态须选择偏差原因", "need_measures": "黄/红状态须填写纠偏措施",
    "saving": "正在保存…", "saved": "已保存", "spent": "累计执行数（万元）", "spent_as_of": "截至日期",
    "not_number": "需要一个不小于 0 的数字（万元）", "not_date": "日期格式为 YYYY-MM-DD",
    "date_title": "更改监控日期", "date_quarters": "季度末", "date_any": "任意日期 (YYYY-MM-DD)",
    "date_view_only": "仅本视图生效：只有管理员(admin)可保存监控日期",
    "export_title": "导出季度快照", "export_path": "保存到文件", "exported": "快照已写入",
    "search_title": "搜索 单位/项目/指标/指标值", "search_hint": "输入关键字；↓ 进入结果，Enter 跳转，Esc 返回", "search_none": "没有匹配",
    "triage_title": "全部红/黄指标（最差在前）", "triage_empty": "没有红或黄的指标",
    "no_alert": "没有红或黄的指标", "sorted_status": "按状态排序", "sorted_table": "按表格顺序",
    "refreshed": "已载入其他用户的更新",
    # refusals
    "refuse_edit": "{user}（{role}）无权编辑单位 {unit}：需要该单位的 owner 授权或 admin 角色",
    "refuse_export": "{user}（{role}）无权导出快照：需要 manager 或 admin 角色",
    "pick_indicator": "请先选择一个指标", "pick_project": "请先选择一个项目",
    "kinds": {"quantity": "数量", "rate": "比率", "range": "区间", "deadline": "期限",
              "qualitative": "定性"},
    "likelihoods": ("确定能", "有可能", "完全不可能"),
}

_EN = {
    "red": "red", "amber": "amber", "grey": "grey", "blue": "blue", "green": "green",
    "app_title": "performance monitoring", "as_of": "as of", "year": "year", "loading": "loading…",
    "units": "Units", "projects": "Projects", "indicators": "Indicators", "detail": "Detail",
    "no_units": "No data: import target tables first (jixiao import)",
    "no_projects": "This unit has no projects", "no_indicators": "This project has no indicators",
    "no_selection": "Select an indicator to see its detail",
    "col_status": "status", "col_category": "category", "col_name": "indicator", "col_target": "target",
    "col_actual": "actual", "col_expected": "expected", "col_forecast": "forecast",
    "col_reason": "reason", "col_budget": "budget", "col_spent": "spent", "col_rate": "rate",
    "col_light": "budget", "col_unit": "unit", "col_project": "project", "col_counts": "indicators",
    "view_only": "view only",
    "description": "Description", "reason": "Reason", "history": "History", "no_history": "No progress recorded yet",
    "sparkline": "actual/expected", "forecast": "Forecast", "likelihood": "Likelihood",
    "causes": "Causes", "measures": "Measures", "note": "Note", "target": "Target",
    "kind": "kind", "budget_light": "Budget execution",
    "k_record": "Record", "k_spend": "Spending", "k_triage": "Red/amber", "k_next": "Next alert",
    "k_prev": "Prev alert", "k_search": "Search", "k_sort": "Sort", "k_date": "Date",
    "k_export": "Export", "k_help": "Help", "k_quit": "Quit", "k_focus_next": "Switch pane",
    "k_focus_prev": "Previous pane", "k_open": "Open", "k_back": "Back", "k_save": "Save",
    "k_cancel": "Cancel", "k_refresh": "Reload",
    "help_title": "Keys", "help_panes": "Panes: units → projects → indicators → detail. Arrows move, Enter opens, Tab switches pane; the mouse works too.",
    "help_palette": "Ctrl+P opens the command palette: every action by name.",
    "k_up": "Move the cursor", "k_down": "Down", "k_page": "Page up / down", "k_home_end": "First / last row",
    "form_record": "Record progress", "form_spend": "Record spending", "actual": "Actual", "unit_is": "unit",
    "actual_deadline": "Completion date (YYYY-MM-DD) or percent done (e.g. 60%)", "grade": "Grade",
    "grades": ("达成", "部分达成", "未达成"), "measures_hint": "required when behind",
    "save": "Save (Ctrl+S)", "cancel": "Cancel (Esc)", "would_be": "Status after saving",
    "required": "required", "need_causes": "amber/red needs at least one cause",
    "need_measures": "amber/red needs corrective measures",
    "saving": "saving…", "saved": "Saved", "spent": "Cumulative spent (万元)", "spent_as_of": "as of",
    "not_number": "needs a number ≥ 0 (万元)", "not_date": "a date is written YYYY-MM-DD",
    "date_title": "Change the monitoring date", "date_quarters": "Quarter ends", "date_any": "Any date (YYYY-MM-DD)",
    "date_view_only": "This view only: only an admin can save the monitoring date",
    "export_title": "Export the quarterly snapshot", "export_path": "Write to file", "exported": "Snapshot written to",
    "search_title": "Search units / projects / indicators / targets", "search_hint": "Type; ↓ into the results, Enter jumps, Esc goes back", "search_none": "No matches",
    "triage_title": "Every red/amber indicator, worst first", "triage_empty": "No red or amber indicators",
    "no_alert": "No red or amber indicators", "sorted_status": "Sorted by status", "sorted_table": "Table order",
    "refreshed": "Loaded another user's changes",
    "refuse_edit": "{user} ({role}) may not edit unit {unit}: needs an owner grant for it or the admin role",
    "refuse_export": "{user} ({role}) may not export snapshots: needs the manager or admin role",
    "pick_indicator": "Select an indicator first", "pick_project": "Select a project first",
    "kinds": {"quantity": "quantity", "rate": "rate", "range": "range", "deadline": "deadline",
              "qualitative": "qualitative"},
    "likelihoods": ("确定能", "有可能", "完全不可能"),
}

LANGS = {"zh": _ZH, "en": _EN}
"""Label tables by language code."""


def label(key: str, lang: str = "zh"):
    """The label ``key`` in ``lang`` (falls back to Chinese, then to the key itself)."""
    table = LANGS.get(lang, _ZH)
    return table.get(key, _ZH.get(key, key))


def status_word(colour: str, lang: str = "zh") -> str:
    """``glyph word`` for a status colour, e.g. ``▲ 黄`` — readable without colour."""
    return f"{GLYPHS.get(colour, '?')} {label(colour, lang)}"
