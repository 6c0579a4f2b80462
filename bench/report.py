"""What every bench script prints beside its figures: lines as they come, and the code state measured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("analysis", "crawler", "service", "store", "api", "cartwatch")


def say(line: str = "") -> None:
    """One output line, flushed at once (long runs are read while they go)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def code_state() -> str:
    """The commit measured, and how many of our source files differ from it (others edit them)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    dirty = git("status", "--porcelain", "--", *SOURCE_DIRS).splitlines()
    return f"code at {git('rev-parse', '--short', 'HEAD')}" + (f" + {len(dirty)} uncommitted source file(s)" if dirty else "")
