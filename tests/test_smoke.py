"""``python -m mou_desk --smoke-test`` passes and leaves the clerk's data folder alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_smoke_test_passes_without_touching_the_clerks_folder(tmp_path: Path) -> None:
    clerk_home = tmp_path / "clerk"
    clerk_home.mkdir()
    (clerk_home / "keep.txt").write_text("the clerk's", encoding="utf-8")
    env = {**os.environ, "MOU_DESK_HOME": str(clerk_home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("MOU_DESK_DB", None)
    result = subprocess.run(
        [sys.executable, "-m", "mou_desk", "--smoke-test"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "passed" in result.stdout
    assert sorted(p.name for p in clerk_home.iterdir()) == ["keep.txt"]
