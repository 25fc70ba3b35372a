"""Rebuild the demo's JSON files from the seed text and the hand-written progress table below.

    python -m sample_data.build           # rewrite tianjin_2023.json and progress_2023-07-31.json
    python -m sample_data.build --check   # exit 1 if the committed files are out of date

The target tables are the real published 2023 tables (``tianjin_2023_targets.txt``) as
``jixiao import`` reads them. The progress is **illustrative, not published data**: values as of
the 2023-07-31 monitoring round (1–7月), chosen so that the demo shows every colour and every
kind of target, with a little history (Q1, H1) and one correction. Everything is deterministic:
fixed authors and ``recorded_at`` strings, ids derived from content.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jixiao.core.dataset import Dataset
from jixiao.core.importing import plan_import
from jixiao.core.model import ProgressEntry, Settings, SpendingEntry, stable_id
from jixiao.core.tables import read_tables

HERE = Path(__file__).resolve().parent
SEED = HERE / "tianjin_2023_targets.txt"
TABLES_JSON = HERE / "tianjin_2023.json"
PROGRESS_JSON = HERE / "progress_2023-07-31.json"

YEAR = 2023
AS_OF = "2023-07-31"
ILLUSTRATIVE = ("Illustrative progress for the jixiao demo, NOT published data: invented values "
                "as of the 2023-07-31 monitoring round against the real 2023 target tables.")

# When each round was entered: a few days after its as-of date, at a fixed time.
RECORDED = {
    "2023-03-31": "2023-04-06T09:30:00+08:00",
    "2023-06-30": "2023-07-06T09:30:00+08:00",
    "2023-07-31": "2023-08-03T10:00:00+08:00",
    "2023-08-15": "2023-08-16T15:00:00+08:00",
}
CORRECTED_AT = "2023-08-04T16:20:00+08:00"

# project name -> (owner, spending history [(as_of, 万元)], rows in table order).
# A row is (三级指标, actual as of 2023-07-31, extras); extras may hold forecast, likelihood,
# causes, measures, note, history [(as_of, actual)], as_of (an entry dated after the monitoring
# date, so the indicator is grey on 07-31) and corrects (a first, wrong value later corrected).
BEHIND = {"likelihood": "有可能"}
PROGRESS: dict[str, tuple[str, list, list]] = {
    "系统等级保护测评项目": ("zhang.wei", [("2023-03-31", 0.0), ("2023-06-30", 53.4), ("2023-07-31", 53.4)], [
        ("开展等保测评的系统数量", "9个", {"note": "6月完成全部9个系统的测评"}),
        ("等级保护测评合格率", "100%", {}),
        ("本年度完成等级保护测评", "2023-06-26", {"note": "测评报告6月26日出具"}),
        ("等级保护测评成本", "53.4万元", {"forecast": "89万元", "note": "测评费已支付60%，余款验收后支付"}),
        ("等级保护测评成效", "达成", {}),
        ("系统使用人员满意度", "97%", {}),
    ]),
    "2023年冬季达沃斯年会项目经费": ("zhang.wei", [("2023-03-31", 76.8), ("2023-06-30", 76.8), ("2023-07-31", 76.8)], [
        ("会议邀请嘉宾人数", "412人", {"note": "实际邀请412人，目标值偏低"}),
        ("参与年会的完成度", "100%", {}),
        ("举办时间", "2023-01-20", {"note": "年会于1月16日至20日举办"}),
        ("经费预算", "76.8万元", {"forecast": "76.8万元", "likelihood": "确定能",
                               "note": "年会已于1月举办，费用已结算完毕，支出进度快于序时进度"}),
        ("招商引资", "达成", {"note": "会间洽谈签约项目3个"}),
        ("宣传推介天津", "达成", {}),
        ("倡导节俭、绿色办会理念，推动展会节能降耗", "部分达成",
         {"causes": ["其他"], "measures": "后续活动全面使用电子化材料", **BEHIND}),
        ("借鉴国际办会经验", "达成", {}),
        ("参与天津活动嘉宾满意度", "96%", {}),
    ]),
    "机关运行保障经费": ("zhang.wei", [("2023-03-31", 98.2), ("2023-06-30", 236.0), ("2023-07-31", 281.5)], [
        ("在天津礼堂召开的市政府会议", "3类", {}),
        ("会议室会议系统运维", "11个", {}),
        ("互联网+督查平台维护", "1个", {}),
        ("信息化软件购置及维护", "0项", {"forecast": "1项", "causes": ["制度保障"],
                                 "measures": "采购需求已报财政审核，预计9月完成采购", **BEHIND}),
        ("办公设备及耗材、办公家具购置更新", "128种", {"history": [("2023-03-31", "40种"), ("2023-06-30", "102种")]}),
        ("订购书报杂志、书籍等学习资料", "260份", {"note": "全年订阅已于1月完成"}),
        ("保障差旅、邮寄、印刷、通讯、维修等运行运转项目", "7类", {}),
        ("在天津礼堂召开的市政府会议完成率", "100%", {}),
        ("保障会议室会议系统稳定运行率", "99.2%", {"causes": ["硬件条件保障"],
                                        "measures": "更换老化音视频设备", **BEHIND}),
        ("互联网+督查平台故障排查率", "100%", {}),
        ("信息化软件稳定运行率", "100%", {}),
        ("办公设备及耗材、办公家具购置合格率", "100%", {}),
        ("订购书报杂志、书籍等学习资料工作完成率", "100%", {}),
        ("保障差旅、邮寄、印刷、通讯、维修等运行运转项目完成率", "100%", {}),
        ("在天津礼堂召开的市政府会议及时性", "达成", {}),
        ("会议室会议系统运维及时性", "部分达成", {"causes": ["人员保障"],
                                         "measures": "运维单位增派驻场人员", **BEHIND}),
        ("互联网+督查平台故障修复处置", "达成", {}),
        ("信息化软件运维及时性", "达成", {}),
        ("办公设备及耗材、办公家具购置及时性", "达成", {}),
        ("订购书报杂志、书籍等学习资料及时性", "达成", {}),
        ("保障差旅、邮寄、印刷、通讯、维修等运行运转项目及时率", "达成", {}),
        ("在天津礼堂召开的市政府会议", "31.2万元", {}),
        ("会议室会议系统运维", "21.5万元", {}),
        ("互联网+督查平台维护", "2.5万元", {}),
        ("信息化软件购置及维护", "0万元", {}),
        ("办公设备及耗材、办公家具购置更新", "118.6万元",
         {"history": [("2023-03-31", "52.3万元"), ("2023-06-30", "104.1万元")],
          "measures": "下半年从严控制采购，仅保障必需设备", "likelihood": "确定能"}),
        ("订购书报杂志、书籍等学习资料", "9.4万元", {}),
        ("保障差旅、邮寄、印刷、通讯、维修等运行运转项目", "98.3万元", {}),
        ("推动落实党中央、国务院决策部署和市委、市政府重点工作任务", "达成", {}),
        ("市政府办公厅服务保障工作提质增效", "达成", {}),
        ("参会人员满意度", "98%", {}),
        ("机关工作人员满意度", "96%", {}),
    ]),
    "中转平台建设项目": ("li.na", [("2023-03-31", 0.0), ("2023-06-30", 36.0), ("2023-07-31", 39.0)], [
        ("部署应用系统数量", "1个", {"forecast": "2个"}),
        ("采购硬件设备数量", "5台", {}),
        ("项目验收合格", "80%", {"forecast": "100%", "causes": ["硬件条件保障"],
                             "measures": "督促供应商整改，8月底前复验", **BEHIND}),
        ("项目完成时间", "70%", {"history": [("2023-03-31", "30%"), ("2023-06-30", "60%")],
                             "forecast": "2023-09-30", "causes": ["人员保障", "其他"],
                             "measures": "供应商增派开发人员，9月底前完成部署", **BEHIND}),
        ("软硬件设备购置和软件开发费用", "36万元", {}),
        ("监理费用", "3万元", {"note": "监理费按合同一次性支付"}),
        ("审计费用", "0万元", {}),
        ("提升办公质效和管理水平", "部分达成", {"causes": ["其他"], "measures": "平台上线后开展使用培训"}),
        ("系统使用人员满意度", "93%", {"measures": "收集使用意见，优化操作流程"}),
    ]),
    "重点项目工作经费": ("li.na", [("2023-03-31", 31.0), ("2023-06-30", 104.5), ("2023-07-31", 123.4)], [
        ("组织开展业务培训", "4类", {"corrects": "5类"}),
        ("市级部门网站数字安全证书发放", "38个", {}),
        ("聘请法律顾问承办法律业务", "4类", {}),
        ("深化文明单位创建、组织集体参观、开展双联慰问等工作。", "2项",
         {"forecast": "5项", "causes": ["人员保障"], "measures": "8月组织集体参观和双联慰问", **BEHIND}),
        ("聘请第三方审计单位", "1个", {}),
        ("服务保障离退休老同志人数", "155人", {}),
        ("服务保障援甘、驻村干部人数", "4人", {}),
        ("开展应急性、临时性等重点工作任务", "3项", {"note": "承担3项临时性重点任务，目标值偏低"}),
        ("培训人员达标率", "97%", {}),
        ("市级部门网站数字安全证书发放完成率", "100%", {}),
        ("聘请法律顾问承办法律业务工作完成率", "100%", {}),
        ("深化文明单位创建、组织集体参观、开展双联慰问等工作完成率", "100%", {}),
        ("聘请第三方审计工作完成率", "100%", {}),
        ("服务保障离退休老同志工作完成率", "96%", {}),
        ("服务保障援甘、驻村干部工作完成率", "100%", {}),
        ("开展应急性、临时性等重点工作任务完成率", "100%", {}),
        ("完成业务培训及时性", "达成", {}),
        ("市级部门网站数字安全证书发放及时性", "达成", {}),
        ("聘请法律顾问出具法律意见及时性", "达成", {}),
        ("深化文明单位创建、组织集体参观、开展双联慰问工作及时性", "达成", {}),
        ("出具审计报告及时性", "部分达成", {"causes": ["其他"], "measures": "督促审计单位8月出具报告"}),
        ("服务保障离退休老同志工作及时性", "达成", {}),
        ("服务保障援甘、驻村干部工作及时性", "达成", {}),
        ("开展应急性、临时性等重点工作任务及时性", "达成", {}),
        ("组织开展业务培训", "5.2万元", {}),
        ("市级部门网站数字安全证书发放", "14.8万元", {"note": "证书年费已一次性支付"}),
        ("聘请法律顾问承办法律业务", "7.5万元", {}),
        ("深化文明单位创建、组织集体参观、开展双联慰问等工作。", "6.1万元", {}),
        ("聘请第三方审计单位", "2.5万元", {}),
        ("服务保障离退休老同志活动经费", "18.4万元", {}),
        ("援甘、驻村干部保障经费", "12.6万元", {}),
        ("开展应急性、临时性等重点工作任务", "56.3万元",
         {"forecast": "70万元", "likelihood": "完全不可能", "causes": ["经费保障"],
          "measures": "申请追加预算，压减其他支出"}),
        ("推动落实党中央、国务院决策部署和市委、市政府重点工作任务", "达成", {}),
        ("市政府办公厅重点工作任务提质增效", "达成", {}),
        ("服务人员满意度", "96%", {}),
        ("市政府办公厅工作人员满意度", "95%", {}),
    ]),
    "综合服务中心工作经费": ("wang.fang", [("2023-03-31", 4.1), ("2023-06-30", 11.9), ("2023-07-31", 15.0)], [
        ("印制数量", "126000份", {"history": [("2023-03-31", "46000份"), ("2023-06-30", "98000份")],
                              "note": "上半年会议材料印制量大"}),
        ("收发数量", "131200份", {"history": [("2023-03-31", "68000份"), ("2023-06-30", "112000份")],
                              "forecast": "280000份", "causes": ["其他"],
                              "measures": "下半年机要文件集中收发，加强统计", **BEHIND}),
        ("合格率", "99.6%", {}),
        ("准确率", "100%", {}),
        ("收发周期", "达成", {}),
        ("印制周期", "1.5天", {}),
        ("办公耗材", "5.8万元", {}),
        ("设备维护", "4.2万元", {}),
        ("设备购置", "5万元", {}),
        ("完成工作任务", "达成", {}),
        ("做好综合服务工作", "达成", {}),
        ("满意度", "97%", {}),
    ]),
    "市政府驻京办招待所维修维保项目": ("liu.yang", [("2023-03-31", 0.0), ("2023-06-30", 20.0), ("2023-07-31", 32.0)], [
        ("完成维修维保项目", "0项", {"forecast": "2项", "causes": ["制度保障"],
                              "measures": "施工招标已完成，8月进场施工", **BEHIND}),
        ("工程质量符合验收标准", "达成", {"note": "设计方案经评审符合国家及行业标准"}),
        ("项目完成时间", "40%", {"history": [("2023-06-30", "25%")], "forecast": "2023-12-20",
                             "measures": "倒排工期，每周调度", **BEHIND}),
        ("控制项目成本", "32万元", {}),
        ("保障市政府驻京办招待所正常运转运行", "达成", {}),
        ("实现国有资产保值", "部分达成", {"causes": ["经费保障"], "measures": "维保完成后建立资产台账"}),
        ("服务对象满意度", "96%", {}),
    ]),
    "政务信息发布中心工作经费": ("chen.jing", [("2023-03-31", 3.6), ("2023-06-30", 9.8), ("2023-07-31", 11.2)], [
        ("政务访谈年度制作", "7期", {}),
        ("天津新闻视频年度制作", "212个", {}),
        ("政府公报年度印制发行", "14期", {"history": [("2023-03-31", "6期"), ("2023-06-30", "12期")]}),
        ("政民零距离平台维护", "1个", {}),
        ("政务访谈每期时长", "28分钟", {}),
        ("天津新闻视频每段时长", "19秒", {"measures": "加强选题策划，丰富视频内容"}),
        ("政府公报印刷合格率", "100%", {}),
        ("政民零距离平台分拨率", "97.5%", {}),
        ("及时发布政务访谈", "达成", {}),
        ("及时发布天津新闻视频", "达成", {}),
        ("及时编发政府公报", "达成", {}),
        ("及时维护政民零距离平台", "达成", {}),
        ("网站、平台运维费用", "5万元", {}),
        ("印制发行政府公报", "6.2万元", {}),
        ("落实党中央、国务院决策部署和市委、市政府重点工作任务", "达成", {}),
        ("政务公开工作提质增效", "达成", {}),
        ("社会公众满意度", "93%", {"as_of": "2023-08-15", "note": "满意度调查8月中旬结束"}),
    ]),
}


def build_tables() -> dict:
    """The seed tables as ``jixiao import`` stores them, as one JSON-ready document."""
    plan = plan_import(read_tables(SEED), Dataset(Settings(YEAR, AS_OF)), year=YEAR)
    return {
        "about": "The 2023 project target tables (项目支出绩效目标表) of four Tianjin budget units, "
                 "as imported from tianjin_2023_targets.txt by sample_data/build.py.",
        "year": YEAR,
        "units": [u.to_dict() for u in plan.units],
        "projects": [p.to_dict() for p in plan.projects],
        "indicators": [i.to_dict() for i in plan.indicators],
    }


def build_progress(tables: dict) -> dict:
    """The illustrative progress and spending for every indicator and project of ``tables``."""
    by_name = {p["name"]: p for p in tables["projects"]}
    progress: list[dict] = []
    spending: list[dict] = []
    if set(PROGRESS) != set(by_name):
        raise SystemExit(f"progress table and seed disagree on projects: {set(PROGRESS) ^ set(by_name)}")
    for project in tables["projects"]:
        owner, spend_rounds, rows = PROGRESS[project["name"]]
        indicators = [i for i in tables["indicators"] if i["project_id"] == project["id"]]
        if [r[0] for r in rows] != [i["name"] for i in indicators]:
            raise SystemExit(f"progress rows of {project['name']} do not match its indicators")
        for ind, (_, actual, extras) in zip(indicators, rows):
            progress.extend(_entries(ind["id"], owner, actual, extras))
        for as_of, spent in spend_rounds:
            entry = SpendingEntry(id="S" + stable_id(project["id"], as_of, length=9), project_id=project["id"],
                                  as_of=as_of, spent=spent, author=owner, recorded_at=RECORDED[as_of])
            spending.append(entry.to_dict())
    return {"about": ILLUSTRATIVE, "settings": Settings(YEAR, AS_OF).to_dict(),
            "progress": progress, "spending": spending}


def _entries(indicator_id: str, owner: str, actual: str, extras: dict) -> list[dict]:
    out = []
    for as_of, value in extras.get("history", ()):
        out.append(_entry(indicator_id, owner, as_of, value, RECORDED[as_of]))
    as_of = extras.get("as_of", AS_OF)
    details = {k: extras[k] for k in ("forecast", "likelihood", "measures", "note") if k in extras}
    if "causes" in extras:
        details["causes"] = tuple(extras["causes"])
    if "corrects" in extras:
        out.append(_entry(indicator_id, owner, as_of, extras["corrects"], RECORDED[as_of]))
        details["note"] = f"更正：原报{extras['corrects']}有重复计算"
        out.append(_entry(indicator_id, owner, as_of, actual, CORRECTED_AT, **details))
    else:
        out.append(_entry(indicator_id, owner, as_of, actual, RECORDED[as_of], **details))
    return out


def _entry(indicator_id: str, owner: str, as_of: str, actual: str, recorded_at: str, **details) -> dict:
    entry = ProgressEntry(id="E" + stable_id(indicator_id, as_of, recorded_at, length=9),
                          indicator_id=indicator_id, as_of=as_of, actual=actual, author=owner,
                          recorded_at=recorded_at, **details)
    return entry.to_dict()


def render(document: dict) -> str:
    """The committed JSON text: readable, UTF-8, stable key order, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the two JSON files, or with ``--check`` report whether they are up to date."""
    argv = sys.argv[1:] if argv is None else argv
    tables = build_tables()
    outputs = {TABLES_JSON: render(tables), PROGRESS_JSON: render(build_progress(tables))}
    if "--check" in argv:
        stale = [p.name for p, text in outputs.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            print("out of date: " + ", ".join(stale) + " — run python -m sample_data.build")
            return 1
        print("sample data is up to date")
        return 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
