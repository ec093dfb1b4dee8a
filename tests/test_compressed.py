"""The site's results document keeps each result's items and records compressed
(publish/compressed.py): read back, compared and written, they are the list they were."""

from __future__ import annotations

import orjson
import pytest

from kpiledger.keyed_cache import data_digest
from kpiledger.publish.compressed import CompressedList, as_plain

ITEMS = [
    {"id": "conversion", "title": "询单转化率", "by": ["superior"],
     "inputs": {"superior": {"numerator": "347", "denominator": "409"}},
     "value": "0.848411", "rule": "X = 84.8411%：X ≥ 75% → 100分", "points": "100.00",
     "weight": "35", "max": None, "contribution": "35.00"},
    {"id": "attendance", "title": "考勤", "by": ["superior"], "inputs": {"superior": []},
     "value": "0", "rule": "无扣分 → 10分", "points": "10.00", "weight": None, "max": "10",
     "contribution": "10.00", "flag": True},
]


def test_reads_back_the_same_list_in_the_same_order() -> None:
    packed = CompressedList(ITEMS)
    assert list(packed) == ITEMS
    assert [list(i) for i in packed] == [list(i) for i in ITEMS]  # key order kept
    assert len(packed) == 2
    assert packed[1]["title"] == "考勤"
    assert packed[-1:] == ITEMS[-1:]
    assert packed == ITEMS and packed == CompressedList(ITEMS)
    assert packed != ITEMS[:1] and packed != CompressedList(ITEMS[:1])
    assert CompressedList([]) == [] and not CompressedList([])


def test_each_read_is_a_fresh_copy() -> None:
    packed = CompressedList(ITEMS)
    first = packed.unpack()
    first[0]["title"] = "changed"
    assert packed[0]["title"] == "询单转化率"


def test_written_as_the_list_it_holds() -> None:
    doc = {"results": [{"items": CompressedList(ITEMS), "total": "101.00"}]}
    plain = {"results": [{"items": ITEMS, "total": "101.00"}]}
    options = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
    assert orjson.dumps(doc, default=as_plain, option=options) == orjson.dumps(plain,
                                                                               option=options)
    # a person's page key: the same for the same items, another for other items
    assert data_digest(doc) == data_digest({"results": [{"items": CompressedList(ITEMS),
                                                         "total": "101.00"}]})
    assert data_digest(doc) != data_digest({"results": [{"items": CompressedList(ITEMS[:1]),
                                                         "total": "101.00"}]})
    with pytest.raises(TypeError):
        orjson.dumps({"x": object()}, default=as_plain)


def test_smaller_than_the_text_it_holds() -> None:
    many = ITEMS * 5
    assert CompressedList(many).nbytes < len(orjson.dumps(many)) / 3
