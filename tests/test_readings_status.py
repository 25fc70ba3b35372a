"""A recorded value that no longer fits its target (the table was revised after it was recorded)
greys the indicator with the reason in the reader's language (issue 3)."""

from jixiao.core.model import Indicator, ProgressEntry, Settings
from jixiao.core.rules import indicator_status


def status_with(target_text: str, actual: str, category: str = "数量指标"):
    ind = Indicator(id="i1", project_id="p1", order=1, level1="产出指标", category=category,
                    name="开展等保测评的系统数量", description="", target_text=target_text)
    entry = ProgressEntry(id="e1", indicator_id="i1", as_of="2023-07-31", actual=actual,
                          author="owner", recorded_at="2023-07-31T10:00:00")
    return indicator_status(ind, entry, "2023-07-31", Settings(year=2023, as_of="2023-07-31"),
                            2023)


def test_an_unreadable_value_is_explained_in_chinese_and_english():
    status = status_with("≥8个", "达成")
    assert status.colour == "grey"
    assert status.reason("zh") == "填报值“达成”无法判断（需要以个为单位的数字）；截止12-31 → 灰"
    assert status.reason("en") == ("recorded value '达成' cannot be judged (needs a number in 个); "
                                   "due 12-31 → grey")


def test_an_unreadable_grade_is_explained_in_chinese():
    status = status_with("及时", "3个", category="时效指标")
    assert status.reason("zh") == ("填报值“3个”无法判断（需要评定：达成、部分达成或未达成（也可写是/否、"
                                   "合格/不合格、及时/不及时））；截止12-31 → 灰")
