"""The monthly bulletin (kpi bulletin): the period's rankings per group, the rules that fired,
the rewards with their amounts (文档7: 500 / 300 / 200 元 by place, ties all paid) and the
warnings, as Markdown and as a PDF with the Chinese font embedded. Real git repositories, the
real command, the PDF read back with pypdf."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pypdf
from gitrepo import make_repo

from kpiledger.pipeline import evaluate
from kpiledger.publish.bulletin import make_bulletin, to_markdown
from kpiledger.publish.bulletin_pdf import FontMissing, find_cjk_font, to_pdf
from kpiledger.publish.results import results_document

LEDGER = Path(__file__).resolve().parents[1] / "ledger"


def kpi(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kpiledger", *args], cwd=cwd,
                          env={**os.environ, **env}, capture_output=True, text=True, check=False)


def bulletin_of(period: str, **kw: object):  # type: ignore[no-untyped-def]
    evaluation = evaluate(LEDGER)
    document = results_document(evaluation.results)
    return document, make_bulletin(document, evaluation.ledger, period, **kw)  # type: ignore[arg-type]


def test_the_bulletin_says_what_the_results_say() -> None:
    document, b = bulletin_of("2026-05", commit="0123456789abcdef")
    sections = dict(b.sections)
    # every result of the period in one ranking table, ranked as published
    ranked = [row for t in sections["排名"] for row in t.rows]
    period_results = [r for r in document["results"] if r["period"] == "2026-05"]
    assert len(ranked) == len(period_results)
    # 文档7: ties share the place and are all paid; 500 for first, 200 for third
    rewards = sections["奖励"][0].rows
    paid = {row[0]: row[2] for row in rewards[:-1]}
    assert paid == {"钟丽华": "500.00", "潘晓琳": "500.00", "范志伟": "200.00"}
    assert rewards[-1] == ["合计", "", "1200.00"]
    assert sum(Decimal(v) for v in paid.values()) == Decimal("1200.00")
    fired = sections["触发的规则"][0].rows
    assert {row[2] for row in fired} == {"奖励", "提交整改方案"}
    text = to_markdown(b)
    assert text.startswith("# 示例商贸有限公司 2026-05 绩效考核通报\n")
    assert "| 1/6 | 潘晓琳 | 华南分部客户服务部 | 98.00 | — |" in text
    assert "依据账本提交 01234567" in text


def test_masked_and_english() -> None:
    _, masked = bulletin_of("2026-05", masked=True)
    assert "钟丽华" not in to_markdown(masked) and "钟**" in to_markdown(masked)
    _, english = bulletin_of("2026-05", lang="en")
    assert to_markdown(english).startswith("# 示例商贸有限公司 Performance bulletin 2026-05")


def test_the_pdf_embeds_its_font_and_reads_back() -> None:
    _, b = bulletin_of("2026-05")
    when = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    data = to_pdf(b, created=when)
    assert data == to_pdf(b, created=when)  # the same bulletin, the same bytes
    assert b"/FontFile2" in data  # the TrueType glyphs travel with the file
    path = Path("/tmp") / f"kpi-bulletin-{os.getpid()}.pdf"
    path.write_bytes(data)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    path.unlink()
    for words in ("示例商贸有限公司 2026-05 绩效考核通报", "潘晓琳", "1200.00", "提交整改方案"):
        assert words in text, words


def test_no_font_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setenv("KPI_CJK_FONT", "/nonexistent/font.ttf")
    try:
        find_cjk_font()
    except FontMissing as e:
        assert "KPI_CJK_FONT" in str(e)
    else:
        raise AssertionError("no error")


def test_the_command(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    done = kpi(repo.path, "bulletin", "2026-05")
    assert done.returncode == 0 and "## 奖励" in done.stdout, done.stderr
    done = kpi(repo.path, "bulletin", "2026-05", "--format", "pdf", "-o", "通报.pdf")
    assert done.returncode == 0, done.stderr
    assert (repo.path / "通报.pdf").read_bytes().startswith(b"%PDF")
    done = kpi(repo.path, "bulletin", "2026-13")
    assert done.returncode == 1 and "2026-13" in done.stderr
    done = kpi(repo.path, "bulletin", "2026-05", "--format", "pdf",
               KPI_CJK_FONT="/nonexistent.ttf")
    assert done.returncode == 1 and "KPI_CJK_FONT" in done.stderr
    assert not (repo.path / "bulletin-2026-05.pdf").exists()


def test_a_bulletin_page_per_closed_period(tmp_path: Path) -> None:
    import shutil

    top = Path(__file__).resolve().parents[1]
    repo = make_repo(tmp_path)
    shutil.copy(top / "mkdocs.yml", repo.path / "mkdocs.yml")
    shutil.copytree(top / "site", repo.path / "site")
    repo.commit(message="网站")
    for args, site in ((("build",), "public"), (("build", "--public", "--site-dir", "pub"),
                                                "pub")):
        assert kpi(repo.path, *args).returncode == 0
        pages = sorted(p.name for p in (repo.path / site / "bulletins").iterdir())
        closed = [p.id for p in evaluate(repo.ledger).ledger.calendar.periods.values()
                  if p.status == "closed"]
        assert pages == sorted(closed)  # every closed period with results, no open one
        html = (repo.path / site / "bulletins" / "2026-03" / "index.html").read_text("utf-8")
        assert "示例商贸有限公司 2026-03 绩效考核通报" in html
        period = (repo.path / site / "periods" / "2026-03" / "index.html").read_text("utf-8")
        assert 'href="../../bulletins/2026-03/"' in period
        # the public edition: names masked, no rewards section (money)
        assert (">奖励</h2>" in html) == (site == "public")
        assert ("钟丽华" in html) == (site == "public")


def test_a_period_document_makes_the_same_bulletin_as_the_whole() -> None:
    """`kpi bulletin` builds only its period's document (the whole one is 2 GiB at 120,000
    records): every period's bulletin, warnings and events included, is the same."""
    from kpiledger.publish.shards import period_documents

    evaluation = evaluate(LEDGER)
    whole = results_document(evaluation.results)
    periods = sorted(evaluation.ledger.calendar.periods)
    assert len(periods) >= 3
    for period in periods:
        found = list(period_documents(evaluation.results, only=period))
        part = found[0][1] if found else {}
        for lang in ("zh", "en"):
            assert to_markdown(make_bulletin(part, evaluation.ledger, period, lang=lang)) == \
                to_markdown(make_bulletin(whole, evaluation.ledger, period, lang=lang))
    assert list(period_documents(evaluation.results, only="1999-01")) == []
