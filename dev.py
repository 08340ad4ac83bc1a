#!/usr/bin/env python3
"""Bootstrap and run Beacon with nothing but Python 3.11+.

    python3 dev.py demo   # create .venv from requirements.lock, set up SQLite, seed, serve
    python3 dev.py test   # the whole test suite (SQLite, or DATABASE_URL when set)
    python3 dev.py <any beacon command ...>

The environment is rebuilt only when requirements.lock changes. The lock holds Beacon's dependencies
with its `dev` extra (tests, lint) and its `demo` extra (Faker, for `demo` and `seed`), so both are
installed here.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("BEACON_VENV", ROOT / ".venv"))
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".beacon-lock.sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs on whatever python3 the machine has
        sys.exit("Beacon needs Python 3.11 or newer.")
    digest = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        return
    if not (BIN / "python").exists():
        print(f"Creating the virtual environment in {VENV.name}/ ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    print("Installing the locked dependencies (requirements.lock) ...", flush=True)
    subprocess.check_call([*pip, "install", "--require-hashes", "-r", str(LOCK)])
    subprocess.check_call([*pip, "install", "--no-deps", "--no-build-isolation", "-e", str(ROOT)])
    STAMP.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    ensure_environment()
    env = dict(os.environ)
    if argv[0] == "test":
        # Both cores by default (pytest-xdist); pass your own -n or -p no:xdist to change it.
        chosen = any(a.startswith(("-n", "--numprocesses")) or a == "no:xdist" for a in argv[1:])
        parallel = [] if chosen else ["-n", "auto"]
        cmd = [str(BIN / "python"), "-m", "pytest", *parallel, *argv[1:]]
    else:
        cmd = [str(BIN / "beacon"), *argv]
    return subprocess.call(cmd, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
