"""Reading plain loaded data without raising: a value of the wrong type reads as empty (the
schema has already said what is wrong with it)."""

from __future__ import annotations

from typing import Any


def text(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def strs(value: Any) -> tuple[str, ...]:
    """A name or a list of names (ids written as numbers too) as a tuple of text."""
    if isinstance(value, str):
        return (value,)
    return tuple(
        str(v) for v in listed(value) if isinstance(v, str | int) and not isinstance(v, bool)
    )
