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
from kpiledger.authoring.new import active
from kpiledger.authoring.sheet_style import BOLD, fit_widths, header_row
from kpiledger.authoring.sheet_template import write_input_sheet
from kpiledger.check.records import applies, items_for
from kpiledger.model import Ledger, Period, Scheme
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
    one blank input sheet per scheme (and data-owner unit) for the next period. Returns the
    sheet names."""
    from openpyxl import Workbook

    from kpiledger.calendar import following_period

    wanted = set(schemes)
    results = [r for r in scored if r.period == period_id
               and (not wanted or r.scheme in wanted)]
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    groups: dict[tuple[str, str], list[Result]] = {}
    for r in results:
        groups.setdefault((r.scheme, r.group), []).append(r)
    for (scheme_id, group), members in groups.items():
        scheme = ledger.schemes[scheme_id]
        group_name = ledger.org.name_of(group) if group != scheme_id else ""
        ws = book.create_sheet(_sheet_title(f"{group_name} {scheme.title}".strip(), taken))
        _results_sheet(ws, scheme, period_id, group_name or scheme.title, members)
    kind = ledger.calendar.periods[period_id].kind if period_id in ledger.calendar.periods else (
        "month")
    upcoming = next_period or following_period(kind, ledger.calendar, period_id) or period_id
    period = ledger.calendar.periods.get(upcoming)
    # the schemes asked for, even those without results this period (a new scheme)
    chosen = sorted(wanted or {r.scheme for r in results})
    for scheme_id in chosen:
        scheme = ledger.schemes[scheme_id]
        for source_unit in _source_units(scheme, role):
            items = items_for(scheme, role, source_unit)
            if not items:
                continue
            unit = f" {ledger.org.name_of(source_unit)}" if source_unit else ""
            ws = book.create_sheet(_sheet_title(f"录入 {upcoming}{unit} {scheme.title}", taken))
            write_input_sheet(ws, ledger, scheme, items, upcoming, role, source_unit,
                              _due(ledger, scheme, period))
    if not book.worksheets:
        book.create_sheet("空")
    for ws in book.worksheets:
        as_text(ws)
    data = io.BytesIO()
    book.save(data)
    write_bytes(target, data.getvalue())  # atomic: raises atomic.WriteError
    return [ws.title for ws in book.worksheets]


def _results_sheet(ws: Any, scheme: Scheme, period_id: str, group_name: str,
                   members: list[Result]) -> None:
    """One ranking group's results, every header saying what its numbers are: 得分（分）,
    实际值（%）, 总分（分）, 金额（元）."""
    shown = [i for i in scheme.items if i.method is not None]
    valued = {i.id for i in shown if i.input in ("percent", "ratio")}
    heads: list[str] = ["序号", "工号", "姓名"]
    formats: list[str] = ["0", "@", "@"]
    points = "0." + "0" * members[0].precision if members[0].precision else "0"
    for i in shown:
        if i.id in valued:
            heads.append(f"{i.title}\n实际值（%）")
            formats.append("0.0%")
        heads.append(f"{i.title}\n得分（分）")
        formats.append(points)
    heads += ["总分（分）", "等级", "名次", *(f"{m.title}\n金额（元）" for m in scheme.money),
              "被考核人签字", "日期", "考核人签字", "日期", "复核人签字", "日期"]
    formats += [points, "@", "0", *('#,##0.00" 元"' for _ in scheme.money)]
    ws.append([f"{scheme.title} · {period_id} · {group_name}（共 {members[0].of} 人）"])
    ws["A1"].font = BOLD
    ws.append(heads)
    header_row(ws, 2)
    for n, r in enumerate(members, start=1):
        got = {i.id: i for i in r.items}
        row: list[Any] = [n, r.assessee, r.name]
        for i in shown:
            if i.id in valued:
                row.append(_value(got[i.id].value if i.id in got else None))
            row.append(_num(got[i.id].points if i.id in got else None, r.precision))
        row += [_num(r.total, r.precision), r.grade or "", r.rank,
                *(_num(r.money.get(m.id), r.precision) for m in scheme.money)]
        ws.append(row)
    for k, number_format in enumerate(formats, start=1):
        for (cell,) in ws.iter_rows(min_row=3, min_col=k, max_col=k):
            cell.number_format = number_format
    ws.row_dimensions[2].height = 32
    ws.freeze_panes = "D3"
    fit_widths(ws, least=6, most=16, skip_rows=1)


def _value(text: str | None) -> float | str | None:
    """A measured percent or ratio as Excel's number (shown with %), or its text (150/0)."""
    try:
        return None if text is None else float(Decimal(text))
    except ArithmeticError:
        return text


def _source_units(scheme: Scheme, role: str) -> list[str | None]:
    """A data role fills one sheet per data-owner unit; any other role one sheet."""
    if role != "data":
        return [None]
    return sorted({i.source_unit for i in scheme.items if "data" in i.by and i.source_unit})


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
