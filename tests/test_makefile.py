"""`make test` without npm stops at once, saying what to install."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_test_without_npm_stops_before_building_anything(tmp_path):
    # A PATH with make and python3 but neither node nor npm.
    for tool in ("make", "python3"):
        found = shutil.which(tool)
        assert found is not None
        (tmp_path / tool).symlink_to(found)
    result = subprocess.run(
        ["make", "-C", str(ROOT), "test", "--no-print-directory"],
        env={**os.environ, "PATH": str(tmp_path)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    # The line number is wherever the check sits in the Makefile.
    line, _, message = result.stderr.partition(": *** ")
    assert re.fullmatch(r"Makefile:\d+", line)
    assert message == (
        "npm not found: the contract tests run the official Node.js client. "
        "Install Node.js 20 or newer with npm (e.g. the nodejs and npm packages of your "
        "system), then run `make test` again.  Stop.\n"
    )
