"""Build the one-folder MoU Desk app, zip it and smoke-test it.

    python packaging/build.py [--skip-smoke-test]

Needs PyInstaller in the running Python (``pip install pyinstaller``). Writes
build/dist/MoU Desk/ (the app) and build/dist/mou-desk-<version>-<platform>.zip, then runs
the built executable's ``--smoke-test`` and prints the sizes and times. Exit code 0 only when
the build and the smoke test both succeeded. On Windows, packaging/windows/mou-desk.iss turns
the folder into the installer (see packaging/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = BUILD / "dist"
APP = DIST / "MoU Desk"
WINDOWS = sys.platform == "win32"


def version() -> str:
    text = (ROOT / "mou_desk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__ = "([^"]+)"', text)
    assert match is not None
    return match.group(1)


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{system}-{platform.machine().lower()}"


def folder_size(folder: Path) -> int:
    """Bytes on disk; symbolic links (PyInstaller makes some on Linux) count as links."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_symlink() or p.is_file())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def build() -> float:
    started = time.perf_counter()
    shutil.rmtree(APP, ignore_errors=True)
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(DIST), "--workpath", str(BUILD / "work"),
        str(ROOT / "packaging" / "mou_desk.spec"),
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, check=True)
    return time.perf_counter() - started


def make_zip(target: Path) -> None:
    target.unlink(missing_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(APP.rglob("*")):
            name = str(Path(APP.name) / path.relative_to(APP))
            if path.is_symlink():  # kept a link, as unzip on Linux restores it
                info = zipfile.ZipInfo(name)
                info.external_attr = 0o120777 << 16
                archive.writestr(info, str(path.readlink()))
            else:
                archive.write(path, name)


def executable() -> Path:
    return APP / ("mou-desk.exe" if WINDOWS else "mou-desk")


def smoke_test() -> tuple[int, float]:
    """Run the built app's --smoke-test with a throwaway MOU_DESK_HOME, from outside the repo."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    for name in ("PYTHONPATH", "MOU_DESK_DB", "MOU_DESK_RESOURCES"):
        env.pop(name, None)
    with tempfile.TemporaryDirectory(prefix="mou-desk-build-") as home:
        env["MOU_DESK_HOME"] = home
        started = time.perf_counter()
        result = subprocess.run(
            [str(executable()), "--smoke-test"], cwd=home, env=env, check=False, timeout=300
        )
        return result.returncode, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-smoke-test", action="store_true")
    args = parser.parse_args()
    build_seconds = build()
    archive = DIST / f"mou-desk-{version()}-{platform_tag()}.zip"
    make_zip(archive)
    print(f"App folder:  {APP}")
    print(f"Unpacked:    {megabytes(folder_size(APP))}")
    print(f"Compressed:  {megabytes(archive.stat().st_size)}  ({archive.name})")
    print(f"Build time:  {build_seconds:.1f} s")
    if args.skip_smoke_test:
        return 0
    code, smoke_seconds = smoke_test()
    print(f"Smoke test:  {'passed' if code == 0 else f'FAILED (exit {code})'} "
          f"in {smoke_seconds:.1f} s")  # fmt: skip
    return code


if __name__ == "__main__":
    sys.exit(main())
