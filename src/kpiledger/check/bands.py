"""Band coverage geometry for the scheme checker: which stretches of an input's values the
bands of an item cover, and how many bands cover each.

Coverage is judged over the values the item's input can actually take (`input_domain`): a count
is a whole number ≥ 0, a ratio is ≥ 0, entered points lie in 0 … max, and other numbers —
percentages included, since a rate can fall — range over the whole line. The domain is cut at
every band bound (`regions`); one value of each piece is tested against every band, and
neighbouring pieces covered alike are merged (`runs`), so a gap or an overlap is found once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from kpiledger.model import Band
from kpiledger.numbers import percent_text, plain

ZERO = Decimal(0)

Shower = Callable[[Decimal], str]  # a bound → its text in a finding
_Piece = tuple[Decimal, Decimal | None, bool, Decimal | None, bool]
# (sample value, low, low_inclusive, high, high_inclusive)


@dataclass(frozen=True)
class Domain:
    """The values an input can take: a stretch of the number line, perhaps whole numbers only."""

    low: Decimal | None  # inclusive lower bound of the values an input can take
    high: Decimal | None  # inclusive upper bound
    integer: bool

    def describe(self, var: str, shown: Shower) -> str:
        """The domain as the finding words it: "X ≥ 0", or "any number"."""
        return _interval_text(var, self.low, True, self.high, True, shown) if (
            self.low is not None or self.high is not None) else "any number"


ANYWHERE = Domain(None, None, integer=False)


def input_domain(kind: str, full_marks: Decimal) -> Domain:
    """The values an input of this kind can take (`full_marks`: the item's max, for points)."""
    if kind == "count":
        return Domain(ZERO, None, integer=True)
    if kind == "ratio":  # a share of two counts
        return Domain(ZERO, None, integer=False)
    if kind == "points":
        return Domain(ZERO, full_marks, integer=False)
    return ANYWHERE


@dataclass(frozen=True)
class Region:
    """A piece of the domain on which every band either holds everywhere or nowhere."""

    low: Decimal | None
    low_inclusive: bool
    high: Decimal | None
    high_inclusive: bool
    covered: tuple[int, ...]  # indexes of the bands that hold here

    def describe(self, var: str, shown: Shower) -> str:
        """The piece as the finding words it: "60% ≤ X < 75%"."""
        return _interval_text(var, self.low, self.low_inclusive, self.high, self.high_inclusive,
                              shown)


def regions(bands: Iterable[Band], domain: Domain) -> list[Region]:
    """Cut the domain at every band bound; test one value of each piece against every band."""
    bands = tuple(bands)
    cuts = {x for b in bands for x in (b.low, b.high) if x is not None}
    cuts |= {x for x in (domain.low, domain.high) if x is not None}
    points = sorted(x for x in cuts if _in_domain(x, domain))
    pieces: list[_Piece] = []
    edges: list[Decimal | None] = [None, *points, None]
    for k in range(len(edges) - 1):
        lo, hi = edges[k], edges[k + 1]
        if lo is not None and (not domain.integer or lo == lo.to_integral_value()):
            pieces.append((lo, lo, True, lo, True))
        inner = _open_piece(lo, hi, domain)
        if inner is not None:
            pieces.append(inner)
    return [
        Region(lo, lo_inc, hi, hi_inc, tuple(i for i, b in enumerate(bands) if b.contains(v)))
        for v, lo, lo_inc, hi, hi_inc in pieces
        if _in_domain(v, domain)
    ]


def _open_piece(lo: Decimal | None, hi: Decimal | None, domain: Domain) -> _Piece | None:
    """The open stretch between two cuts, with a sample value, or None if it holds no value."""
    if domain.integer:
        first = ZERO if lo is None else (lo.to_integral_value(ROUND_FLOOR) + 1)
        last = None if hi is None else (hi.to_integral_value(ROUND_CEILING) - 1)
        if last is not None and first > last:
            return None
        return (first, first, True, last, True)
    if lo is None and hi is None:
        return (ZERO, None, False, None, False)
    if lo is None:
        return (hi - 1, None, False, hi, False)  # type: ignore[operator]
    if hi is None:
        return (lo + 1, lo, False, None, False)
    return ((lo + hi) / 2, lo, False, hi, False)


def _in_domain(v: Decimal, domain: Domain) -> bool:
    if domain.low is not None and v < domain.low:
        return False
    return domain.high is None or v <= domain.high


def runs(regions: list[Region]) -> list[Region]:
    """Merge neighbouring pieces covered by the same bands, so one gap is reported once."""
    out: list[Region] = []
    for r in regions:
        if out and out[-1].covered == r.covered:
            last = out[-1]
            out[-1] = Region(last.low, last.low_inclusive, r.high, r.high_inclusive, r.covered)
        else:
            out.append(r)
    return out


def shower(percent: bool) -> Shower:
    """How bounds are written in findings: as percentages, or as plain numbers."""
    return (lambda v: percent_text(v)) if percent else plain


def _interval_text(var: str, low: Decimal | None, low_inc: bool, high: Decimal | None,
                   high_inc: bool, shown: Shower) -> str:
    if low is not None and high is not None and low == high:
        return f"{var} = {shown(low)}"
    if low is None and high is None:
        return f"every {var}"
    if low is None:
        return f"{var} {'≤' if high_inc else '<'} {shown(high)}"
    if high is None:
        return f"{var} {'≥' if low_inc else '>'} {shown(low)}"
    return f"{shown(low)} {'≤' if low_inc else '<'} {var} {'≤' if high_inc else '<'} {shown(high)}"
