"""The status pages of the published site (status/<period>/), built by the real
`mkdocs build --strict` from the example ledger committed on 2026-07-01 09:00 (+08:00).

Hand-counted: 2026-06 is due 2026-07-05 17:30, so its records landed in time; 2026-05 was due
2026-06-05 17:30, so its records landed 25 days 15½ hours late — 26 started days. cs-team-1
has four people assessed by 林静; GS组 (cs-gs) three people, none of whose records exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_ledger import build_site, make_example, write_config


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("status-site")
    make_example(root)
    done = build_site(write_config(root))
    assert done.returncode == 0, done.stderr
    return root / "public"


def _rows(page: str) -> list[list[str]]:
    """The first table's body rows as text cells."""
    body = page[page.index("<tbody>"): page.index("</tbody>")]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in row.split("<td>")[1:]]
            for row in body.split("<tr>")[1:]]


def test_one_status_page_per_open_period(site: Path) -> None:
    made = sorted(p.name for p in (site / "status").iterdir() if p.is_dir())
    assert made == ["2026", "2026-05", "2026-06", "2026-Q2"]  # the open periods of periods.yaml
    periods = (site / "periods/index.html").read_text(encoding="utf-8")
    # in the navigation, in the periods section
    assert re.search(r'<a href="\.\./status/2026-06/" class="md-nav__link">\s*'
                     r'<span class="md-ellipsis">\s*提交情况 2026-06', periods)


def test_the_table_says_who_still_owes_what(site: Path) -> None:
    page = (site / "status/2026-06/index.html").read_text(encoding="utf-8")
    assert "<title>提交情况 2026-06" in page
    assert 'name="viewport"' in page and 'class="kpi-table"' in page
    assert "截止 2026-07-05 17:30（Asia/Shanghai）" in page
    rows = _rows(page)
    assert ["客服一组", "上级", "4", "4", "0", "0"] in rows
    assert ["GS组", "上级", "3", "0", "3", "0"] in rows
    missing = page[page.index('id="missing"'):]
    assert "许晴" in missing and "唐雅" in missing
    assert 'id="late"' not in page


def test_late_records_are_counted_from_git(site: Path) -> None:
    page = (site / "status/2026-05/index.html").read_text(encoding="utf-8")
    assert ["客服一组", "上级", "4", "4", "0", "4"] in _rows(page)
    late = page[page.index('id="late"'):]
    assert re.search(r"张晓燕</a>?<td>26", late) or re.search(r"张晓燕<td>26", late), late[:800]
