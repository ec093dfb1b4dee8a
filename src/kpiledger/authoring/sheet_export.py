"""`kpi export`: results laid out like the documents' tables, plus blank sheets ready for
`kpi import`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpiledger.atomic import write_bytes
from kpiledger.authoring.describe import comment_lines
from kpiledger.authoring.new import active
from kpiledger.authoring.sheet_read import COMMENT_HEADER, DEN, NAME_HEADER, NUM
from kpiledger.check.records import applies, items_for
from kpiledger.model import Item, Ledger, Period, Scheme
from kpiledger.numbers import fmt
from kpiledger.score.results import Result

# ------------------------------------------------------------------------------ export


def _sheet_title(title: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", title)[:31]
    name, n = base, 2
    while name in taken:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def template_headers(items: dict[str, Item]) -> list[tuple[str, Item | None]]:
    """The columns `kpi import` expects: 工号, 姓名, the items (ratios as 分子/分母), 评语."""
    out: list[tuple[str, Item | None]] = [("工号", None), (NAME_HEADER, None)]
    for item in items.values():
        if item.input == "ratio":
            out += [(item.title + NUM, item), (item.title + DEN, item)]
        else:
            out.append((item.title, item))
    out.append((COMMENT_HEADER, None))
    return out


def export_workbook(
    ledger: Ledger,
    scored: Iterable[Result],
    period_id: str,
    target: Path,
    *,
    role: str = "superior",
    next_period: str | None = None,
    schemes: Iterable[str] = (),
) -> list[str]:
    """Results of `period_id` (from the ledger's evaluation, `scored`) per ranking group, then
    one blank input sheet per scheme for the next period. Returns the sheet names."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    from kpiledger.calendar import following_period

    wanted = set(schemes)
    results = [r for r in scored if r.period == period_id
               and (not wanted or r.scheme in wanted)]
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    groups: dict[tuple[str, str], list[Any]] = {}
    for r in results:
        groups.setdefault((r.scheme, r.group), []).append(r)
    for (scheme_id, group), members in groups.items():
        scheme = ledger.schemes[scheme_id]
        group_name = ledger.org.name_of(group) if group != scheme_id else scheme.title
        ws = book.create_sheet(_sheet_title(f"{group_name} {scheme_id}", taken))
        ws.append([f"{scheme.title} · {period_id} · {group_name}（共 {members[0].of} 人）"])
        ws["A1"].font = bold
        money = list(scheme.money)
        heads = ["序号", "工号", "姓名", *(f"{i.title}" for i in scheme.items),
                 "总分", "等级", "名次", *(m.title for m in money),
                 "被考核人", "日期", "考核人", "日期", "复核人", "日期"]
        ws.append(heads)
        for cell in ws[2]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True)
        for n, r in enumerate(members, start=1):
            points = {i.id: i.points for i in r.items}
            ws.append([
                n, r.assessee, r.name,
                *(_num(points.get(i.id), r.precision) for i in scheme.items),
                _num(r.total, r.precision), r.grade or "", r.rank,
                *(_num(r.money.get(m.id), r.precision) for m in money),
                None, None, None, None, None, None,
            ])
        ws.freeze_panes = "D3"
    kind = ledger.calendar.periods[period_id].kind if period_id in ledger.calendar.periods else (
        "month")
    upcoming = next_period or following_period(kind, ledger.calendar, period_id) or period_id
    period = ledger.calendar.periods.get(upcoming)
    chosen = sorted({r.scheme for r in results} or wanted)
    for scheme_id in chosen:
        scheme = ledger.schemes[scheme_id]
        items = items_for(scheme, role, None)
        if not items:
            continue
        ws = book.create_sheet(_sheet_title(f"录入 {upcoming} {scheme_id}", taken))
        ws.append(["考核期", upcoming, "方案", scheme_id, "角色", role,
                   f"{scheme.title}：每行一人，填好后运行 kpi import 导入"])
        for cell in ws[1][:6]:
            cell.number_format = "@"  # keep 2026-07 as text: Excel would make it a date
        headers = template_headers(items)
        ws.append([h for h, _ in headers])
        for k, (_, item) in enumerate(headers, start=1):
            cell = ws.cell(row=2, column=k)
            cell.font = bold
            if item is not None:
                cell.comment = Comment("\n".join(comment_lines(item, role)), "kpiledger")
        for a in _due(ledger, scheme, period):
            ws.append([a, ledger.org.name_of(a)])
        for k, (_, item) in enumerate(headers, start=1):
            if item is not None and item.input in ("occurrences", "level", "pass", "percent"):
                for row in ws.iter_rows(min_row=3, min_col=k, max_col=k):
                    row[0].number_format = "@"  # typed as written: 93%, late×2, 合格
        ws.freeze_panes = "C3"
    if not book.worksheets:
        book.create_sheet("空")
    for ws in book.worksheets:
        as_text(ws)
    data = io.BytesIO()
    book.save(data)
    write_bytes(target, data.getvalue())  # atomic: raises atomic.WriteError
    return [ws.title for ws in book.worksheets]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(ws: Any) -> None:
    """Text a spreadsheet would run as a formula (a name typed as =HYPERLINK(…), say) is
    stored as text, and marked so (quotePrefix) that editing the cell keeps it text."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True


def _due(ledger: Ledger, scheme: Scheme, period: Period | None) -> list[str]:
    org = ledger.org
    everyone = sorted(org.people) + sorted(org.units)
    return [a for a in everyone if applies(scheme, org, a)
            and (period is None or active(ledger, a, period))]


def _num(d: Decimal | None, places: int) -> float | None:
    # Excel stores doubles: the published text (rounded half up) read back is what it shows
    return None if d is None else float(fmt(d, places))
