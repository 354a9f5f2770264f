"""``mou-desk report``: the command-line contract, exit codes, and reproducible output."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from mou_desk.cli.main import main
from mou_desk.cli.report_command import COMMANDS, ReportCommand
from mou_desk.domain.errors import DeskError
from mou_desk.services.desk import Desk

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "cli.sqlite3"
    desk = Desk.open(path, clerk="Test Clerk")
    from mou_desk.services.demo import load_demo

    load_demo(desk)
    desk.close()
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _text(path: Path) -> str:
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in PdfReader(path).pages))


def test_the_module_declares_the_report_command() -> None:
    assert [c.name for c in COMMANDS] == ["report"]
    parser = argparse.ArgumentParser()
    COMMANDS[0].add_arguments(parser)
    args = parser.parse_args(["x.pdf"])
    assert (args.file, args.kind, args.lang, args.stage) == ("x.pdf", None, "en", None)


def test_plain_report_is_the_portfolio(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "status.pdf"
    code, out, err = run(capsys, "--db", db, "report", str(target))
    assert (code, err) == (0, "") and str(target) in out
    text = _text(target)
    assert "MoU status report" in text and "田中電気株式会社" in text and "Page 1 /" in text


def test_kinds_filters_and_language(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "r.pdf"
    assert (
        run(
            capsys,
            "--db",
            db,
            "report",
            str(target),
            "--stage",
            "Proposal",
            "--sector",
            "ev & batteries",
        )[0]
        == 0
    )
    text = _text(target)
    assert "Filters: Stage: Proposal; Sector: EV & batteries" in text
    assert "UP-JP-2025-002" in text and "UP-JP-2025-004" not in text
    assert (
        run(capsys, "--db", db, "report", str(target), "--mou", "UP-JP-2025-003", "--lang", "hi")[0]
        == 0
    )
    assert "चरण" in _text(target) and "UP-JP-2025-003" in _text(target)
    assert (
        run(
            capsys,
            "--db",
            db,
            "report",
            str(target),
            "--kind",
            "trip",
            "--trip",
            "Japan delegation, July 2025",
        )[0]
        == 0
    )
    assert "Meeting with Tanaka Electric" in _text(target)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--mou", "UP-XX-9"], 1, "No MoU has the reference 'UP-XX-9'"),
        (["--trip", "Korea, 2026"], 1, "No trip is named 'Korea, 2026'"),
        (["--sector", "Tourism"], 1, "No MoU has the sector 'Tourism'"),
        (["--kind", "dossier"], 2, "needs the MoU's reference"),
        (["--kind", "trip"], 2, "needs the trip's name"),
        (["--mou", "UP-JP-2025-001", "--trip", "X"], 2, "not both"),
        (["--kind", "portfolio", "--mou", "UP-JP-2025-001"], 2, "--mou goes with the dossier"),
        (["--mou", "UP-JP-2025-001", "--stage", "signing"], 2, "portfolio report only"),
        (["--as-of", "03/04/2025"], 2, "--as-of"),
    ],
)
def test_refusals_are_one_line_with_the_right_exit_code(
    db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
) -> None:
    target = tmp_path / "x.pdf"
    got, _out, err = run(capsys, "--db", db, "report", str(target), *args)
    assert got == code
    assert message in err and "Traceback" not in err and err.count("\n") == 1
    assert not target.exists()


def test_argparse_usage_errors_exit_2(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (["--stage", "finished"], ["--lang", "fr"], ["--kind", "summary"], []):
        with pytest.raises(SystemExit) as info:
            main(["--db", db, "report", *([str(tmp_path / "x.pdf")] if args else []), *args])
        assert info.value.code == 2
    capsys.readouterr()
    assert run(capsys, "--db", db, "report", str(tmp_path / "no" / "x.pdf"))[0] == 2


def test_run_directly_with_a_desk(tmp_path: Path) -> None:
    desk = Desk.open(tmp_path / "d.sqlite3", clerk="Test Clerk")
    parser = argparse.ArgumentParser()
    command = ReportCommand()
    command.add_arguments(parser)
    assert command.run(parser.parse_args([str(tmp_path / "empty.pdf")]), desk) == 0
    assert "No MoU matches the filters." in _text(tmp_path / "empty.pdf")
    with pytest.raises(DeskError) as info:
        command.run(parser.parse_args([str(tmp_path / "x.pdf"), "--mou", "UP-1"]), desk)
    assert info.value.exit_code == 1
    desk.close()


_SCRIPT = """
import sys
from datetime import date
from mou_desk.services.desk import Desk
from mou_desk.services.reports import write_report
desk = Desk.open(sys.argv[1])
for kind, extra in (("trip", {"trip_name": "Japan delegation, July 2025"}),
                    ("dossier", {"mou_ref": "UP-JP-2025-001"})):
    write_report(desk, sys.argv[2], kind=kind, lang="hi", as_of=date(2026, 11, 1), **extra)
write_report(desk, sys.argv[2], lang="hi", as_of=date(2026, 11, 1))
"""


def test_same_bytes_in_a_fresh_process_and_after_other_reports(db: str, tmp_path: Path) -> None:
    """Hindi glyph numbering must not depend on what the process rendered before."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mou_desk.cli.main",
            "--db",
            db,
            "report",
            str(first),
            "--lang",
            "hi",
            "--as-of",
            "01-11-2026",
        ],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-c", _SCRIPT, db, str(second)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    assert first.read_bytes() == second.read_bytes()
