"""The bulletin as a print-ready PDF (A4), with the Chinese font embedded.

fpdf2 (docs/decisions.md): pure Python, embeds only the glyphs used of a TrueType font (a
bulletin stays small although a CJK font is megabytes), lays out tables itself, and needs no
system library (WeasyPrint needs Pango, ReportLab's built-in CJK fonts are not embedded, so
a reader without them sees boxes). The font is the system's: `KPI_CJK_FONT`, else what
fontconfig gives for Chinese, else the usual Debian paths (`make deps-system` installs
WenQuanYi Micro Hei).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

from kpiledger.publish.bulletin import Bulletin

FONT_ENV = "KPI_CJK_FONT"
KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


class FontMissing(RuntimeError):
    """No TrueType font with Chinese glyphs was found."""


def find_cjk_font() -> Path:
    """A TrueType (.ttf/.ttc) font with Chinese glyphs; raises FontMissing."""
    given = os.environ.get(FONT_ENV)
    if given:
        if Path(given).is_file():
            return Path(given)
        raise FontMissing(f"{FONT_ENV}={given}: 文件不存在 / no such file")
    if shutil.which("fc-list"):  # fonts that cover Chinese, as fontconfig knows them
        done = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True,
                              check=False)
        found = sorted(Path(line.split(":")[0].strip()) for line in done.stdout.splitlines())
        for path in found:
            if path.suffix.lower() in (".ttf", ".ttc") and path.is_file():
                return path
    for path in KNOWN_FONTS:
        if Path(path).is_file():
            return Path(path)
    raise FontMissing(
        "找不到中文 TrueType 字体：请安装 fonts-wqy-microhei，或用环境变量 KPI_CJK_FONT 指定 "
        ".ttf/.ttc 文件 / no Chinese TrueType font: install fonts-wqy-microhei or set "
        "KPI_CJK_FONT to a .ttf/.ttc file"
    )


def to_pdf(b: Bulletin, font: Path | None = None, none: str = "无",
           created: dt.datetime | None = None) -> bytes:
    """The bulletin as PDF bytes (A4 portrait), the font's used glyphs embedded. `created`
    (the ledger commit's date) keeps the bytes the same for the same bulletin."""
    from fpdf import FPDF, FontFace  # imported here: only this command needs it

    # one weight of the font: headings stand out by their shade, not by bold
    headings = FontFace(emphasis="", fill_color=(230, 230, 230))

    pdf = FPDF(format="A4")
    pdf.set_title(b.title)
    pdf.set_creator("kpiledger")
    if created is not None:
        pdf.set_creation_date(created)
    pdf.add_font("cjk", fname=str(font or find_cjk_font()))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.multi_cell(0, 9, b.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    for line in b.lines:
        pdf.multi_cell(0, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    for heading, tables in b.sections:
        pdf.ln(3)
        pdf.set_font("cjk", size=13)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        for t in tables:
            pdf.set_font("cjk", size=9)
            if len(tables) > 1 or t.title != heading:
                pdf.multi_cell(0, 6, t.title, new_x="LMARGIN", new_y="NEXT")
            if not t.rows:
                pdf.multi_cell(0, 6, none, new_x="LMARGIN", new_y="NEXT")
                continue
            with pdf.table(text_align="LEFT", line_height=5, first_row_as_headings=True,
                           repeat_headings=1, headings_style=headings,
                           col_widths=t.widths or None) as table:
                for row in [t.header, *t.rows]:
                    cells = table.row()
                    for text in row:
                        cells.cell(text)
            pdf.ln(2)
    return bytes(pdf.output())
