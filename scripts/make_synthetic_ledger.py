"""Generate a realistic synthetic ledger for benchmarks (合成账本).

    python scripts/make_synthetic_ledger.py OUT_DIR --people 1000 --months 24 [--seed 1]
                                            [--with-git]

OUT_DIR receives, in the format of docs/ledger-format.md:

- ``org.yaml`` (the company) and ``org/<unit>.yaml`` (each unit and its people; with
  ``--single-org`` all of it in ``org.yaml``, the old shape): a company root ``hq`` with
  ``hr`` and the customer-service department ``cs``; ``cs`` holds units ``cs-01``, ``cs-02``,
  … of 8–15 agents (客服专员), each with a manager (客服主管) who assesses its agents; the
  department manager reviews them.
- ``periods.yaml``: months from 2025-01, window the 26th of the previous month to the 25th,
  due the 5th of the next month at 17:30, all closed but the last two.
- ``schemes/cs-agent.yaml``: document 4, 客服部客服绩效考核表 (banded KPIs weighted
  35/20/10/5/5, work 10, attitude 5, attendance 10 by deductions, a bonus point per five
  suggestions, money 750 × total / 100, its three cross-period rules).
- ``<period>/<unit>/<person>.yaml``: one ``superior`` record per agent per month (~1 KB).

``--people`` counts the agents (the assessees); managers, the department manager, HR and the
general manager come on top. Output is deterministic for a given ``--seed``: one
``random.Random(seed)`` drives everything, in a fixed order. Files are written from string
templates (no YAML emitter) so that 24,000 records take a few seconds; free text is
double-quoted with ``json.dumps(ensure_ascii=False)``, which is valid YAML.

``--with-git`` makes OUT_DIR a git repository: one commit for the org chart, calendar and
scheme, then one commit per month holding that month's records, dated the 3rd of the next
month at 10:00 (+08:00) through GIT_AUTHOR_DATE / GIT_COMMITTER_DATE.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SCHEMA_HINT = "# yaml-language-server: $schema={rel}schemas/{kind}.schema.json\n"
SCHEME_ID = "cs-agent"
FIRST_YEAR, FIRST_MONTH = 2025, 1
AGENT_TITLE = "客服专员"


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Split ``"王:wang 李:li"`` into ``(("王", "wang"), ("李", "li"))``."""
    return tuple((word.split(":")[0], word.split(":")[1]) for word in text.split())


# Common surnames and given-name characters, with pinyin for e-mail addresses and name_en.
SURNAMES = _pairs(
    "王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou "
    "徐:xu 孙:sun 马:ma 朱:zhu 胡:hu 郭:guo 何:he 高:gao 林:lin 罗:luo 郑:zheng "
    "梁:liang 谢:xie 宋:song 唐:tang 许:xu 韩:han 冯:feng 邓:deng 曹:cao 彭:peng "
    "曾:zeng 肖:xiao 田:tian 董:dong 袁:yuan 潘:pan 于:yu 蒋:jiang 蔡:cai 余:yu "
    "杜:du 叶:ye 程:cheng 苏:su 魏:wei 吕:lv 丁:ding 任:ren 沈:shen 姚:yao 卢:lu "
    "姜:jiang 崔:cui 钟:zhong 谭:tan 陆:lu 汪:wang 范:fan 金:jin 石:shi 廖:liao "
    "贾:jia 夏:xia 韦:wei 付:fu 方:fang 白:bai 邹:zou 孟:meng 熊:xiong 秦:qin "
    "邱:qiu 江:jiang 尹:yin 薛:xue 闫:yan 段:duan 雷:lei 侯:hou 龙:long 史:shi "
    "陶:tao 黎:li 贺:he 顾:gu 毛:mao 郝:hao 龚:gong 邵:shao 万:wan 钱:qian "
    "严:yan 覃:qin 武:wu 戴:dai 莫:mo 孔:kong 向:xiang 汤:tang 欧阳:ouyang 司马:sima"
)
GIVEN = _pairs(
    "伟:wei 芳:fang 娜:na 敏:min 静:jing 丽:li 强:qiang 磊:lei 军:jun 洋:yang "
    "勇:yong 艳:yan 杰:jie 娟:juan 涛:tao 明:ming 超:chao 秀:xiu 霞:xia 平:ping "
    "刚:gang 桂:gui 英:ying 华:hua 玉:yu 兰:lan 萍:ping 红:hong 建:jian 文:wen "
    "辉:hui 鹏:peng 宇:yu 浩:hao 婷:ting 雪:xue 琳:lin 晨:chen 欣:xin 怡:yi "
    "佳:jia 思:si 梦:meng 雨:yu 嘉:jia 子:zi 涵:han 轩:xuan 博:bo 悦:yue "
    "晓:xiao 燕:yan 倩:qian 慧:hui 颖:ying 凯:kai 健:jian 亮:liang 斌:bin 彬:bin "
    "俊:jun 峰:feng 鑫:xin 帆:fan 航:hang 瑶:yao 璐:lu 露:lu 莉:li 蕾:lei "
    "欢:huan 阳:yang 坤:kun 宁:ning 翔:xiang 昊:hao 然:ran 诗:shi 琪:qi 薇:wei "
    "蓉:rong 荣:rong 春:chun 秋:qiu 冬:dong 梅:mei 丹:dan 青:qing 云:yun 月:yue "
    "新:xin 志:zhi 国:guo 海:hai 东:dong 林:lin 楠:nan 瑞:rui 彤:tong 心:xin "
    "语:yu 泽:ze 一:yi 诺:nuo 铭:ming 晗:han 逸:yi 可:ke 安:an 清:qing"
)
CN_DIGITS = "零一二三四五六七八九"

LATE_EXCUSES = (
    "地铁故障",
    "早高峰交通拥堵",
    "家中有急事，已提前告知主管",
    "未说明原因",
    "闹钟未响起晚，已作书面检讨",
    "暴雨天气公交停运",
    "送孩子就医",
    "打卡机故障未及时补卡，按迟到处理",
)
EARLY_REASONS = (
    "身体不适提前离岗，未走请假流程",
    "家中有事，口头告知组长",
    "赶火车提前离开",
    "未交接完工作即离岗",
    "接孩子放学",
)
LEAVE_REASONS = (
    ("病假", "发烧就诊，已补交医院证明"),
    ("病假", "肠胃炎休息"),
    ("事假", "回老家办理证件"),
    ("事假", "家人住院陪护"),
    ("事假", "搬家"),
    ("病假", "牙科手术后休养"),
    ("事假", "参加亲属婚礼"),
)
COMMENT_GOOD = (
    "本月询单转化率保持在团队前列，接待耐心细致。",
    "大促期间主动加班，接待量明显高于组内平均水平。",
    "对商品描述不符的问题反馈及时，帮助运营修改了详情页。",
    "客单价落实情况良好，关联推荐话术运用熟练。",
    "多次获得客户好评，服务态度值得组内学习。",
    "每周工作汇报按时提交，内容条理清晰。",
    "积极整理常见问题话术，分享给新同事使用。",
)
COMMENT_MID = (
    "整体表现平稳，各项指标基本达标。",
    "支付率仍有提升空间，需加强对未付款订单的催付。",
    "响应速度在高峰时段偏慢，建议熟练使用快捷短语。",
    "工作汇报偶有延迟，请按周五下班前提交。",
    "对新品知识掌握不够扎实，下月安排专项培训。",
    "与仓储部门沟通顺畅，售后问题跟进到位。",
)
COMMENT_POOR = (
    "本月转化率明显偏低，需与主管一起复盘聊天记录。",
    "旺旺响应时间超标，多次出现客户等待超过一分钟的情况。",
    "考勤问题较多，请严格遵守排班制度。",
    "工作态度有待改进，与其他部门配合不够主动。",
    "已进行绩效面谈，制定了下月改进计划。",
    "退款率偏高，部分退款原因是答复不准确，需加强产品培训。",
)
CLOSINGS = (
    "",
    "",
    "继续保持。",
    "望下月再接再厉。",
    "请于下月初提交改进计划。",
    "已与本人沟通确认。",
)
NOTE_CONVERSION = (
    "本月有三天参加新品培训，询单量较少",
    "大促期间询单量激增，转化率有所波动",
    "询单人数以生意参谋导出数据为准",
    "部分询单为售后咨询，已按规定剔除",
)
NOTE_PAYMENT = (
    "未付款订单催付不及时，已要求当天跟进",
    "支付率按支付宝付款笔数除以拍下笔数计算",
    "月底活动拍下未付款订单较多",
)
NOTE_RESPONSE = (
    "平均响应时间取自旺旺后台月度报表",
    "夜班时段咨询集中，响应时间偏长",
    "本月更换了新版快捷短语，响应速度明显提升",
    "高峰期同时接待人数过多，部分客户等待超过一分钟",
)
NOTE_WORK = (
    "第二周周报延迟两天提交",
    "整理了本月商品问题清单共十二条，已反馈主管",
    "协助组长完成新人带教",
    "月度表单整理完整",
)
NOTE_SUGGESTIONS = (
    "提交的经验中有两条被采纳为标准话术",
    "本月经验条数未达到每月两条的要求",
    "经验总结质量较高，已在周会上分享",
)


@dataclass
class Person:
    id: str
    name: str
    name_en: str
    unit: str
    title: str
    assessor: str | None
    reviewer: str | None
    identities: list[str]
    active_from: str | None = None
    skill: float = 0.0  # latent performance, ~N(0, 1)
    punctual: float = 0.0  # expected attendance occurrences per month


@dataclass
class Unit:
    id: str
    name: str
    parent: str | None
    assessor: str | None
    reviewers: list[str]
    manager: str | None = None
    agents: list[Person] = field(default_factory=list)


def q(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五, 105 → 一百零五."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n >= 1000:
        return str(n)
    rest = n % 100
    head = CN_DIGITS[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + CN_DIGITS[rest]
    return head + ("一" if rest < 20 else "") + cn_number(rest)


def month_id(index: int) -> tuple[int, int]:
    """The (year, month) of the index-th month from 2025-01."""
    m = FIRST_MONTH - 1 + index
    return FIRST_YEAR + m // 12, m % 12 + 1


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def prev_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


class NameMaker:
    """Chinese names with unique e-mail handles."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.handles: set[str] = set()

    def make(self) -> tuple[str, str, str]:
        rng = self.rng
        sname, spy = SURNAMES[rng.randrange(len(SURNAMES))]
        chars = [GIVEN[rng.randrange(len(GIVEN))] for _ in range(1 if rng.random() < 0.3 else 2)]
        name = sname + "".join(c for c, _ in chars)
        given_py = "".join(p for _, p in chars)
        name_en = f"{spy.capitalize()} {given_py.capitalize()}"
        handle = spy + given_py
        n = 1
        while handle in self.handles:
            n += 1
            handle = f"{spy}{given_py}{n}"
        self.handles.add(handle)
        return name, name_en, handle


def unit_sizes(rng: random.Random, people: int) -> list[int]:
    """Split the agents into units of 8–15 (one smaller unit only if people < 8)."""
    sizes: list[int] = []
    rest = people
    while rest > 0:
        if rest <= 15:
            sizes.append(rest)
            break
        size = rng.randint(8, min(15, rest - 8))
        sizes.append(size)
        rest -= size
    return sizes


def build_org(rng: random.Random, people: int) -> tuple[list[Unit], list[Person]]:
    names = NameMaker(rng)
    domain = "kefu-example.cn"

    def person(pid: str, unit: str, title: str, assessor: str | None,
               reviewer: str | None) -> Person:
        name, name_en, handle = names.make()
        identities = [f"{handle}@{domain}"]
        if rng.random() < 0.35:
            identities.append(f"github:{handle}-{pid[-3:]}")
        hired = date(2018, 1, 1) + timedelta(days=rng.randrange(365 * 7 - 10))
        return Person(pid, name, name_en, unit, title, assessor, reviewer, identities,
                      hired.isoformat())

    gm = person("E00003", "hq", "总经理", None, None)
    hr = person("E00001", "hr", "绩效专员", gm.id, gm.id)
    director = person("E00002", "cs", "客服部经理", gm.id, hr.id)
    units = [
        Unit("hq", "总经办", None, None, [hr.id]),
        Unit("hr", "人力资源部", "hq", gm.id, [gm.id]),
        Unit("cs", "客服部", "hq", gm.id, [hr.id]),
    ]
    staff = [gm, hr, director]
    agent_no = 10001
    for k, size in enumerate(unit_sizes(rng, people), start=1):
        uid = f"cs-{k:02d}"
        manager = person(f"E{100 + k:05d}", uid, "客服主管", director.id, hr.id)
        unit = Unit(uid, f"客服{cn_number(k)}组", "cs", director.id, [director.id], manager.id)
        staff.append(manager)
        for _ in range(size):
            agent = person(f"E{agent_no:05d}", uid, AGENT_TITLE, manager.id, director.id)
            agent_no += 1
            agent.skill = rng.gauss(0.0, 1.0) if rng.random() > 0.02 else rng.uniform(-5.0, -3.5)
            agent.punctual = rng.choice((0.2, 0.5, 0.8, 1.2, 2.5))
            unit.agents.append(agent)
            staff.append(agent)
        units.append(unit)
    return units, staff


ORG_TOP = "company: 示例电商客服有限公司\nhr: [E00001]\n"


def _unit_text(u: Unit, indent: str) -> str:
    return (f"id: {u.id}\n{indent}name: {u.name}\n"
            f"{indent}parent: {u.parent or 'null'}\n{indent}assessor: {u.assessor or 'null'}\n"
            f"{indent}reviewers: [{', '.join(u.reviewers)}]\n")


def _person_text(p: Person) -> str:
    return (f"  - id: {p.id}\n    name: {p.name}\n    name_en: {p.name_en}\n"
            f"    unit: {p.unit}\n    title: {p.title}\n"
            f"    assessor: {p.assessor or 'null'}\n    reviewer: {p.reviewer or 'null'}\n"
            f"    identities: [{', '.join(q(i) for i in p.identities)}]\n"
            f"    active_from: {p.active_from}\n")


def org_yaml(units: list[Unit], staff: list[Person]) -> str:
    """The old single-file shape: every unit and person in org.yaml."""
    out = [SCHEMA_HINT.format(rel="../", kind="org"), ORG_TOP, "units:\n"]
    out += [f"  - {_unit_text(u, '    ')}" for u in units]
    out.append("people:\n")
    out += [_person_text(p) for p in staff]
    return "".join(out)


def org_files(units: list[Unit], staff: list[Person]) -> dict[str, str]:
    """The split shape: org.yaml for the company, org/<unit>.yaml for each unit and its
    people."""
    out = {"org.yaml": SCHEMA_HINT.format(rel="../", kind="org") + ORG_TOP}
    members: dict[str, list[Person]] = {}
    for p in staff:
        members.setdefault(p.unit, []).append(p)
    for u in units:
        text = [SCHEMA_HINT.format(rel="../../", kind="orgunit"), "unit:\n  ",
                _unit_text(u, "  ")]
        if members.get(u.id):
            text += ["people:\n", *(_person_text(p) for p in members[u.id])]
        out[f"org/{u.id}.yaml"] = "".join(text)
    return out


def periods_yaml(months: int) -> str:
    out = [SCHEMA_HINT.format(rel="../", kind="periods"), "timezone: Asia/Shanghai\n",
           "periods:\n"]
    for i in range(months):
        y, m = month_id(i)
        py, pm = prev_month(y, m)
        ny, nm = next_month(y, m)
        status = "open" if i >= months - 2 else "closed"
        out.append(
            f"  - id: {y}-{m:02d}\n    kind: month\n"
            f"    start: {py}-{pm:02d}-26\n    end: {y}-{m:02d}-25\n"
            f"    due: {ny}-{nm:02d}-05 17:30\n    status: {status}\n"
        )
    return "".join(out)


SCHEME_YAML = """\
id: cs-agent
title: 客服部客服绩效考核表
title_en: Customer-service agent KPI sheet
source: 文档4 客服部客服绩效考核表
period_kind: month
applies_to:
  units: [cs]
  titles: [客服专员]
  people: []
  assessee_units: []
precision: 2
assessors: {superior: 100}
missing_assessor: renormalise
params: {}
items:
  - id: conversion
    title: 询单转化率
    title_en: Inquiry conversion rate
    definition: 最终付款人数/询单人数
    by: superior
    input: ratio
    zero_denominator: skip
    weight: 35
    bands:
      - {when: "X ≥ 75%", points: 100}
      - {when: "75% > X ≥ 65%", points: 80}
      - {when: "65% > X ≥ 50%", points: 60}
      - {when: "X < 50%", points: 0}
  - id: payment
    title: 支付率
    title_en: Payment rate
    definition: 支付宝付款笔数/拍下笔数
    by: superior
    input: percent
    weight: 20
    bands:
      - {when: "F ≥ 92%", points: 100}
      - {when: "85% ≤ F < 92%", points: 80}
      - {when: "72% ≤ F < 85%", points: 60}
      - {when: "F < 72%", points: 0}
  - id: unit_price
    title: 落实客单价
    title_en: Average order value achieved
    definition: 客服落实客单价/店铺客单价
    by: superior
    input: number
    weight: 10
    bands:
      - {when: "Y ≥ 1.12", points: 100}
      - {when: "1.12 > Y ≥ 1.08", points: 80}
      - {when: "1.08 > Y ≥ 1.06", points: 60}
      - {when: "Y < 1.06", points: 0}
  - id: reply_rate
    title: 旺旺回复率
    title_en: Wangwang reply rate
    definition: 回复过的客户数/接待人数
    note: 原表第二档写作 800 分，按上下文应为 80 分
    by: superior
    input: ratio
    zero_denominator: skip
    weight: 5
    bands:
      - {when: "Z ≥ 99%", points: 100}
      - {when: "99% > Z ≥ 97%", points: 80}
      - {when: "97% > Z ≥ 95%", points: 60}
      - {when: "Z < 95%", points: 0}
  - id: response_time
    title: 旺旺响应率
    title_en: Wangwang response time
    definition: 平均响应时间（秒），越短越好
    by: superior
    input: number
    weight: 5
    bands:
      - {when: "T ≤ 30", points: 100}
      - {when: "30 < T ≤ 45", points: 80}
      - {when: "45 < T ≤ 55", points: 60}
      - {when: "T > 55", points: 0}
  - id: refund_rate
    title: 客户退款率
    title_en: Customer refund rate
    definition: 客户退款数/客服成交数
    note: 原表未给出评分标准与权重，仅作记录
    by: superior
    input: ratio
    zero_denominator: skip
  - id: work
    title: 工作任务
    title_en: Work tasks
    definition: >-
      月工作安排及表单整理；分析交易过程中发现的商品问题（如描述不符、邮费设置、图片等）
      反馈到客服部主管；每周以文档的形式向主管汇报工作
    by: superior
    input: points
    direct: true
    max: 10
  - id: suggestions
    title: 客户关系管理
    title_en: Customer-relationship suggestions
    definition: 整理和分析在客户关系处理中的问题和改善方法，提出有效意见反馈到客服主管
    note: 每累计提5条经验加一分，每月不少于两条经验
    by: superior
    input: count
    bonus: {every: 5, points: 1, cap: 5}
  - id: attitude
    title: 工作态度
    title_en: Work attitude
    definition: 工作积极性：主动、积极，并很好地配合各部门工作
    by: superior
    input: points
    direct: true
    max: 5
  - id: attendance
    title: 考勤
    title_en: Attendance
    definition: 每月迟到、请假情况；迟到早退减2分/次，有效请假减1分/天
    by: superior
    input: occurrences
    deductions:
      full: 10
      per: {late: 2, early: 2, leave_day: 1}
      names: {late: 迟到, early: 早退, leave_day: 有效请假（天）}
      floor: 0
    max: 10
total: {formula: null, max: null}
grades:
  - {grade: 优秀, min: 90}
  - {grade: 良好, min: 75}
  - {grade: 合格, min: 60}
  - {grade: 待改进, min: 35}
  - {grade: 不合格, min: 0}
money:
  - id: performance_pay
    title: 绩效工资
    formula: 750 * total / 100
    min: 0
    max: 750
ranking: {group: unit}
rules:
  - id: below-35-twice
    title: 连续两次分数低于35分，淘汰
    when: {total_below: 35}
    consecutive: 2
    outcome: eliminated
    missing: breaks
  - id: last-three-times
    title: 连续三次分数倒数第一，淘汰
    when: {last_place: true}
    consecutive: 3
    outcome: eliminated
    missing: breaks
  - id: first-three-times
    title: 连续三次分数名列第一，额外奖金
    when: {first_place: true}
    consecutive: 3
    outcome: bonus
    missing: breaks
"""


def clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def window_dates(y: int, m: int) -> list[date]:
    """Working days (Mon–Sat) of the window 26th of the previous month … 25th."""
    py, pm = prev_month(y, m)
    d, end = date(py, pm, 26), date(y, m, 25)
    days = []
    while d <= end:
        if d.weekday() != 6:
            days.append(d)
        d += timedelta(days=1)
    return days


def occurrences(rng: random.Random, agent: Person, y: int, m: int) -> tuple[list[str], str]:
    """The attendance occurrences of one month, as flow-mapping lines, and an optional note."""
    n = min(int(rng.expovariate(1.0 / agent.punctual)) if agent.punctual else 0, 4)
    if n == 0:
        return [], ""
    days = window_dates(y, m)
    lines = []
    for d in sorted(rng.sample(days, n)):
        md = f"{d.month}月{d.day}日"
        r = rng.random()
        count = 1
        if r < 0.55:
            kind = "late"
            minutes = rng.choice((3, 5, 8, 10, 15, 20, 30))
            reason = f"{md}早班迟到{minutes}分钟，{rng.choice(LATE_EXCUSES)}"
        elif r < 0.75:
            kind = "early"
            reason = f"{md}{rng.choice(EARLY_REASONS)}"
        else:
            kind = "leave_day"
            leave, why = rng.choice(LEAVE_REASONS)
            count = rng.choice((1, 1, 1, 2, 3))
            reason = f"{md}起请{leave}{cn_number(count)}天，{why}"
        lines.append(
            f"    - {{kind: {kind}, count: {count}, date: {d.isoformat()}, reason: {q(reason)}}}\n"
        )
    note = ""
    if len(lines) >= 3:
        note = rng.choice(("本月考勤异常较多，已口头提醒", "已按考勤制度扣分并与本人确认",
                           "多次迟到，下月起纳入重点关注"))
    elif rng.random() < 0.3:
        note = "考勤记录以打卡系统导出为准"
    return lines, note


def record_yaml(rng: random.Random, agent: Person, y: int, m: int, is_open: bool,
                last: bool) -> str:
    """One superior record of one agent and month."""
    s = agent.skill + rng.gauss(0.0, 0.7)
    # 询单转化率 ratio
    asked = rng.randint(120, 420)
    conv = clamp(0.66 + 0.07 * s, 0.2, 0.93)
    paid = round(asked * conv)
    # 支付率 percent
    pay = clamp(0.895 + 0.035 * s + rng.gauss(0, 0.01), 0.6, 1.0)
    pay_text = "100%" if pay >= 0.9995 else f"{pay * 100:.1f}%"
    # 落实客单价 number
    price = clamp(1.085 + 0.025 * s, 0.9, 1.25)
    # 旺旺回复率 ratio
    received = rng.randint(450, 2400)
    rep = clamp(0.978 + 0.012 * s, 0.85, 1.0)
    replied = min(received, round(received * rep))
    # 旺旺响应率 seconds
    resp = clamp(36.0 - 9.0 * s + rng.gauss(0, 3), 6.0, 95.0)
    # 客户退款率 ratio (over the deals closed, the conversion numerator)
    refunds = min(paid, int(rng.expovariate(1.0 / max(0.5, 4.0 - 1.5 * s))))
    work = int(clamp(round(8.3 + 1.1 * s + rng.gauss(0, 0.6)), 0, 10))
    attitude = int(clamp(round(4.2 + 0.6 * s + rng.gauss(0, 0.4)), 0, 5))
    suggestions = max(0, round(2.5 + 1.2 * s + rng.gauss(0, 1.5)))
    occ, occ_note = occurrences(rng, agent, y, m)

    lines = [
        SCHEMA_HINT.format(rel="../../../", kind="record"),
        f"period: {y}-{m:02d}\nscheme: {SCHEME_ID}\nunit: {agent.unit}\nassessee: {agent.id}\n",
        f"role: superior\nauthor: {agent.assessor}\nsource_unit: null\nitems:\n",
        f"  conversion: {{numerator: {paid}, denominator: {asked}}}\n",
        f"  payment: {pay_text}\n",
        f"  unit_price: {price:.2f}\n",
        f"  reply_rate: {{numerator: {replied}, denominator: {received}}}\n",
        f"  response_time: {resp:.1f}\n",
        f"  refund_rate: {{numerator: {refunds}, denominator: {paid}}}\n",
        f"  work: {work}\n",
        f"  suggestions: {suggestions}\n",
        f"  attitude: {attitude}\n",
    ]
    if occ:
        lines.append("  attendance:\n")
        lines.extend(occ)
    else:
        lines.append("  attendance: []\n")

    notes: list[str] = []
    if rng.random() < 0.4:
        notes.append(f"  conversion: {q(rng.choice(NOTE_CONVERSION))}\n")
    if pay < 0.85 or rng.random() < 0.2:
        notes.append(f"  payment: {q(rng.choice(NOTE_PAYMENT))}\n")
    if resp > 45 or rng.random() < 0.2:
        notes.append(f"  response_time: {q(rng.choice(NOTE_RESPONSE))}\n")
    if work < 9 or rng.random() < 0.15:
        notes.append(f"  work: {q(rng.choice(NOTE_WORK))}\n")
    if suggestions < 2 or rng.random() < 0.1:
        notes.append(f"  suggestions: {q(rng.choice(NOTE_SUGGESTIONS))}\n")
    if occ_note:
        notes.append(f"  attendance: {q(occ_note)}\n")
    if notes:
        lines.append("notes:\n")
        lines.extend(notes)

    pool = COMMENT_GOOD if s > 0.6 else COMMENT_POOR if s < -0.8 else COMMENT_MID
    k = rng.choice((2, 3, 3, 4)) if not occ else rng.choice((1, 2, 2, 3))
    comment = "".join(rng.sample(pool, k)) + rng.choice(CLOSINGS)
    lines.append(f"comment: {q(comment)}\n")

    ny, nm = next_month(y, m)
    signed = date(ny, nm, rng.choice((1, 2, 2, 3, 3, 4, 5, 6)))
    if last:  # the month just ended: signed by the assessor only so far
        lines.append(f"signatures:\n  assessor: {signed.isoformat()}\n")
    else:
        lines.append(f"signatures:\n  assessee: {signed.isoformat()}\n"
                     f"  assessor: {signed.isoformat()}\n")
        if not is_open:
            reviewed = signed + timedelta(days=rng.choice((0, 1, 1, 2)))
            lines.append(f"  reviewer: {reviewed.isoformat()}\n")
    return "".join(lines)


def git(out: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        ["git", "-c", "user.name=kpiledger synth", "-c", "user.email=synth@kefu-example.cn",
         "-c", "commit.gpgsign=false", *args],
        cwd=out, check=True, env=env, stdout=subprocess.DEVNULL,
    )


def commit(out: Path, message: str, when: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    git(out, "add", "-A")
    git(out, "commit", "-q", "--no-verify", "-m", message, env=env)


def generate(out: Path, people: int, months: int, seed: int = 1, with_git: bool = False,
             single_org: bool = False) -> int:
    """Write the ledger into OUT (which must be empty or absent); return the number of files
    besides the org chart's."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out}: not empty; refusing to write into it")
    rng = random.Random(seed)
    units, staff = build_org(rng, people)
    out.mkdir(parents=True, exist_ok=True)
    (out / "schemes").mkdir()
    charts = {"org.yaml": org_yaml(units, staff)} if single_org else org_files(units, staff)
    if not single_org:
        (out / "org").mkdir()
    for rel, text in charts.items():
        (out / rel).write_text(text, encoding="utf-8")
    (out / "periods.yaml").write_text(periods_yaml(months), encoding="utf-8")
    (out / "schemes" / f"{SCHEME_ID}.yaml").write_text(
        SCHEMA_HINT.format(rel="../../", kind="scheme") + SCHEME_YAML, encoding="utf-8")
    files = 3  # org.yaml, periods.yaml, the scheme
    if with_git:
        git(out, "init", "-q", "-b", "main")
        commit(out, "组织架构、考核期与客服考核方案", "2024-12-20T10:00:00+08:00")
    for i in range(months):
        y, m = month_id(i)
        period = f"{y}-{m:02d}"
        is_open = i >= months - 2
        for unit in units:
            if not unit.agents:
                continue
            folder = out / period / unit.id
            folder.mkdir(parents=True)
            for agent in unit.agents:
                text = record_yaml(rng, agent, y, m, is_open, i == months - 1)
                (folder / f"{agent.id}.yaml").write_text(text, encoding="utf-8")
                files += 1
        if with_git:
            ny, nm = next_month(y, m)
            commit(out, f"{period} 客服考核记录", f"{ny}-{nm:02d}-03T10:00:00+08:00")
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("out", type=Path, help="output folder (created; must be empty)")
    ap.add_argument("--people", type=int, default=1000, help="number of agents (assessees)")
    ap.add_argument("--months", type=int, default=24, help="number of months from 2025-01")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--single-org", action="store_true",
                    help="the old shape: the whole org chart in org.yaml (kpi org split migrates)")
    ap.add_argument("--with-git", action="store_true",
                    help="make OUT a git repository with one commit per month")
    args = ap.parse_args(argv)
    if args.people < 1 or args.months < 1:
        ap.error("--people and --months must be at least 1")
    started = time.perf_counter()
    files = generate(args.out, args.people, args.months, args.seed, args.with_git,
                     args.single_org)
    size = sum(p.stat().st_size for p in args.out.rglob("*.yaml"))
    print(f"wrote {files} files, {size / 1e6:.1f} MB, in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
