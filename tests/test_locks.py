"""Process marks tell a live writer from a dead one, across real processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import REPO
from vetting.locks import ProcessMark

_HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from vetting.locks import ProcessMark
    print(ProcessMark(Path(sys.argv[1])).hold(), flush=True)
    time.sleep(float(sys.argv[2]))
    """
)


def _holder(directory: Path, seconds: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(directory), str(seconds)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )


def test_a_live_process_is_alive_and_a_killed_one_is_not(tmp_path: Path) -> None:
    mine = ProcessMark(tmp_path)
    assert mine.is_alive(mine.hold()) is True
    holder = _holder(tmp_path, 60)
    assert holder.stdout is not None
    token = holder.stdout.readline().strip()
    assert mine.is_alive(token) is True
    holder.kill()  # SIGKILL: no clean-up code runs, the kernel releases the lock
    holder.wait(timeout=30)
    assert mine.is_alive(token) is False
    mine.forget(token)
    assert mine.is_alive(token) is None  # its mark is gone: only the age of its intents can tell


def test_a_writer_on_another_machine_cannot_be_judged_here(tmp_path: Path) -> None:
    assert ProcessMark(tmp_path).is_alive("elsewhere.example:123:abcd1234") is None
