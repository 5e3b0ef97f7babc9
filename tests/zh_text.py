"""Original CSR-style Chinese text about fictional financial companies.

Shared by the performance tests and `benchmarks/`: deterministic pages of
report text (headings, paragraphs, flattened table rows, a GRI index line,
running header and footer) built from templates written for this project.
Every company, figure and event here is invented.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

COMPANIES = (
    ("澄岳消费金融股份有限公司", "澄岳消金"),
    ("嘉禾数字科技有限公司", "嘉禾数科"),
    ("景川农村商业银行股份有限公司", "景川农商行"),
    ("青屿证券股份有限公司", "青屿证券"),
    ("鸿渐财产保险股份有限公司", "鸿渐财险"),
    ("松溪金融租赁有限公司", "松溪金租"),
    ("明湖小额贷款有限公司", "明湖小贷"),
    ("远帆基金管理有限公司", "远帆基金"),
)

HEADINGS = (
    "一、关于我们", "二、公司治理", "三、数据安全与隐私保护", "四、消费者权益保护",
    "五、投诉处理", "六、反欺诈与打击黑灰产", "七、绿色金融", "八、普惠金融",
    "九、员工发展", "十、社区公益", "十一、风险管理", "十二、廉洁从业",
)

# One template per topic group; {co} short name, {y} report year, {a}..{d} figures.
PARAGRAPHS = (
    # 0 overview
    "{co}成立于{y0}年，总部位于江南某市，主要为年轻客群和小微经营者提供消费信贷、分期付款与"
    "财富管理服务。截至{y}年末，公司累计服务客户{a}万人，资产总额{b}亿元，员工总数{c}人，"
    "业务覆盖全国{d}个省级行政区。我们坚持“稳健、透明、向善”的经营理念，把社会责任融入战略与日常运营。",
    "本报告是{co}发布的第{d}份社会责任报告，报告期为{y}年1月1日至{y}年12月31日，部分内容追溯至以前年度。"
    "报告参照全球报告倡议组织可持续发展报告标准编制，所引用的财务数据均来自经审计的年度财务报表。",
    # 1 governance
    "公司董事会下设战略与可持续发展委员会，由{c}名董事组成，每季度听取环境、社会及治理工作汇报。"
    "管理层设立可持续发展办公室，负责统筹各部门的议题管理、信息披露与利益相关方沟通。",
    "报告期内，董事会共召开会议{d}次，审议通过议案{a}项，其中涉及消费者权益保护与数据治理的议案{c}项。"
    "独立董事对关联交易、利润分配等重大事项发表独立意见，监事会对董事及高级管理人员的履职情况开展评价。",
    # 2 data security
    "公司制定《数据安全管理办法》和《个人信息保护制度》，成立由总经理任组长的数据安全领导小组，"
    "明确各业务条线的数据安全责任人。我们按照数据分类分级要求，对客户身份信息、交易信息实行加密存储与加密传输。",
    "{y}年，公司开展渗透测试{d}次，修复中高危漏洞{a}个，部署数据防泄漏系统并建设异地灾备中心。"
    "报告期内公司未发生重大数据泄露事件，核心系统通过网络安全等级保护三级测评。",
    "我们遵循最小必要原则收集个人信息，在隐私政策中逐项说明收集目的、方式与范围，"
    "在获取客户敏感个人信息前取得其单独同意。客户可通过手机应用在线申请注销账户、撤回同意或更正个人信息，"
    "公司在{c}个工作日内完成办理。",
    "全年组织数据安全培训{d}场，覆盖员工{a}人次；开展网络安全应急演练{c}次，"
    "持续提升员工的信息安全意识。公司信息安全管理体系通过ISO 27001认证复审。",
    # 3 consumer protection
    "公司将消费者权益保护纳入公司治理，设立消费者权益保护委员会，建立产品和服务审查机制，"
    "对新产品的定价、合同条款和营销宣传材料开展事前审查，全年审查事项{a}项。",
    "我们坚持费率透明，在借款合同和还款计划中以年化利率方式展示综合融资成本，"
    "不捆绑销售保险等附加产品。针对老年客户推出大字版和语音导航服务，累计服务老年客户{b}万人次。",
    # 4 complaints
    "{y}年公司共受理客户投诉{a}件，同比下降{c}%，投诉按时办结率{d}%。"
    "我们建立投诉分级处理机制，一般投诉在{c}个工作日内办结，重大投诉由专项小组跟进并向管理层报告。",
    "公司设立客户服务热线与在线客服，全年接听来电{b}万通，客户满意度达到{d}%。"
    "我们定期分析投诉热点，针对催收沟通、提前还款等问题优化流程，从源头减少矛盾纠纷。",
    # 5 anti-fraud
    "面对电信网络诈骗和“反催收”等黑灰产活动，公司搭建智能反欺诈平台，"
    "全年识别并拦截可疑交易{a}笔，涉及金额{c}亿元，协助公安机关破获相关案件{d}起。",
    "我们联合行业协会开展金融知识宣传进社区、进校园、进企业活动{d}场，"
    "发放宣传资料{a}份，提醒公众警惕非法代理维权和“征信修复”等骗局。",
    # 6 green finance
    "公司制定绿色金融发展规划，对节能环保、清洁能源等领域的小微企业给予利率优惠。"
    "截至{y}年末，绿色信贷余额{c}亿元，较上年增长{d}%。",
    "我们持续推进绿色运营，推广无纸化办公和电子合同，全年减少纸张使用约{a}万张，"
    "办公用电量{b}万千瓦时；计划到{y2}年实现运营层面碳中和。",
    # 7 inclusive finance
    "公司围绕乡村振兴与普惠金融，为县域个体工商户提供线上小额经营贷款，"
    "全年发放普惠贷款{a}万笔，平均单笔金额{c}万元，户均融资成本同比下降{d}个百分点。",
    # 8 employees
    "我们尊重员工多元背景，女性员工占比{d}%，管理层中女性占比{c}%。"
    "公司全年投入培训经费{b}万元，人均培训时长{a}小时，并为员工提供补充医疗保险与年度体检。",
    "公司建立公平透明的薪酬与晋升机制，员工劳动合同签订率100%，全年开展员工满意度调查，"
    "有效问卷{a}份，员工敬业度得分{d}分。",
    # 9 community
    "公司设立公益基金，全年对外捐赠{c}百万元，组织员工志愿服务{d}次，累计服务时长{a}小时，"
    "重点支持山区儿童阅读与乡村教师培训项目。",
    # 10 risk
    "公司建立全面风险管理体系，覆盖信用风险、操作风险、流动性风险与声誉风险。"
    "报告期末不良贷款率{c}%，拨备覆盖率{a}%，资本充足率保持在监管要求以上。",
    # 11 integrity
    "我们坚持廉洁从业，全年开展反腐败与反洗钱培训{d}场，覆盖全体员工及主要合作机构，"
    "并与{a}家供应商签署廉洁合作协议。报告期内未发生员工贪污受贿等违法案件。",
)

TABLE_ROWS = (
    "指标 单位 {y1}年 {y}年",
    "客户投诉受理量 件 {a} {b}",
    "数据安全培训 场次 {c} {d}",
    "绿色信贷余额 亿元 {c}.{d} {a}.{c}",
    "志愿服务时长 小时 {b} {a}",
)

INDEX_LINE = "GRI 418-1 客户隐私 第{d}页；GRI 2-9 治理架构 第{c}页"


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of page content: heading, paragraph, table row or index line."""

    kind: str
    text: str


def fill(template: str, rng: random.Random, short: str, year: int) -> str:
    """Fill a template with the company's short name, the year and figures."""
    return template.format(co=short, y=year, y0=year - rng.randint(5, 15), y1=year - 1,
                           y2=year + rng.randint(3, 8), a=rng.randint(12, 9800),
                           b=rng.randint(100, 99000), c=rng.randint(2, 60),
                           d=rng.randint(3, 99))


def page_blocks(rng: random.Random, short: str, year: int, number: int,
                min_chars: int = 1150) -> list[Block]:
    """Body content of one page (by default about 1,200–1,600 Chinese characters)."""
    blocks = [Block("heading", HEADINGS[number % len(HEADINGS)])]
    size = 0
    while size < min_chars:
        roll = rng.random()
        if roll < 0.08:
            rows = [fill(r, rng, short, year) for r in TABLE_ROWS[: rng.randint(3, 5)]]
            blocks += [Block("row", r) for r in rows]
            size += sum(len(r) for r in rows)
        elif roll < 0.11:
            blocks.append(Block("row", fill(INDEX_LINE, rng, short, year)))
            size += 30
        else:
            text = fill(rng.choice(PARAGRAPHS), rng, short, year)
            blocks.append(Block("para", text))
            size += len(text)
    return blocks


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """What one generated report looks like."""

    company: str
    short: str
    year: int
    pages: int
    seed: int
    min_chars: int = 1150  # body characters per page, at least

    @property
    def header(self) -> str:
        return f"{self.company} {self.year}年社会责任报告"


def report_pages(spec: ReportSpec) -> Iterator[list[Block]]:
    """The body blocks of every page of a report, deterministic for the spec."""
    rng = random.Random(spec.seed)
    for number in range(1, spec.pages + 1):
        yield page_blocks(rng, spec.short, spec.year, number, spec.min_chars)


def wrap(text: str, width: int) -> list[str]:
    """Hard-wrap text at `width` characters, as PDF extraction returns it."""
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def page_text(spec: ReportSpec, number: int, blocks: list[Block], width: int = 44) -> str:
    """One page as extracted text: header, wrapped body, footer."""
    lines = [spec.header, ""]
    for block in blocks:
        lines += wrap(block.text, width) if block.kind == "para" else [block.text]
        if block.kind != "row":
            lines.append("")
    lines += [f"— {number} —"]
    return "\n".join(lines)


def report_text_pages(spec: ReportSpec, width: int = 44) -> list[str]:
    """Every page of a report as extracted text."""
    return [page_text(spec, i, blocks, width)
            for i, blocks in enumerate(report_pages(spec), start=1)]


def report_markdown(spec: ReportSpec) -> str:
    """The whole report as Markdown (headings, paragraphs, table rows)."""
    out = [f"# {spec.header}", ""]
    for blocks in report_pages(spec):
        for block in blocks:
            if block.kind == "heading":
                out += [f"## {block.text}", ""]
            elif block.kind == "row":
                out += [f"| {' | '.join(block.text.split())} |"]
            else:
                out += [block.text, ""]
    return "\n".join(out) + "\n"


EXTRA_LINES = (
    "2024年，公司App月活跃用户达到1,280万，同比增长12.5%。",
    "我們設立資訊安全委員會，由總經理擔任主任委員。",
    "客户可拨打400-800-1234或登录www.example.cn提交意见。",
    "本行通过ISO/IEC 27001和PCI DSS认证，年内无重大安全事件。",
    "（一）健全数据治理架构；（二）完善个人信息保护制度。",
    "“十四五”期间，公司计划新增绿色信贷50亿元。",
    "截至2025年6月30日，累计发放贷款3.2万笔，金额合计约7.6亿元人民币。",
    "公司于2023年加入联合国全球契约组织（UNGC）。",
    "不良率1.35%、拨备覆盖率215.6%，均优于行业平均水平。",
    "员工志愿者走进云岭山区，为孩子们送去图书2000余册。",
    "中国银行业协会发布的指引要求金融机构加强消费者教育。",
    "研究生学历员工占比为23%，本科及以上学历员工占比为91%。",
    "公司通过“线上+线下”双渠道受理投诉，平均处理时长为2.3天。",
    "结婚的和尚未结婚的员工均可申请弹性工作制。",
    "南京市长江大桥附近的营业网点已完成适老化改造。",
    "支付系统通过PCI-DSS合规评估，接口版本升级至v2.1。",
)


def parity_lines(count: int = 300) -> list[str]:
    """Varied sentences for tokenizer comparisons: templates split at 。, plus extras."""
    rng = random.Random(20251121)
    seen: dict[str, None] = dict.fromkeys(EXTRA_LINES)
    while len(seen) < count:
        company, short = rng.choice(COMPANIES)
        text = fill(rng.choice(PARAGRAPHS + TABLE_ROWS), rng, rng.choice((short, company)),
                    rng.randint(2019, 2026))
        for piece in text.split("。"):
            if piece.strip():
                seen[piece.strip() + "。"] = None
    return list(seen)[:count]
