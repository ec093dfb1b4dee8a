"""The public edition (公开版): what may be shown to anyone, and nothing else.

A public site is read by people outside the company, so it names no one: names are masked
(张三 → 张*), and a person's page address and every reference to them is a *pseudonym*, the
first 16 hex digits of HMAC-SHA256(site key, employee id). Employee ids are short and
enumerable (E0001…), so a plain hash of one could be reversed by trying them all; the key,
kept outside the repository (the CI secret `KPI_SITE_KEY`), makes the address stable from
build to build yet not derivable from the id.

`public_document` is the results contract projected onto what the public site shows: a
whitelist, so a field added to the contract later stays private until it is listed here.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from typing import Any

from kpiledger.model import Org

SITE_KEY_ENV = "KPI_SITE_KEY"
MIN_KEY_CHARS = 32  # 128 bits of hex: a guessed key must be out of reach
TOKEN_HEX = 16

# Two-character surnames: masking keeps the whole surname (欧阳锋 → 欧阳*).
_COMPOUND = (
    "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 尉迟 长孙 宇文 司徒 夏侯 轩辕 公孙 端木 独孤 "
    "南宫 西门 万俟 闻人 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 钟离 呼延 司空 亓官 赫连"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND.split())

_RESULT_FIELDS = ("period", "scheme", "group", "unit", "total", "rank", "of", "grade", "status")
_ITEM_FIELDS = ("id", "title", "points", "weight", "max", "contribution")
_EVENT_FIELDS = ("period", "periods", "scheme", "rule", "title", "outcome")
_EVENT_FIELDS_EN = ("title_en", "outcome_en")  # the detail names totals: left out like `detail`


class SiteKeyError(ValueError):
    """No usable site key for the public edition."""


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳锋锋 → 欧阳**, Zhang San → Z**** ***: surname kept, the rest hidden."""
    if not name:
        return name
    keep = _surname_length(name)
    return name[:keep] + "".join(" " if c.isspace() else "*" for c in name[keep:])


def given_name(name: str) -> str:
    """张晓燕 → 晓燕, 欧阳明月 → 明月: the name after the surname, for search (jieba keeps a
    whole name as one word, so a given name alone found nothing); "" for a name that is not
    two to five Han characters (a Latin name splits at its spaces already)."""
    if not (2 <= len(name) <= 5 and all("\u4e00" <= c <= "\u9fff" for c in name)):
        return ""
    return name[_surname_length(name):]


def _surname_length(name: str) -> int:
    return 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1


def shown_name(org: Org, assessee: str, fallback: str | None, lang: str, masked: bool) -> str:
    """The name a site shows for an assessee (raw text): a person's name (English when the
    site is, if known), masked in the public edition; a unit's name; else `fallback`."""
    person = org.people.get(assessee)
    if person is not None:
        name = person.name_en if lang == "en" and person.name_en else person.name
        return mask_name(name) if masked else name
    if assessee in org.units:
        return org.units[assessee].name
    if fallback is not None:
        return mask_name(fallback) if masked else fallback
    return assessee


def site_key(environ: Mapping[str, str] | None = None) -> bytes:
    """The public edition's key from `KPI_SITE_KEY`; raises SiteKeyError when it is missing
    or too short to keep the addresses from being guessed."""
    value = (os.environ if environ is None else environ).get(SITE_KEY_ENV, "").strip()
    if len(value) < MIN_KEY_CHARS:
        raise SiteKeyError(
            f"公开版需要站点密钥：请把至少 {MIN_KEY_CHARS} 个字符的随机串放进环境变量 "
            f"{SITE_KEY_ENV}（如 python3 -c \"import secrets; print(secrets.token_hex(32))\"，"
            "在 CI 中存为机密），它让个人页面地址稳定而无法由工号推出 / the public edition "
            f"needs a site key: put a random string of at least {MIN_KEY_CHARS} characters in "
            f"{SITE_KEY_ENV} (a CI secret); it keeps page addresses stable yet not derivable "
            "from employee ids"
        )
    return value.encode("utf-8")


def pseudonym(key: bytes, person: str) -> str:
    """A person's stable public token: 16 hex digits of HMAC-SHA256(key, id)."""
    return hmac.new(key, person.encode("utf-8"), hashlib.sha256).hexdigest()[:TOKEN_HEX]


def public_document(document: Mapping[str, Any], key: bytes, org: Org,
                    lang: str = "zh") -> dict[str, Any]:
    """The results contract as the public edition publishes it: people by pseudonym with
    masked names (as the site shows them), no money, no inputs, no comments, no files or
    commit authors."""

    def who(assessee: str) -> str:  # a unit assessed as a whole keeps its id
        return pseudonym(key, assessee) if assessee in org.people else assessee

    def result(r: Mapping[str, Any]) -> dict[str, Any]:
        out = {k: r.get(k) for k in _RESULT_FIELDS}
        out["person"] = who(str(r["assessee"]))
        out["name"] = shown_name(org, str(r["assessee"]), r.get("name"), lang, masked=True)
        out["items"] = [{k: i.get(k) for k in _ITEM_FIELDS} for i in r.get("items", [])]
        return out

    def event(e: Mapping[str, Any]) -> dict[str, Any]:
        out = {k: e.get(k) for k in _EVENT_FIELDS}
        out |= {k: e[k] for k in _EVENT_FIELDS_EN if k in e}
        out["person"] = who(str(e["assessee"]))
        return out

    return {
        "version": document.get("version", 1),
        "edition": "public",
        **({"period": document["period"]} if "period" in document else {}),  # one period's
        "results": [result(r) for r in document.get("results", [])],
        "aggregates": [result(r) for r in document.get("aggregates", [])],
        "events": [event(e) for e in document.get("events", [])],
        "warnings": [event(w) for w in document.get("warnings", [])],
    }


_RECORD_NAME = re.compile(r"^(?P<dir>(?:.*/)?)(?P<who>[^/.]+)(?P<rest>(?:\.[^/]*)?)$")


def public_file(rel: str, key: bytes, people: Mapping[str, object]) -> str:
    """A record's path with the assessee's id replaced by their pseudonym
    (2026-03/cs-team-1/E1101.self.yaml → 2026-03/cs-team-1/3f…e1.self.yaml)."""
    m = _RECORD_NAME.match(rel)
    if m is None or m["who"] not in people:
        return rel
    return f"{m['dir']}{pseudonym(key, m['who'])}{m['rest']}"
