"""Decimal helpers: every published or compared number goes through here.

Floats are converted through `str` so that a YAML `1.1` stays exactly 1.1, and rounding is
always half up (四舍五入) — Python's default banker's rounding would print 2.675 as 2.67.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache

# Enough digits for money and scores with room to spare; traps make bad arithmetic loud.
CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP, Emax=999_999, Emin=-999_999)

_PERCENT = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*[%％]\s*$")
HUNDRED = Decimal(100)


class NumberError(ValueError):
    """A value that should be a number is not one."""


def to_decimal(x: int | float | str | Decimal) -> Decimal:
    """int/float/str/Decimal → finite Decimal; bools and non-finite values are refused."""
    kind = type(x)
    if kind is bool:  # bool is an int subclass; True is never a score
        raise NumberError(f"not a number: {x!r}")
    if kind is Decimal:
        d = x
    elif kind is int:
        d = Decimal(x)
    elif kind is float:
        d = Decimal(str(x))  # the shortest repr: 1.1 → Decimal("1.1"), not 1.100000000000000088…
    elif isinstance(x, str):
        try:
            d = Decimal(x.strip())
        except InvalidOperation:
            raise NumberError(f"not a number: {x!r}") from None
    elif isinstance(x, bool):
        raise NumberError(f"not a number: {x!r}")
    elif isinstance(x, Decimal | int):  # subclasses: slower, same answer
        d = Decimal(x)
    elif isinstance(x, float):
        d = Decimal(str(x))
    else:
        raise NumberError(f"not a number: {x!r}")
    if not d.is_finite():
        raise NumberError(f"not a finite number: {x!r}")
    return d


def is_percent_text(x: object) -> bool:
    return isinstance(x, str) and _PERCENT.match(x) is not None


def parse_percent(text: str) -> Decimal:
    """"92.5%" → Decimal("0.925"). A bare number is refused so 92 and 0.92 never mix."""
    m = _PERCENT.match(text) if isinstance(text, str) else None
    if m is None:
        raise NumberError(f"not a percentage: {text!r}")
    return CONTEXT.divide(Decimal(m.group(1)), HUNDRED)


_QUANTUM = [Decimal(1).scaleb(-p) for p in range(13)]


def _wide(d: Decimal, places: int) -> Context:
    """A context with enough digits for `d` at `places` decimals: quantize refuses to drop
    whole digits, and a 40-digit number typed by mistake must get a message, not a crash."""
    digits = max(d.adjusted(), 0) + places + 2
    return Context(prec=digits, rounding=ROUND_HALF_UP, Emax=CONTEXT.Emax, Emin=CONTEXT.Emin)


_ROOM = CONTEXT.prec - 14  # whole digits that CONTEXT can always quantize to 12 decimals


def round_half_up(d: Decimal, places: int = 2) -> Decimal:
    """四舍五入 to `places` decimals: 2.675 → 2.68, 0.125 → 0.13, -2.5 → -3 (away from zero)."""
    q = _QUANTUM[places] if 0 <= places < len(_QUANTUM) else Decimal(1).scaleb(-places)
    context = CONTEXT if d.adjusted() < _ROOM else _wide(d, places)
    return d.quantize(q, rounding=ROUND_HALF_UP, context=context)


def fmt(d: Decimal, places: int = 2) -> str:
    """The published text of a number: fixed `places` decimals, rounded half up, no exponent."""
    try:
        return _fmt(d, places)
    except TypeError:  # a signalling NaN cannot be hashed: said by round_half_up below
        return _fmt.__wrapped__(d, places)


# The text depends on the value alone (1.0 and 1.00 give the same; so do 0 and -0), so equal
# numbers share one cached text: 120,000 results publish 3.6 million numbers, mostly the
# same few hundred scores, and each text is made and kept once.
@lru_cache(maxsize=1 << 16)
def _fmt(d: Decimal, places: int) -> str:
    r = round_half_up(d, places)
    if r.is_zero():
        r = abs(r)  # never publish "-0.00"
    return f"{r:f}"


def plain(d: Decimal) -> str:
    """A number as written, without trailing zeros or exponent: 35 → "35", 7.50 → "7.5"."""
    try:  # -0 is written "-0" (as given): equal to 0, so the sign is part of the key
        return _plain(d, d.is_signed())
    except TypeError:
        return _plain.__wrapped__(d, d.is_signed())


@lru_cache(maxsize=1 << 12)  # weights and maxima: a scheme's few constants
def _plain(d: Decimal, signed: bool) -> str:
    if d == d.to_integral_value():
        context = CONTEXT if d.adjusted() < _ROOM else _wide(d, 0)
        return f"{d.quantize(_QUANTUM[0], context=context):f}"
    return f"{d.normalize(CONTEXT):f}"


def percent_text(d: Decimal, places: int = 4) -> str:
    """A fraction shown as the documents show it: 0.745 → "74.5%"."""
    return plain(round_half_up(CONTEXT.multiply(d, HUNDRED), places)) + "%"
