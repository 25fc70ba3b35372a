"""Deterministic generator of realistic jixiao data sets for the benchmarks (issue 8).

``generate(n, seed)`` builds a ``core.dataset.Dataset`` of ``n`` indicators spread over units of
about 200 indicators (10 projects of about 20 each), with 6-digit unit codes, Chinese names,
target texts of every kind the parser reads in roughly the proportions of the seed tables
(``sample_data/tianjin_2023_targets.txt``), about four progress entries per indicator spread
over the year and quarterly spending per project. The same ``(n, seed)`` always gives the same
data set, ids included.

``ensure(n, seed)`` writes the data set through the store (``Store(dir).bulk_load``), like real
data, plus the same data as ONE TinyDB file with the default ``JSONStorage`` (the naive layout
the store is compared with), and caches both under ``bench/out/`` keyed by size, seed and
generator version, so reruns start at once.

Run ``python bench/generate.py --size 1000 --seed 1`` to (re)build one data set and print where
it is.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import os
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from jixiao.core.dataset import Dataset
from jixiao.core.model import (
    Budget, Indicator, ProgressEntry, Project, Settings, SpendingEntry, Unit, stable_id,
)

GENERATOR_VERSION = 1
"""Bump when the generated content changes, so cached data sets are rebuilt."""

OUT = Path(os.environ.get("JIXIAO_BENCH_OUT") or Path.cwd() / "bench" / "out").resolve()
"""Where generated data sets are cached: ``$JIXIAO_BENCH_OUT``, else ``bench/out`` under the
current directory (the repository, where ``python bench/run.py`` is run; git-ignored)."""

YEAR = 2023
AS_OF = "2023-07-31"
"""Budget year and monitoring date of every generated data set (the seed tables are 2023)."""

INDICATORS_PER_PROJECT = 20
PROJECTS_PER_UNIT = 10

# --- names -------------------------------------------------------------------------------------
# Departments of a municipal government; with the sub-unit suffixes below they give names like
# 天津市生态环境局信息中心, the way real 预算单位 are named.
_DEPARTMENTS = (
    "人民政府办公厅", "发展和改革委员会", "教育委员会", "科学技术局", "工业和信息化局", "民族和宗教事务委员会",
    "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "规划和自然资源局", "生态环境局",
    "住房和城乡建设委员会", "城市管理委员会", "交通运输委员会", "水务局", "农业农村委员会", "商务局",
    "文化和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "人民政府外事办公室",
    "国有资产监督管理委员会", "市场监督管理局", "体育局", "统计局", "医疗保障局", "林业局", "地方金融监督管理局",
    "政务服务办公室", "信访办公室", "粮食和物资储备局", "合作交流办公室", "机关事务管理局", "档案馆",
    "地方志编修委员会办公室", "气象局", "知识产权局", "药品监督管理局", "人民防空办公室", "消防救援总队",
    "住房公积金管理中心", "公共资源交易中心", "大数据管理中心", "广播电视局", "新闻出版局", "残疾人联合会",
    "妇女联合会", "总工会", "共青团委员会", "科学技术协会", "社会科学界联合会", "文学艺术界联合会",
    "红十字会", "侨务办公室", "港澳事务办公室", "海洋局",
)
_SUBUNITS = (
    "", "综合服务中心", "信息中心", "机关服务中心", "宣传教育中心", "培训中心", "监测中心", "执法总队",
    "事务中心", "研究院", "档案管理中心", "后勤保障中心", "评审中心", "驻北京办事处", "指挥中心",
)
_PLACES = ("天津市", "河北省", "山西省", "辽宁省", "江苏省", "浙江省", "山东省")

_PROJECT_TOPICS = (
    "系统等级保护测评", "机关运行保障", "信息化平台运维", "政务公开", "档案数字化加工", "应急物资储备",
    "业务培训", "办公设备购置", "网络安全防护", "重点课题研究", "对外宣传推介", "专项督查", "法律顾问服务",
    "离退休人员服务保障", "数据中心运维", "公共服务平台建设", "会议服务保障", "政府公报印制发行",
    "视频会议系统升级", "安全生产检查", "执法装备购置", "监测站点运行维护", "人才引进服务", "志愿服务活动",
    "文明城市创建", "社区服务能力提升", "农村人居环境整治", "河湖长制巡查", "食品安全抽检",
    "医疗救助资金管理", "老旧小区改造监管", "科技成果转化", "中小企业服务", "招商引资推介",
    "文化惠民演出", "全民健身活动", "统计调查", "审计项目外聘", "房屋修缮", "车辆运行维护",
)
_PROJECT_KINDS = ("项目", "经费", "专项经费", "工作经费", "项目经费")

# (object of the count, unit) for 数量指标, and a few verbs to make the 三级指标.
_COUNTS = (
    ("开展等保测评的系统", "个"), ("会议邀请嘉宾", "人"), ("会议室会议系统运维", "个"), ("信息化软件购置及维护", "项"),
    ("办公设备及耗材购置更新", "种"), ("订购书报杂志等学习资料", "份"), ("运行运转保障项目", "类"),
    ("部署应用系统", "个"), ("采购硬件设备", "台"), ("组织开展业务培训", "期"), ("培训人员", "人次"),
    ("服务保障离退休老同志", "人"), ("政务访谈制作", "期"), ("新闻视频制作", "个"), ("政府公报印制发行", "期"),
    ("印制材料", "份"), ("收发文件", "份"), ("开展专项检查", "次"), ("举办宣传活动", "场"),
    ("完成维修维保项目", "项"), ("抽检样本", "批次"), ("走访企业", "家"), ("新增监测点位", "个"),
    ("整治点位", "处"), ("受益群众", "万人次"), ("修缮面积", "平方米"), ("发放宣传材料", "份"),
)
_RATES = (
    "验收合格率", "测评合格率", "工作完成率", "系统稳定运行率", "故障排查率", "设备完好率", "培训人员达标率",
    "印刷合格率", "准确率", "平台分拨率", "问题整改率", "抽检合格率", "资料归档率", "按时办结率",
)
_LEVELS = (("政务访谈每期时长", "分钟", 25), ("新闻视频每段时长", "秒", 20), ("单次培训学时", "学时", 8),
           ("平均响应时长", "小时", 2))
_SATISFACTION = ("服务对象满意度", "系统使用人员满意度", "参会人员满意度", "机关工作人员满意度",
                 "社会公众满意度", "参训人员满意度", "群众满意度", "企业满意度")
_QUALITATIVE = (
    ("推动落实重点工作任务", "落实"), ("服务保障工作提质增效", "是"), ("工程质量符合验收标准", "符合国家及行业标准"),
    ("等级保护测评成效", "测评结果合格"), ("提升办公质效和管理水平", "办公质效和管理水平得到提升"),
    ("宣传推介城市形象", "展示城市形象和营商环境"), ("保障单位正常运转", "保障"), ("实现国有资产保值", "延长国有资产使用年限"),
    ("社会影响力", "有所提升"), ("生态环境改善", "效果显著"), ("长效机制建设", "持续"),
    ("借鉴先进经验", "借鉴先进经验，提升举办大型活动水平"), ("节能降耗", "实现低碳环保办会"),
)
_TIMELY = ("及时性", "及时率", "办理时效", "响应及时性")
_BENEFIT_CATEGORIES = ("社会效益指标", "经济效益指标", "生态效益指标", "可持续影响指标")
_SURNAMES = ("zhang", "wang", "li", "zhao", "liu", "chen", "yang", "huang", "zhou", "wu", "xu", "sun")
_GIVEN = ("wei", "fang", "na", "min", "jing", "lei", "qiang", "jun", "yan", "tao", "hui", "ping")


# --- targets -----------------------------------------------------------------------------------
def _number(x: float) -> str:
    """A number as a person writes it in a table: no trailing zeros."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _quantity_target(rng: random.Random, unit: str) -> tuple[str, float]:
    n = rng.choice((1, 2, 4, 5, 6, 8, 11, 12, 24, 38, 50, 100, 155, 200, 260, 300, 365, 1000, 170000))
    # Mostly the seed's "≥8个"; then a bare count ("38个", read as at least) and the spellings of
    # other provinces' tables that the parser also reads (issue 3).
    form = rng.choices(("ge", "bare", "words", "ascii", "above"), (70, 15, 7, 5, 3))[0]
    text = {"ge": f"≥{n}{unit}", "bare": f"{n}{unit}", "words": f"不少于{n}{unit}",
            "ascii": f">={n}{unit}", "above": f"{n}{unit}以上"}[form]
    return text, float(n)


def _rate_target(rng: random.Random) -> tuple[str, float]:
    v = rng.choices((100, 99, 98, 95, 90, 85), (40, 8, 12, 25, 10, 5))[0]
    form = rng.choices(("bare", "ge", "pct_word", "words"), (35, 55, 3, 7))[0]
    text = {"bare": f"{v}%", "ge": f"≥{v}%", "pct_word": f"≥{v}百分比", "words": f"不低于{v}%"}[form]
    return text, float(v)


def _cap_target(rng: random.Random, budget: float) -> tuple[str, float]:
    cap = round(max(1.0, budget * rng.uniform(0.05, 0.6)), rng.choice((0, 1, 2)))
    form = rng.choices(("le", "words", "ascii"), (90, 7, 3))[0]
    text = {"le": f"≤{_number(cap)}万元", "words": f"不超过{_number(cap)}万元",
            "ascii": f"<={_number(cap)}万元"}[form]
    return text, cap


def _deadline_target(rng: random.Random) -> tuple[str, date]:
    month = rng.choice((3, 6, 6, 9, 10, 11, 12, 12, 12))
    end = (date(YEAR, month % 12 + 1, 1) if month < 12 else date(YEAR + 1, 1, 1)) - timedelta(days=1)
    form = rng.choices(("month_done", "month", "half", "day"), (45, 25, 15, 15))[0]
    if form == "half":
        return f"{YEAR}年上半年", date(YEAR, 6, 30)
    if form == "day":
        return f"{YEAR}年{month}月{end.day}日前", end
    task = rng.choice(("完成等级保护测评", "完成项目", "完成验收", "完成采购", "完成全部工作"))
    return (f"{YEAR}年{month}月底前{task}" if form == "month_done" else f"{YEAR}年{month}月底前"), end


# --- building ----------------------------------------------------------------------------------
def _day(rng: random.Random, month: int) -> date:
    """A random day in ``month`` of the budget year."""
    return date(YEAR, month, rng.randint(1, 28))


def _recorded_at(rng: random.Random, as_of: date) -> str:
    d = as_of + timedelta(days=rng.randint(0, 6))
    return f"{d.isoformat()}T{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:00+08:00"


def _year_fraction(d: date, deadline: date | None = None) -> float:
    end = deadline or date(YEAR, 12, 31)
    total = (end - date(YEAR, 1, 1)).days or 1
    return min(1.0, max(0.0, (d - date(YEAR, 1, 1)).days / total))


def _entry_dates(rng: random.Random) -> list[date]:
    # Most indicators get about four reports (one per quarter, at a random day of a random month
    # of it); a few got none yet (grey) or only some.
    k = rng.choices((0, 2, 3, 4, 5, 6), (5, 10, 20, 30, 20, 15))[0]
    months = sorted(rng.sample(range(1, 13), k))
    return [_day(rng, m) for m in months]


def _progress_for(rng: random.Random, ind: Indicator, spec: dict, author: str) -> list[ProgressEntry]:
    """Progress entries of one indicator, with values that fit its kind (issue 3 'Recording')."""
    kind = spec["kind"]
    pace = rng.choices((rng.uniform(0.3, 0.6), rng.uniform(0.6, 0.85), rng.uniform(0.85, 1.2),
                        rng.uniform(1.2, 1.6)), (8, 17, 65, 10))[0]
    entries = []
    for i, d in enumerate(_entry_dates(rng)):
        t = _year_fraction(d, spec.get("deadline"))
        forecast = likelihood = measures = None
        causes: tuple[str, ...] = ()
        unit = spec.get("unit", "")
        if kind == "quantity":
            v = spec["value"] * t * pace
            v = round(v) if unit not in ("万元", "万人次") else round(v, 2)
            actual = _number(v) + (unit if rng.random() < 0.2 else "")
            if rng.random() < 0.5:
                forecast = _number(round(spec["value"] * min(pace, 1.3), 2))
        elif kind in ("rate", "level"):
            v = min(100.0, spec["value"] * rng.uniform(0.9, 1.03)) if kind == "rate" else \
                spec["value"] * rng.uniform(0.9, 1.2)
            actual = _number(round(v, 1)) + ("%" if kind == "rate" and rng.random() < 0.5 else "")
        elif kind == "cap":
            v = round(spec["value"] * t * min(pace, 1.3), 2)
            actual = _number(v) + ("万元" if rng.random() < 0.2 else "")
        elif kind == "range":
            actual = _number(rng.choice((spec["low"], spec["high"], (spec["low"] + spec["high"]) / 2,
                                         spec["high"] + 1))) + ("天" if rng.random() < 0.3 else "")
        elif kind == "deadline":
            if t >= 1.0 or (t > 0.7 and rng.random() < 0.5):
                done = spec["deadline"] + timedelta(days=rng.choice((-20, -10, -3, 0, 5)))
                actual = min(done, d).isoformat()
            else:
                actual = f"{min(100, round(100 * t * pace))}%"
        else:  # qualitative
            actual = rng.choices(("达成", "部分达成", "未达成", "是", "及时", "合格"), (55, 20, 5, 8, 8, 4))[0]
        if pace < 0.8 and rng.random() < 0.7:
            likelihood = rng.choice(("有可能", "有可能", "完全不可能"))
            causes = tuple(rng.sample(("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"), rng.randint(1, 2)))
            measures = "加快推进实施进度，按月调度，确保完成全年目标"
        elif rng.random() < 0.3:
            likelihood = "确定能"
        entries.append(ProgressEntry(
            id="E" + stable_id(ind.id, d.isoformat(), i, length=11),
            indicator_id=ind.id, as_of=d.isoformat(), actual=actual, author=author,
            recorded_at=_recorded_at(rng, d), forecast=forecast, likelihood=likelihood,
            causes=causes, measures=measures))
    return entries


def _indicator_rows(rng: random.Random, size: int, budget: float) -> list[tuple[str, str, str, str, str, dict]]:
    """``size`` rows (level1, category, name, description, target_text, spec) of one project table,
    in table order (产出: 数量, 质量, 时效, 成本; then 效益; then 满意度)."""
    # Category mix of the seed tables: of 128 targets, 30 数量, 28 质量, 27 时效, 28 成本,
    # 22 效益, 15 满意度 (time rows are mostly 及时; deadlines and ranges are rarer).
    cats = rng.choices(("数量指标", "质量指标", "时效指标", "成本指标", "效益", "满意度指标"),
                       (24, 21, 17, 19, 12, 7), k=size)
    order = {"数量指标": 0, "质量指标": 1, "时效指标": 2, "成本指标": 3, "效益": 4, "满意度指标": 5}
    cats.sort(key=order.__getitem__)
    rows = []
    for cat in cats:
        if cat == "数量指标":
            obj, unit = rng.choice(_COUNTS)
            text, value = _quantity_target(rng, unit)
            rows.append(("产出指标", cat, f"{obj}数量", f"{obj}数量不少于{_number(value)}{unit}", text,
                         {"kind": "quantity", "value": value, "unit": unit}))
        elif cat == "质量指标":
            if rng.random() < 0.1:
                name, unit, v = rng.choice(_LEVELS)
                rows.append(("产出指标", cat, name, f"{name}不低于{v}{unit}", f"≥{v}{unit}",
                             {"kind": "level", "value": float(v), "unit": unit}))
            else:
                name = rng.choice(_RATES)
                text, v = _rate_target(rng)
                rows.append(("产出指标", cat, name, f"{name}达到{_number(v)}%", text,
                             {"kind": "rate", "value": v}))
        elif cat == "时效指标":
            r = rng.random()
            if r < 0.22:
                text, deadline = _deadline_target(rng)
                rows.append(("产出指标", cat, "项目完成时间", "按时完成全部工作", text,
                             {"kind": "deadline", "deadline": deadline}))
            elif r < 0.30:
                lo = rng.choice((1, 2, 3, 5))
                hi = lo + rng.choice((1, 2, 5))
                note = rng.choice(("", "，急件优先", "，特殊情况除外"))
                rows.append(("产出指标", cat, rng.choice(("印制周期", "办理周期", "响应时间")), "在规定时限内办结",
                             f"{lo}-{hi}天{note}", {"kind": "range", "low": float(lo), "high": float(hi)}))
            else:
                rows.append(("产出指标", cat, "工作" + rng.choice(_TIMELY), "按时完成各项工作",
                             rng.choice(("及时", "及时", "及时", "按时完成", "即收即发，急件优先")),
                             {"kind": "qualitative"}))
        elif cat == "成本指标":
            text, cap = _cap_target(rng, budget)
            name = rng.choice(("项目经费", "设备购置费用", "运维费用", "印刷费用", "培训费用", "专家咨询费用", "委托业务费"))
            rows.append(("产出指标", cat, name, f"用于{name}不超过{_number(cap)}万元", text,
                         {"kind": "cap", "value": cap, "unit": "万元"}))
        elif cat == "效益":
            sub = rng.choice(_BENEFIT_CATEGORIES)
            if rng.random() < 0.15:
                obj, unit = rng.choice(_COUNTS)
                text, value = _quantity_target(rng, unit)
                rows.append(("效益指标", sub, f"{obj}覆盖", f"{obj}覆盖范围", text,
                             {"kind": "quantity", "value": value, "unit": unit}))
            else:
                name, text = rng.choice(_QUALITATIVE)
                rows.append(("效益指标", sub, name, name, text, {"kind": "qualitative"}))
        else:
            name = rng.choice(_SATISFACTION)
            if rng.random() < 0.3:
                text, v = _rate_target(rng)
            else:  # the seed's usual 满意度 target
                v = float(rng.choice((85, 90, 95, 95)))
                text = f"≥{_number(v)}%"
            rows.append(("满意度指标", "服务对象满意度指标", name, f"{name}不低于{_number(v)}%", text,
                         {"kind": "rate", "value": v}))
    return rows


def _project_sizes(rng: random.Random, n: int) -> list[int]:
    # Projects of 12..28 indicators, drawn in pairs that sum to 40 so the mean stays 20 and the
    # total is exactly n.
    sizes: list[int] = []
    while sum(sizes) + 2 * INDICATORS_PER_PROJECT <= n:
        d = rng.randint(0, 8)
        sizes += [INDICATORS_PER_PROJECT + d, INDICATORS_PER_PROJECT - d]
    rest = n - sum(sizes)
    if rest:
        sizes.append(rest)
    return sizes


def unique_id(entry, seen: set[str]):
    """``entry``, or a copy with an id derived again from its own when ``seen`` holds that id
    (a store keeps entry ids unique: PostgreSQL refuses a second one); the id is added to
    ``seen``. Only colliding entries change, so smaller data sets are as they were."""
    new = entry.id
    while new in seen:
        new = entry.id[0] + stable_id(new, "again", length=len(entry.id) - 1)
    seen.add(new)
    return entry if new == entry.id else replace(entry, id=new)


def generate(n: int, seed: int = 1) -> Dataset:
    """A data set of exactly ``n`` indicators; the same ``(n, seed)`` gives the same data set."""
    rng = random.Random(f"jixiao-bench-{GENERATOR_VERSION}-{n}-{seed}")
    ds = Dataset(settings=Settings(year=YEAR, as_of=AS_OF))
    sizes = _project_sizes(rng, n)
    n_units = max(1, -(-len(sizes) // PROJECTS_PER_UNIT))
    # Unit codes like the seed's 301101: place (3..9), department (01..60), sub-unit (101..115).
    # 7 places x 60 departments x 15 sub-units = 6,300 codes, far more than 100k/200 = 500 units.
    slots = [(p, d, s) for p in range(len(_PLACES)) for d in range(len(_DEPARTMENTS))
             for s in range(len(_SUBUNITS))]
    if n_units > len(slots):
        raise ValueError(f"at most {len(slots) * 200:,} indicators")
    units = []
    for k in sorted(rng.sample(range(len(slots)), n_units)):
        p, d, s = slots[k]
        units.append(Unit(code=f"{3 + p}{d + 1:02d}{101 + s:03d}",
                          name=f"{_PLACES[p]}{_DEPARTMENTS[d]}{_SUBUNITS[s]}"))
    for u in units:
        ds.add_unit(u)
    entry_ids: set[str] = set()  # entry ids: 44-bit hashes, so a few collide among 3.9M at 1M
    for p_index, size in enumerate(sizes):
        unit = units[p_index // PROJECTS_PER_UNIT]
        author = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        if p_index % PROJECTS_PER_UNIT == 0:
            taken: set[str] = set()  # project names are unique within a unit
        while True:
            name = rng.choice(("", f"{YEAR}年")) + rng.choice(_PROJECT_TOPICS) + rng.choice(_PROJECT_KINDS)
            if name not in taken:
                taken.add(name)
                break
        total = round(min(5000.0, max(3.0, rng.lognormvariate(4.3, 1.1))), 2)
        other = round(total * rng.choice((0, 0, 0, 0.1, 0.3)), 2)
        project = Project(
            id=Project.make_id(unit.code, YEAR, name), unit_code=unit.code, year=YEAR, name=name,
            budget=Budget(total=total, fiscal=round(total - other, 2), other=other or None),
            purpose=f"用于{name}相关支出", goals=(f"1.按照有关要求完成{name}各项工作，提升服务保障水平。",),
            order=p_index % PROJECTS_PER_UNIT)
        ds.add_project(project)
        seen: dict[tuple[str, str, str], int] = {}
        for order, (level1, category, iname, desc, text, spec) in enumerate(_indicator_rows(rng, size, total)):
            occ = seen.get((level1, category, iname), 0)
            seen[(level1, category, iname)] = occ + 1
            iid = Indicator.make_id(project.id, level1, category, iname, occ)
            # Ids are hashes; should two ever collide, skip to the next occurrence number so the
            # set keeps exactly n (an import refuses a collision instead).
            while iid in ds.indicators:
                occ += 1
                iid = Indicator.make_id(project.id, level1, category, iname, occ)
            ind = Indicator(id=iid,
                            project_id=project.id, order=order, level1=level1, category=category,
                            name=iname, description=desc, target_text=text)
            ds.add_indicator(ind)
            for e in _progress_for(rng, ind, spec, author):
                ds.add_progress(unique_id(e, entry_ids))
        pace = rng.uniform(0.4, 1.2)
        for q, month in enumerate((3, 6, 9, 12)):
            d = date(YEAR, month, 28)
            ds.add_spending(SpendingEntry(
                id="S" + stable_id(project.id, d.isoformat(), length=11), project_id=project.id,
                as_of=d.isoformat(), spent=round(min(total * 1.05, total * (q + 1) / 4 * pace), 2),
                author=author, recorded_at=_recorded_at(rng, d)))
    return ds


def naive_tinydb_doc(ds: Dataset) -> dict:
    """The whole data set as ONE TinyDB database (tables of ``{doc_id: document}``), the layout a
    plain ``TinyDB(path)`` would hold; written with ``json.dump`` exactly as ``JSONStorage`` does."""

    def table(docs) -> dict:
        return {str(i): d for i, d in enumerate(docs, 1)}

    return {
        "settings": table([ds.settings.to_dict()]),
        "units": table(u.to_dict() for u in ds.unit_list()),
        "projects": table(p.to_dict() for p in ds.projects.values()),
        "indicators": table(i.to_dict() for i in ds.indicators.values()),
        "progress": table(e.to_dict() for es in ds.progress.values() for e in es),
        "spending": table(e.to_dict() for es in ds.spending.values() for e in es),
    }


def paths(n: int, seed: int = 1) -> tuple[Path, Path]:
    """``(store_dir, naive_file)`` of the cached data set ``(n, seed)``."""
    base = OUT / f"v{GENERATOR_VERSION}-n{n}-s{seed}"
    return base / "store", base / "naive.json"


def ensure(n: int, seed: int = 1, *, log=None) -> tuple[Path, Path]:
    """Build (once) and return ``(store_dir, naive_file)`` for ``(n, seed)``.

    The store directory is written through ``store.Store.bulk_load``; a ``.complete`` marker is
    written last, so an interrupted build is redone rather than half used.
    """
    store_dir, naive = paths(n, seed)
    marker = store_dir.parent / ".complete"
    from jixiao.store.repository import Store

    if marker.exists():
        # Summaries written by an earlier program (or before there were any) are renewed,
        # as the import that made the set would have written them (``store.summaries``).
        t0 = time.perf_counter()
        renewed = Store(store_dir, user="bench").refresh_summaries()
        if log and renewed:
            log(f"renewed {renewed} unit summaries in {time.perf_counter() - t0:.1f}s")
        return store_dir, naive

    if store_dir.parent.exists():
        shutil.rmtree(store_dir.parent)
    store_dir.mkdir(parents=True)
    t0 = time.perf_counter()
    ds = generate(n, seed)
    t1 = time.perf_counter()
    with naive.open("w") as f:
        json.dump(naive_tinydb_doc(ds), f)
    t2 = time.perf_counter()
    Store(store_dir, user="bench").bulk_load(ds)
    t3 = time.perf_counter()
    marker.write_text(json.dumps({"n": n, "seed": seed, "generate_s": round(t1 - t0, 2),
                                  "naive_write_s": round(t2 - t1, 2), "bulk_load_s": round(t3 - t2, 2)}))
    if log:
        log(f"generated n={n} seed={seed}: generate {t1 - t0:.1f}s, naive file {t2 - t1:.1f}s, "
            f"bulk_load {t3 - t2:.1f}s")
    return store_dir, naive


def ensure_sample() -> Path:
    """A store holding the 128-indicator sample data (``sample_data.load_sample``), rebuilt on
    every call (it takes well under a second) so it always matches the sample."""
    from jixiao.sample_data import load_sample
    from jixiao.store.repository import Store

    store_dir = OUT / "sample" / "store"
    if store_dir.exists():
        shutil.rmtree(store_dir)
    store_dir.mkdir(parents=True)
    Store(store_dir, user="bench").bulk_load(load_sample())
    return store_dir


def main(argv: list[str] | None = None) -> int:
    """Command line: build one cached data set and print its paths."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    store_dir, naive = ensure(args.size, args.seed, log=lambda m: print(m, file=sys.stderr))
    print(store_dir)
    print(naive)
    return 0


if __name__ == "__main__":
    sys.exit(main())
