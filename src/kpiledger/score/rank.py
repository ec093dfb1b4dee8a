"""Ranking within groups, over the whole results table at once (pandas).

Ties share the place (1, 1, 3): `rank(method="min")` on the published total, so two people
shown with the same number always share a place. Totals are compared exactly as Decimals —
never as floats: each distinct total is replaced by its place in the sorted list of all
totals, a small integer whatever the total's size (a total × 10^precision overflowed int64).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pandas as pd


def rank_groups(
    rows: Sequence[tuple[str, str, str, Decimal | None, int]],
) -> list[tuple[int | None, int]]:
    """rows: (period, scheme, group, published total or None, precision) → (rank, of) each.

    Rows without a total are not ranked (rank None); `of` is how many are ranked in the group.
    """
    if not rows:
        return []
    order = {t: k for k, t in enumerate(sorted({r[3] for r in rows if r[3] is not None}))}
    frame = pd.DataFrame(
        {
            "period": [r[0] for r in rows],
            "scheme": [r[1] for r in rows],
            "group": [r[2] for r in rows],
            "key": [None if r[3] is None else order[r[3]] for r in rows],
        }
    )
    keys = ["period", "scheme", "group"]
    ranked = frame[frame["key"].notna()].copy()
    if ranked.empty:
        return [(None, 0)] * len(rows)
    ranked["key"] = ranked["key"].astype("int64")
    ranked["rank"] = ranked.groupby(keys, sort=False)["key"].rank(method="min", ascending=False)
    sizes = ranked.groupby(keys, sort=False).size()
    size_of = {k: int(v) for k, v in sizes.items()}
    rank_of = dict(zip(ranked.index, ranked["rank"].astype("int64"), strict=True))
    return [
        (int(rank_of[i]) if i in rank_of else None, size_of.get((r[0], r[1], r[2]), 0))
        for i, r in enumerate(rows)
    ]

