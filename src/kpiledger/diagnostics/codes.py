"""The catalogue of diagnostic codes: stable code → severity and message in Chinese and English.

Codes never change meaning once published; docs/codes.md is generated from this table
(`python scripts/gen_codes_doc.py`) and a test keeps the two in step. Messages are
`str.format` templates over the diagnostic's arguments.
"""

from __future__ import annotations

from typing import NamedTuple


class Code(NamedTuple):
    severity: str  # error | warning
    zh: str
    en: str


CODES: dict[str, Code] = {
    # 1xx — the file itself: reading, encoding, YAML
    "KPI100": Code("error", "无法读取文件：{reason}", "cannot read the file: {reason}"),
    "KPI101": Code(
        "error",
        "文件过大（{size} 字节，上限 {limit} 字节）",
        "file too large ({size} bytes, the limit is {limit})",
    ),
    "KPI102": Code(
        "error",
        "文件不是 UTF-8 编码（第 {offset} 字节无法解码）",
        "the file is not UTF-8 (byte {offset} cannot be decoded)",
    ),
    "KPI103": Code("error", "YAML 语法错误：{problem_zh}", "YAML syntax error: {problem}"),
    "KPI104": Code(
        "error",
        "缩进中有制表符（Tab）；YAML 只能用空格缩进",
        "a tab in the indentation; YAML indents with spaces only",
    ),
    "KPI105": Code(
        "error",
        "重复的键“{key}”（第 {first_line} 行已出现）",
        "duplicate key '{key}' (first seen on line {first_line})",
    ),
    "KPI106": Code(
        "error",
        "不允许使用 YAML 标签 {tag}",
        "YAML tag {tag} is not allowed",
    ),
    "KPI107": Code(
        "error",
        "别名展开过多（超过 {limit} 个节点），疑似别名炸弹",
        "aliases expand to more than {limit} nodes (an alias bomb?)",
    ),
    "KPI108": Code(
        "error",
        "一个文件只能有一个 YAML 文档",
        "a file may hold only one YAML document",
    ),
    "KPI109": Code("error", "文件是空的", "the file is empty"),
    "KPI110": Code(
        "error",
        "键必须是简单的文字，不能是列表或映射",
        "a key must be plain text, not a list or a mapping",
    ),
    "KPI111": Code(
        "error",
        "不支持合并键“<<”；请直接写出各字段",
        "merge keys '<<' are not supported; write the fields out",
    ),
    "KPI112": Code(
        "error",
        "顶层必须是映射（键: 值）",
        "the top level must be a mapping (key: value)",
    ),
    "KPI113": Code(
        "error",
        "嵌套过深（超过 {limit} 层）",
        "nested too deeply (more than {limit} levels)",
    ),
    "KPI114": Code(
        "error",
        "数字 {text} 无法精确保存（读作 {read}）；请写出不超过 15 位有效数字的数",
        "the number {text} cannot be kept exactly (it would be read as {read}); write at most "
        "15 significant digits",
    ),
    "KPI120": Code(
        "error",
        "账本中不允许符号链接（指向 {target}）；请换成普通文件或文件夹",
        "symbolic links are not allowed in the ledger (this one points to {target}); use a "
        "plain file or folder",
    ),
    # 2xx — the schema
    "KPI201": Code("error", "缺少必填字段“{name}”", "missing required field '{name}'"),
    "KPI202": Code(
        "error",
        "未知字段“{name}”{hint}",
        "unknown field '{name}'{hint}",
    ),
    "KPI203": Code(
        "error",
        "类型错误：应为{expected_zh}，实际是{actual_zh}",
        "wrong type: expected {expected_en}, got {actual_en}",
    ),
    "KPI204": Code(
        "error",
        "取值“{value}”不在允许范围内：{allowed}",
        "value '{value}' is not one of: {allowed}",
    ),
    "KPI205": Code(
        "error",
        "格式不对：“{value}”应符合{what_zh}",
        "bad format: '{value}' should be {what_en}",
    ),
    "KPI206": Code(
        "error",
        "数值 {value} 超出范围（{bound_zh}）",
        "number {value} out of range ({bound_en})",
    ),
    "KPI207": Code("error", "长度不符合要求：{detail_zh}", "length not allowed: {detail_en}"),
    "KPI208": Code("error", "不符合结构定义：{detail}", "does not match the schema: {detail}"),
    "KPI209": Code(
        "error",
        "字段“{name}”不能用在这里（{why_zh}）",
        "field '{name}' is not allowed here ({why_en})",
    ),
    # 3xx — meaning: references, paths, permissions, values
    "KPI301": Code(
        "error",
        "找不到{kind_zh}“{id}”{allowed_zh}",
        "unknown {kind_en} '{id}'{allowed_en}",
    ),
    "KPI302": Code(
        "error",
        "文件位置与内容不一致：{field_zh}为“{content}”，但路径表明是“{path_value}”（应放在 {expected}）",
        "the file's place disagrees with its content: {field} is '{content}' but the path says "
        "'{path_value}' (expected at {expected})",
    ),
    "KPI303": Code(
        "error",
        "重复的考核记录：同一考核期、被考核人、方案和角色已有 {other}",
        "duplicate record: {other} already holds this period, assessee, scheme and role",
    ),
    "KPI304": Code(
        "error",
        "{author} 无权以“{role_zh}”身份考核 {assessee}；{who_zh}",
        "{author} may not assess {assessee} as '{role}'; {who_en}",
    ),
    "KPI305": Code(
        "error",
        "缺少指标“{item}”（{title}），方案 {scheme} 要求{role}填写",
        "missing item '{item}' ({title}); scheme {scheme} asks the {role} for it",
    ),
    "KPI306": Code(
        "error",
        "指标“{item}”不属于方案 {scheme} 中由{role}填写的指标{allowed_zh}",
        "item '{item}' is not one the {role} fills in under scheme {scheme}{allowed_en}",
    ),
    "KPI307": Code(
        "error",
        "指标{item_zh}的值类型不对：应为{expected_zh}",
        "item {item_en} has the wrong kind of value: expected {expected_en}",
    ),
    "KPI308": Code(
        "error",
        "指标{item_zh}的值 {value} 超出范围（{bound_zh}）",
        "item {item_en} value {value} is out of range ({bound_en})",
    ),
    "KPI309": Code(
        "error",
        "考核期 {period} 已关闭，不能新增或修改记录；请提交更正记录（correction）",
        "period {period} is closed: records cannot be added or changed; submit a correction",
    ),
    "KPI310": Code(
        "error",
        "方案 {scheme} 不适用于 {assessee}",
        "scheme {scheme} does not apply to {assessee}",
    ),
    "KPI311": Code(
        "error",
        "考核期 {period} 是{period_kind_zh}，但方案 {scheme} 按{scheme_kind_zh}考核",
        "period {period} is a {period_kind_en} but scheme {scheme} is assessed per {scheme_kind_en}",
    ),
    "KPI312": Code(
        "error",
        "编号“{id}”重复（{where}）",
        "id '{id}' is used twice ({where})",
    ),
    "KPI313": Code(
        "error",
        "文件不在账本的约定位置，未被读取：{expected}",
        "the file is not where the ledger layout expects files; it was not read: {expected}",
    ),
    "KPI314": Code(
        "error",
        "部门上下级形成循环：{chain}",
        "units form a cycle: {chain}",
    ),
    "KPI315": Code(
        "error",
        "角色为 data 的记录必须写明 source_unit，且与文件名一致",
        "a data record must name its source_unit, matching its file name",
    ),
    "KPI316": Code(
        "warning",
        "记录中的部门 {record_unit} 与组织架构中 {assessee} 当前所在部门 {org_unit} 不同",
        "the record's unit {record_unit} differs from {assessee}'s unit {org_unit} in the org chart",
    ),
    "KPI318": Code(
        "error",
        "{field} 日期不存在：{value}",
        "{field} is not a real date: {value}",
    ),
    "KPI319": Code(
        "error",
        "考核期 {id} 的类型应为 {expected}，而不是 {kind}",
        "period {id} is a {expected}, not a {kind}",
    ),
    "KPI320": Code(
        "error",
        "考核期的结束日 {end} 早于开始日 {start}",
        "the period ends ({end}) before it starts ({start})",
    ),
    "KPI322": Code(
        "error",
        "时区“{value}”不存在；请写 IANA 时区名，如 Asia/Shanghai",
        "the time zone '{value}' does not exist; write an IANA name such as Asia/Shanghai",
    ),
    "KPI323": Code(
        "error",
        "截止时间“{value}”不存在；请写 YYYY-MM-DD HH:MM（时 0–23，分 0–59）",
        "the due time '{value}' does not exist; write YYYY-MM-DD HH:MM (hours 0–23, minutes 0–59)",
    ),
    "KPI324": Code(
        "warning",
        "组织架构超出单个文件的上限：请运行 kpi org split，把每个部门及其人员拆到 org/<部门编号>.yaml",
        "the org chart outgrew one file: run kpi org split to move each unit and its people "
        "to org/<unit-id>.yaml",
    ),
    "KPI321": Code(
        "warning",
        "备注写给了方案 {scheme} 中没有的指标“{item}”（备注仍会显示）",
        "a note names '{item}', which is not an item of scheme {scheme} (the note still shows)",
    ),
    "KPI339": Code(
        "error",
        "这个考核方案有错误，改正前使用它的记录都无法检查和计分",
        "this scheme has errors; no record that uses it can be checked or scored until they "
        "are fixed",
    ),
    # 34x — the calendar: periods that are not there yet, the pattern, opening and closing
    "KPI340": Code(
        "error",
        "考核期 {period} 不在日历中：运行 kpi period open {period}",
        "period {period} is not in the calendar: run kpi period open {period}",
    ),
    "KPI341": Code(
        "error",
        "“{period}”不是考核期编号；请写 YYYY-MM（月）、YYYY-Qn（季度）或 YYYY（年）",
        "'{period}' is not a period id; write YYYY-MM (month), YYYY-Qn (quarter) or YYYY (year)",
    ),
    "KPI342": Code(
        "error",
        "考核期 {id} 没有写 {missing}，periods.yaml 的 pattern 也推算不出；请写明它们，或在 "
        "pattern 中加上{kind_zh}规则",
        "period {id} leaves out {missing} and the pattern of periods.yaml cannot work it out; "
        "write them, or give the pattern a {kind_en} rule",
    ),
    "KPI343": Code(
        "error",
        "按 pattern，{kind_zh}考核期 {id} 的截止时间 {due} 早于其结束日 {end}；请加大 months_after "
        "或调整 day",
        "by the pattern, {kind_en} period {id} is due {due}, before it ends on {end}; raise "
        "months_after or change day",
    ),
    "KPI344": Code(
        "error",
        "考核期 {period} 还缺 {count} 份记录（{sample_zh}）；补齐后再关闭，或用 --reason 写明原因",
        "period {period} still lacks {count} records ({sample_en}); complete them first, or say "
        "why with --reason",
    ),
    # 36x — appeals (申诉) and HR's decisions on them
    "KPI360": Code(
        "error",
        "申诉针对的结果不存在：{period} 没有 {assessee} 在方案“{scheme}”下的考核记录",
        "the appeal contests a result that is not there: {period} holds no record of "
        "{assessee} under scheme '{scheme}'",
    ),
    "KPI361": Code(
        "error",
        "只有组织架构中的人员可以申诉本人的结果；{assessee} 不是组织架构中的人员",
        "only a person in the org chart may appeal their own result; {assessee} is not one",
    ),
    "KPI362": Code(
        "warning",
        "申诉于 {filed} 合入（提交 {commit}），已过申诉期限 {deadline}（方案“{scheme}”：{start_zh}后 "
        "{days} 天内）；由人力资源裁定是否受理",
        "the appeal landed at {filed} (commit {commit}), after the appeal deadline {deadline} "
        "(scheme '{scheme}': within {days} days of {start_en}); HR decides whether to hear it",
    ),
    "KPI363": Code(
        "error",
        "裁定文件旁没有它裁定的申诉 {appeal}",
        "the decision has no appeal beside it to decide: {appeal} is missing",
    ),
    "KPI364": Code(
        "error",
        "申诉已被支持（upheld），但没有随附的更正记录（{expected}）；请由考核人提交更正并经批准",
        "the appeal is upheld but no correction comes with it ({expected}); the assessor "
        "submits the correction, approved as usual",
    ),
    "KPI365": Code(
        "error",
        "驳回申诉须写明理由（reason）",
        "a rejected appeal needs its reason (reason)",
    ),
    "KPI366": Code(
        "error",
        "裁定人 {who} 不是人力资源（org.yaml 的 hr：{hr}）；申诉由人力资源裁定",
        "the decider {who} is not HR (org.yaml's hr: {hr}); HR decides appeals",
    ),
    "KPI367": Code(
        "error",
        "考核期 {period} 还有 {count} 件申诉未裁定（{sample}）；裁定后再关闭，或用 --reason 写明原因",
        "period {period} still has {count} undecided appeals ({sample}); decide them first, "
        "or say why with --reason",
    ),
    "KPI368": Code(
        "error",
        "申诉的指标“{item}”不在方案“{scheme}”中（有：{known}）",
        "the appeal names the item '{item}', which is not in scheme '{scheme}' ({known})",
    ),
    "KPI369": Code(
        "error",
        "申诉放在了部门文件夹“{unit}”，但 {assessee} 在 {period} 方案“{scheme}”下的考核记录在“{units}”："
        "请移到 {expected}（各部门负责人审核本部门文件夹中的文件）",
        "the appeal is filed in the unit folder '{unit}', but {assessee}'s record for {period} "
        "under scheme '{scheme}' is in '{units}': move it to {expected} (each unit's head "
        "reviews the files in their folder)",
    ),
    # 37x — follow-up files and bulletin publications (<period>/followups/…, <period>/bulletin.yaml)
    "KPI370": Code(
        "error",
        "{field} 写的是“{value}”，但文件所在位置表明应为“{expected}”",
        "{field} says '{value}' but where the file is says '{expected}'",
    ),
    "KPI371": Code(
        "error",
        "“{kind}”不是任何方案规则声明的后续事项类别；可选：{allowed}",
        "'{kind}' is not a follow-up kind any scheme's rule declares; the kinds are: {allowed}",
    ),
    "KPI372": Code(
        "error",
        "“{assessee}”不在组织架构中",
        "'{assessee}' is not in the org chart",
    ),
    # 4xx — schemes
    "KPI401": Code(
        "error",
        "条件“{when}”无法识别：{reason}",
        "cannot read the condition '{when}': {reason}",
    ),
    "KPI402": Code(
        "error",
        "各指标权重与分值合计为 {sum}，应为 100（{detail}）；或用 total.formula 写明总分算法",
        "item weights and point maxima add up to {sum}, not 100 ({detail}); "
        "or say how the total is formed with total.formula",
    ),
    "KPI403": Code(
        "error",
        "分档有空缺：{where} 不属于任何一档",
        "the bands leave a gap: {where} falls in no band",
    ),
    "KPI404": Code(
        "error",
        "分档重叠：{where} 同时属于第 {first} 档和第 {second} 档",
        "bands overlap: {where} falls in band {first} and band {second}",
    ),
    "KPI405": Code(
        "error",
        "分值 {points} 超过该指标的满分 {scale}（{why_zh}）",
        "{points} points is above the item's full marks of {scale} ({why_en})",
    ),
    "KPI406": Code(
        "error",
        "第 {n} 档“{when}”永远不会用到：{why_zh}",
        "band {n} '{when}' can never apply: {why_en}",
    ),
    "KPI407": Code(
        "error",
        "公式“{formula}”有误：{reason}",
        "formula '{formula}' is wrong: {reason}",
    ),
    "KPI408": Code(
        "error",
        "公式中的“{name}”未定义；这里可用：{known}",
        "formula names '{name}', which is not defined here; available: {known}",
    ),
    "KPI409": Code(
        "error",
        "比率指标“{item}”须写明分母为 0 时的处理（zero_denominator：分值或 skip）",
        "ratio item '{item}' must say what a zero denominator gives (zero_denominator: "
        "points or skip)",
    ),
    "KPI410": Code(
        "error",
        "指标“{item}”的评分方法 {method} 不适用于 {input} 类型的输入（适用：{allowed}）",
        "item '{item}': scoring method {method} does not fit a {input} input (fits: {allowed})",
    ),
    "KPI411": Code(
        "error",
        "等级须从高到低排列：“{grade}”的下限 {min} 不低于上一等级“{previous}”的 {previous_min}",
        "grades must be listed highest first: '{grade}' starts at {min}, not below "
        "'{previous}' at {previous_min}",
    ),
    "KPI412": Code(
        "error",
        "指标“{item}”由“{role}”填写，但 assessors 中没有这个角色（有：{roles}）",
        "item '{item}' is filled in by '{role}', which is not among the assessors ({roles})",
    ),
    "KPI413": Code(
        "error",
        "{kind_zh}编号“{id}”重复（第一次出现在第 {first} 项）",
        "{kind_en} id '{id}' is used twice (first as entry {first})",
    ),
    "KPI414": Code(
        "error",
        "金额公式引用了“{name}”，它在本项或之后才定义",
        "money formula names '{name}', which is defined at or after this entry",
    ),
    "KPI415": Code(
        "error",
        "“{value}”不是{expected_zh}",
        "'{value}' is not {expected_en}",
    ),
    "KPI416": Code(
        "error",
        "条件中的 {value} {why_zh}",
        "{value} in the condition {why_en}",
    ),
    "KPI417": Code(
        "warning",
        "指标“{item}”有评分方法，但既没有 weight 也没有 max，不计入总分",
        "item '{item}' is scored but has neither weight nor max, so it adds nothing to the total",
    ),
    "KPI418": Code(
        "error",
        "指标“{item}”只能有一种评分方法，这里有：{methods}",
        "item '{item}' may have one scoring method; it has {methods}",
    ),
    "KPI419": Code(
        "error",
        "设置不合理：{detail_zh}",
        "setting makes no sense: {detail_en}",
    ),
    "KPI420": Code(
        "error",
        "指标“{item}”需要 {field}：{why_zh}",
        "item '{item}' needs {field}: {why_en}",
    ),
    "KPI421": Code(
        "error",
        "指标“{item}”不能同时有 weight 和 max",
        "item '{item}' may have weight or max, not both",
    ),
    "KPI422": Code(
        "error",
        "规则“{rule}”引用的指标“{item}”{why_zh}",
        "rule '{rule}' names item '{item}', which {why_en}",
    ),
    "KPI423": Code(
        "error",
        "迟交扣分类型“{kind}”不在 per 的扣分类型中",
        "the lateness kind '{kind}' is not one of the kinds in `per`",
    ),
    "KPI424": Code(
        "error",
        "names 为扣分类型“{kind}”起了名称，但 per 中没有这个类型",
        "`names` names the kind '{kind}', which is not one of the kinds in `per`",
    ),
    "KPI425": Code(
        "warning",
        "公式中的名称“{name}”既是{first_zh}又是{second_zh}，公式会取{first_zh}；请改名",
        "the formula name '{name}' is both {first_en} and {second_en}; formulas take the "
        "{first_en} — rename one",
    ),
    "KPI426": Code(
        "error",
        "names_en 为扣分类型“{kind}”起了英文名称，但 per 中没有这个类型",
        "`names_en` gives an English name to the kind '{kind}', which is not one of the kinds "
        "in `per`",
    ),
    "KPI430": Code(
        "warning",
        "扣分类别“{kind}”按{unit_zh}计量，escalate.quantities 却让它按{unit_zh}数加倍："
        "{at}{unit_zh}是一个问题的大小，不是同一问题重复 {at} 次；请确认原文确实如此",
        "the kind '{kind}' is measured in {unit_en}, yet escalate.quantities doubles it by "
        "its {unit_en}: {at} {unit_en} is the size of one problem, not {at} repeats — make "
        "sure the source document says so",
    ),
    "KPI431": Code(
        "warning",
        "扣分类别“{kind}”看来是按{unit_zh}计量的量，却按次数计入加倍（escalate）；"
        "若是，请写 measured_in: {{{kind}: {unit}}}",
        "the kind '{kind}' looks measured in {unit_en}, yet escalation counts it as "
        "occurrences; if so, write measured_in: {{{kind}: {unit}}}",
    ),
    "KPI432": Code(
        "error",
        "对原文的解读引用的{kind_zh}“{id}”不在本方案中（有：{known}）",
        "a reading names the {kind_en} '{id}', which is not in this scheme ({known})",
    ),
    # 5xx — cross-period rules and the calendar
    "KPI501": Code(
        "warning",
        "账本不在 git 仓库中（或没有提交记录），未计算迟交天数；迟交扣分按 0 计",
        "the ledger is not in a git repository (or has no commits): lateness was not measured and counts as 0",
    ),
    "KPI502": Code(
        "warning",
        "{period} 的截止时间“{due}”无法识别，未计算迟交",
        "the due time '{due}' of {period} cannot be read; lateness was not measured",
    ),
    "KPI503": Code(
        "error",
        "{period} {assessee}（{record}）：总分公式运行失败（{reason_zh}），该结果没有总分；"
        "公式读取的值：{values}",
        "{period} {assessee} ({record}): the total formula failed ({reason}), so this result "
        "has no total; the values it read: {values}",
    ),
    "KPI504": Code(
        "error",
        "{period} {assessee}（{record}）：金额“{money}”（{money_id}）的公式运行失败（{reason_zh}），"
        "未发放该金额；公式读取的值：{values}",
        "{period} {assessee} ({record}): the formula of the amount '{money}' ({money_id}) "
        "failed ({reason}), so the amount is not paid; the values it read: {values}",
    ),
    # 6xx — authoring: kpi new, fmt, import, export, init
    "KPI601": Code(
        "error",
        "指标{item_zh}{part_zh}尚未填写（值为空）；请按该指标上方注释的说明填写",
        "item {item_en}{part_en} has no value yet (it is empty); fill it in as the comment above it says",
    ),
    "KPI602": Code(
        "warning",
        "这份记录已经存在，未覆盖",
        "this record already exists; it was left alone",
    ),
    "KPI603": Code(
        "warning",
        "组织架构未指定谁以“{role}”身份考核 {assessee}，未生成记录",
        "the org chart names no {role_en} for {assessee}; no record was written",
    ),
    "KPI604": Code(
        "error",
        "无法识别列“{header}”：它不是方案 {scheme} 中由{role}填写的指标的标题或编号",
        "column '{header}' is neither the title nor the id of an item the {role_en} fills in under scheme {scheme}",
    ),
    "KPI605": Code(
        "error",
        "表中缺少指标“{item}”（{title}）的列",
        "the sheet has no column for item '{item}' ({title})",
    ),
    "KPI606": Code(
        "error",
        "“{value}”不能作为指标“{item}”（{title}）的值：应为{expected_zh}",
        "'{value}' is not a value for item '{item}' ({title}): expected {expected_en}",
    ),
    "KPI607": Code(
        "error",
        "单元格为空：指标“{item}”（{title}）须填写",
        "the cell is empty: item '{item}' ({title}) must be filled in",
    ),
    "KPI608": Code(
        "error",
        "表头中没有“工号”或“被考核人”列",
        "the header has no 工号 (id) or 被考核人 (assessee) column",
    ),
    "KPI609": Code(
        "error",
        "被考核人“{id}”在第 {first} 行已出现",
        "assessee '{id}' already appears in row {first}",
    ),
    "KPI610": Code(
        "error",
        "无法确定{what_zh}：请用 {option} 指定，或在表格首行写明",
        "cannot tell the {what_en}: give {option}, or write it in the sheet's first row",
    ),
    "KPI611": Code(
        "error",
        "表格写明的{what_zh}“{sheet_value}”与命令行指定的“{option_value}”不一致",
        "the sheet says {what_en} '{sheet_value}' but the command line says '{option_value}'",
    ),
    "KPI612": Code(
        "error",
        "已有记录 {path} 的内容与表格不同；确认无误后加 --update 覆盖",
        "the existing record {path} differs from the sheet; add --update to overwrite it",
    ),
    "KPI613": Code(
        "error",
        "无法读取表格：{reason}",
        "cannot read the sheet: {reason}",
    ),
    "KPI614": Code(
        "error",
        "姓名“{name}”与组织架构中 {id} 的姓名“{expected}”不一致",
        "name '{name}' differs from the org chart's name for {id}, '{expected}'",
    ),
    "KPI615": Code(
        "error",
        "目录 {path} 已存在且不为空；请指定一个新目录",
        "the folder {path} exists and is not empty; name a new folder",
    ),
    "KPI616": Code(
        "warning",
        "考核期 {period} 没有方案要求{role}为 {assessee} 填写记录",
        "in period {period} no scheme asks the {role_en} for a record about {assessee}",
    ),
    "KPI620": Code(
        "error",
        "无法写入 {path}：{reason}；本次没有写入任何文件，原有文件保持不变",
        "cannot write {path}: {reason}; nothing was written and the existing files are "
        "unchanged",
    ),
    "KPI621": Code(
        "error",
        "工作簿文件过大（{size} 字节，上限 {limit} 字节）；请按部门拆分后分别导入",
        "the workbook is too large ({size} bytes, the limit is {limit}); split it by unit",
    ),
    "KPI622": Code(
        "error",
        "工作簿解压后过大（{size} 字节，上限 {limit} 字节），疑似压缩炸弹，未打开",
        "the workbook unpacks to {size} bytes (the limit is {limit}): a zip bomb? Not opened",
    ),
    "KPI623": Code(
        "error",
        "工作表“{sheet}”的范围 {dimension} 过大（{rows} 行、{columns} 列；"
        "上限 {max_rows} 行、{max_columns} 列），未读取",
        "sheet '{sheet}' spans {dimension} ({rows} rows, {columns} columns; the limits are "
        "{max_rows} and {max_columns}): not read",
    ),
    "KPI624": Code(
        "error",
        "工作簿的单元格过多（{cells} 个，上限 {limit} 个），未读取",
        "the workbook has too many cells ({cells}, the limit is {limit}): not read",
    ),
    "KPI625": Code(
        "warning",
        "上次写入被中断，已恢复为写入前的文件：{files}",
        "an interrupted write was rolled back to the files as they were before: {files}",
    ),
    # 64x — an input sheet's cells, in the words of the person who filled them in
    "KPI640": Code(
        "error",
        "考核期“{value}”不存在；请填写开放中的考核期之一：{open}",
        "there is no period '{value}'; write one of the open periods: {open}",
    ),
    "KPI641": Code(
        "error",
        "找不到方案“{value}”；请保留导出时的方案名称（现有方案：{titles}）",
        "there is no scheme '{value}'; keep the scheme's name as exported (schemes: {titles})",
    ),
    "KPI642": Code(
        "error",
        "角色“{value}”无法识别；请从下拉列表选择：{allowed}",
        "the role '{value}' is not known; pick one from the list: {allowed}",
    ),
    "KPI643": Code(
        "error",
        "角色写的是“{value}”，但表中的指标（如“{header}”）由“{other}”填写；"
        "请把角色改回“{other}”",
        "the role says '{value}' but the sheet's items (such as '{header}') are filled in by "
        "the {other_en}; change the role back to '{other}'",
    ),
    "KPI644": Code(
        "error",
        "“{value}”是姓名，不是工号；请填工号 {ids}",
        "'{value}' is a name, not an id; write the id {ids}",
    ),
    "KPI645": Code(
        "error",
        "“{kind}”不是指标“{title}”的扣分类别；可选：{allowed}",
        "'{kind}' is not a kind of item '{item}' ({title}); the kinds are: {allowed}",
    ),
    # 7xx — review and publishing
    "KPI701": Code(
        "warning",
        "已提交的 {codeowners} 与组织架构不一致；请运行 kpi codeowners 并提交",
        "the committed {codeowners} does not match the org chart; run kpi codeowners and commit it",
    ),
    # 74x — follow-ups: obligations a rule's outcome created (kpi status, kpi review)
    "KPI740": Code(
        "warning",
        "{period} {assessee} 的“{title}”已逾期：应于 {due} 前合入 {where}",
        "{period}: {assessee}'s '{title}' is overdue: {where} was due on main by {due}",
    ),
    "KPI741": Code(
        "warning",
        "“{title}”若现在合入，将晚于期限 {due} {days} 天",
        "'{title}' merged now lands {days} day(s) after its deadline {due}",
    ),
    # 71x — kpi verify: a published manifest against git
    "KPI710": Code(
        "error",
        "清单无法读取：{reason}",
        "the manifest cannot be read: {reason}",
    ),
    "KPI711": Code(
        "error",
        "清单字段“{field}”的值“{value}”不合法：{expected_zh}",
        "the manifest's '{field}' value '{value}' is not valid: {expected_en}",
    ),
    "KPI712": Code(
        "error",
        "提交 {commit} 不在主分支 {branch} 上",
        "commit {commit} is not on the main branch {branch}",
    ),
    "KPI713": Code(
        "error",
        "找不到提交或分支“{ref}”：{reason}",
        "no such commit or branch '{ref}': {reason}",
    ),
    "KPI714": Code(
        "error",
        "文件的 SHA-256 与清单不符",
        "the file's SHA-256 does not match the manifest",
    ),
    "KPI715": Code(
        "error",
        "清单列出的文件不存在",
        "the manifest lists this file but it does not exist",
    ),
    "KPI716": Code(
        "error",
        "文件不在清单中",
        "the file is not in the manifest",
    ),
    "KPI717": Code(
        "error",
        "重新计算的结果不同：{detail}",
        "the recomputed results differ: {detail}",
    ),
    "KPI718": Code(
        "error",
        "在提交 {commit} 重新构建的网站中，此文件与清单不同",
        "rebuilt from commit {commit}, this file of the site differs from the manifest",
    ),
    "KPI719": Code(
        "error",
        "工具版本 {published} ≠ 当前 {current}：重新计算可能不同",
        "tool version {published} ≠ this {current}: the recomputation may differ",
    ),
    "KPI721": Code(
        "warning",
        "完整版（含姓名、金额、评语）将发布到公开目标；公开网站请用 kpi build --public，"
        "完整版只发布到有访问控制的地方",
        "the full edition (names, money, comments) is built for a public target: build the "
        "public site with kpi build --public, and the full edition only where access is "
        "controlled",
    ),
    "KPI722": Code(
        "error",
        "账本要求签名提交，但提交 {commit} 没有组织架构中任何人的有效 SSH 签名",
        "the ledger requires signed commits, but commit {commit} has no good SSH signature "
        "by anyone in the org chart",
    ),
    "KPI723": Code(
        "error",
        "这是公开版的清单：验证它需要构建时用的站点密钥（环境变量 KPI_SITE_KEY）",
        "this is a public edition's manifest: verifying it needs the site key it was built "
        "with (the KPI_SITE_KEY environment variable)",
    ),
    "KPI724": Code(
        "error",
        "结果索引与此文件不符：{detail}",
        "the results index does not match this file: {detail}",
    ),
    "KPI725": Code(
        "error",
        "文件夹 {path} 已存在且不是结果文件夹（没有 index.json）：请指定新的或空的文件夹",
        "the folder {path} exists and is not a results folder (no index.json): name a new or "
        "empty folder",
    ),
    "KPI720": Code(
        "error",
        "无法在提交 {commit} 重新构建网站：{reason}",
        "cannot rebuild the site at commit {commit}: {reason}",
    ),
}
