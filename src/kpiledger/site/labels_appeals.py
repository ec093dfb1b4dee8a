"""The site's words for appeals (申诉) and HR's decisions, Chinese and English; merged into
`labels` (kept apart so that one module stays short)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "appeals": "申诉",
    "appeals_intro": "被考核人本人对结果提出的申诉，及人力资源的裁定。申诉与裁定均以本人的 git "
                     "提交为准；时间为账本时区 {tz} 的时间。",
    "no_appeals": "没有申诉。",
    "appeal_filed": "申诉合入",
    "appeal_deadline": "申诉期限",
    "appeal_late": "已过申诉期限",
    "appeal_in_time": "在申诉期内",
    "appeal_by": "申诉人",
    "appeal_items": "异议指标",
    "appeal_whole": "整个结果",
    "appeal_reason": "申诉理由",
    "appeal_state": "裁定",
    "appeal_open": "待人力资源裁定",
    "appeal_upheld": "支持申诉",
    "appeal_rejected": "驳回",
    "decision_reason": "裁定理由",
    "decided_by": "裁定人",
    "appeal_correction": "更正记录",
    "appeals_open_n": "未裁定的申诉",
}

EN: dict[str, str] = {
    "appeals": "Appeals",
    "appeals_intro": "Appeals by assessees against their results, and HR's decisions. Each "
                     "counts as its person's own git commit; times are in the ledger's zone {tz}.",
    "no_appeals": "No appeals.",
    "appeal_filed": "Appeal landed",
    "appeal_deadline": "Appeal deadline",
    "appeal_late": "after the appeal deadline",
    "appeal_in_time": "within the appeal window",
    "appeal_by": "Appellant",
    "appeal_items": "Items contested",
    "appeal_whole": "the whole result",
    "appeal_reason": "Reason",
    "appeal_state": "Decision",
    "appeal_open": "awaiting HR's decision",
    "appeal_upheld": "upheld",
    "appeal_rejected": "rejected",
    "decision_reason": "Why",
    "decided_by": "Decided by",
    "appeal_correction": "Correction",
    "appeals_open_n": "Undecided appeals",
}
