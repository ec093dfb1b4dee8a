"""Long commands show a progress bar to a person at a terminal and stay quiet in CI."""

from __future__ import annotations

import io
import sys

import pytest

from kpiledger.authoring.feedback import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO, ci: str | None) -> str:
    monkeypatch.setattr(sys, "stderr", stream)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert list(progress("写入记录")(range(5))) == [0, 1, 2, 3, 4]  # every item still comes
    return stream.getvalue()


def test_a_person_at_a_terminal_sees_a_progress_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = run(monkeypatch, Terminal(), None)
    assert "写入记录" in shown and "100%" in shown


def test_ci_and_pipes_stay_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(monkeypatch, Terminal(), "true") == ""
    assert run(monkeypatch, io.StringIO(), None) == ""
