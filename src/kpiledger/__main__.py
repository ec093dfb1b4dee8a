"""The `kpi` program (`python -m kpiledger`): the click commands of `cli`, then a fast exit.

A build of 120,000 records ends holding millions of objects (records, results, the site's
pages); the interpreter's teardown frees them one by one, 15–18 s after the work is done and
written. `run` flushes the output and leaves with the command's exit code instead, as mypy
does (`mypy.util.hard_exit`). Every file a command writes is closed and in place before its
command returns (`atomic`; temporary folders are `with` blocks), so nothing is lost. Tests that
call `cli.main` in their own process are not affected, nor a run under a profiler or
coverage (they write what they measured at exit).
"""

from __future__ import annotations

import os
import sys

from kpiledger.cli import main


def run() -> None:
    try:
        main()
        code: object = 0
    except SystemExit as e:
        code = e.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): said on stderr, status 1
        print(code, file=sys.stderr)
        code = 1
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or coverage writes what it measured at exit
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (`kpi … | head`): nothing more to say
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
