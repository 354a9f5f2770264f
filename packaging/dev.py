"""Set up MoU Desk from a checkout and run it, its tests or its checks. Needs only Python 3.11+.

    python packaging/dev.py app [ARGS...]    install into .venv and open MoU Desk
    python packaging/dev.py test [ARGS...]   install with the test tools and run the tests
    python packaging/dev.py check            lint, type-check, and check models against migrations

Dependencies come from the hash-locked files beside this script, so every machine runs the
same versions. The virtual environment is rebuilt only when a lock file changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("MOU_DESK_VENV", ROOT / ".venv"))
LOCKS = {
    "app": "requirements.lock",
    "test": "requirements-dev.lock",
    "check": "requirements-dev.lock",
}


def venv_bin(name: str) -> Path:
    folder = VENV / ("Scripts" if os.name == "nt" else "bin")
    return folder / (name + (".exe" if os.name == "nt" else ""))


def run(*command: object) -> None:
    result = subprocess.run([str(part) for part in command], cwd=ROOT, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_environment(lock_name: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs on any Python to say so
        sys.exit("MoU Desk needs Python 3.11 or newer; this is " + sys.version.split()[0])
    lock = ROOT / "packaging" / lock_name
    stamp_text = hashlib.sha256(
        lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()
    stamp = VENV / f".installed-{lock_name}"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == stamp_text:
        return
    if not venv_bin("python").exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, upgrade_deps=False).create(VENV)
    python = venv_bin("python")
    print(f"Installing locked dependencies from packaging/{lock_name} ...", flush=True)
    pip = [python, "-m", "pip", "--disable-pip-version-check", "-q"]
    run(*pip, "install", "--require-hashes", "-r", lock)
    run(*pip, "install", "--no-deps", "-e", ROOT)
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.write_text(stamp_text, encoding="utf-8")


def main(argv: list[str]) -> None:
    action = argv[0] if argv else "app"
    if action not in LOCKS:
        sys.exit(__doc__)
    ensure_environment(LOCKS[action])
    python = venv_bin("python")
    rest = argv[1:]
    if action == "app":
        run(python, "-m", "mou_desk", *rest)
    elif action == "test":
        # Spread over every core unless the caller chose (-n) or asked for one process (-n 0).
        spread = [] if any(arg.startswith("-n") for arg in rest) else ["-n", "auto"]
        run(python, "-m", "pytest", *spread, *rest)
    else:
        run(python, "-m", "ruff", "check", ".")
        run(python, "-m", "ruff", "format", "--check", ".")
        run(python, "-m", "mypy")
        check_migrations(python)


def check_migrations(python: Path) -> None:
    """Fail when models and migrations disagree: upgrade a fresh database, then alembic check."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        url = "sqlite:///" + str(Path(folder) / "check.sqlite3").replace("\\", "/")
        config = ROOT / "migrations" / "alembic.ini"
        for step in (["upgrade", "head"], ["check"]):
            run(python, "-m", "alembic", "-c", config, "-x", f"db={url}", *step)


if __name__ == "__main__":
    main(sys.argv[1:])
