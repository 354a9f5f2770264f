"""The command-line contract of DESIGN.md for the register's commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mou_desk.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_then_list_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.sqlite3")
    assert run(capsys, "--db", db, "demo")[0] == 0
    code, out, _ = run(capsys, "--db", db, "demo")
    assert code == 0 and "already" in out
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 6
    keys = {"id", "ref", "title", "lead_partner", "stage", "status", "sector", "district",
            "proposed_inr", "next_action_due"}  # fmt: skip
    assert keys <= set(rows[0])
    magnets = next(r for r in rows if r["lead_partner"] == "Tanaka Electric Co. Ltd.")
    assert magnets["proposed_inr"] == "1142400000.00" and magnets["stage"] == "investment"
    code, out, _ = run(capsys, "--db", db, "list", "--search", "電気", "--json")
    assert [r["ref"] for r in json.loads(out)] == [magnets["ref"]]
    code, out, _ = run(capsys, "--db", db, "list", "--stage", "Proposal")
    assert code == 0 and "6 MoUs" not in out and "proposal" in out


def test_usage_errors_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cli.sqlite3")
    code, _, err = run(capsys, "--db", db, "list", "--stage", "negotiation")
    assert code == 2 and "not a stage" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as caught:
        main(["--db", db, "frobnicate"])
    assert caught.value.code == 2


def test_commands_of_later_issues_do_not_exist_before_they_work() -> None:
    from mou_desk.cli.main import available_commands

    names = {c.name for c in available_commands()}
    assert {"demo", "list", "backup", "restore"} <= names


def test_unreadable_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(text), "list")
    assert code == 2 and "not a MoU Desk database" in err
    assert text.read_text(encoding="utf-8") == "not a database"


def test_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.sqlite3")
    run(capsys, "--db", db, "demo")
    copy = tmp_path / "copy.sqlite3"
    assert run(capsys, "--db", db, "backup", str(copy))[0] == 0
    other = str(tmp_path / "other.sqlite3")
    assert run(capsys, "--db", other, "list", "--json")[1].strip() == "[]"
    code, out, _ = run(capsys, "--db", other, "restore", str(copy))
    assert code == 0 and "kept" in out
    assert len(json.loads(run(capsys, "--db", other, "list", "--json")[1])) == 6
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(copy.read_bytes()[:5000])
    code, _, err = run(capsys, "--db", other, "restore", str(broken))
    assert code == 2 and "restore" not in err.lower().split(":")[0]
    assert len(json.loads(run(capsys, "--db", other, "list", "--json")[1])) == 6


def test_the_installed_command_runs_without_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "proc.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "mou_desk", "--db", str(db), "list", "--stage", "nope"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_restore_is_for_admins_once_roles_are_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "shared.sqlite3")
    run(capsys, "--db", db, "demo")
    copy = tmp_path / "copy.sqlite3"
    run(capsys, "--db", db, "backup", str(copy))
    assert (
        run(capsys, "--db", db, "--clerk", "Ravi Kumar", "role", "grant", "Ravi Kumar", "admin")[0]
        == 0
    )
    assert (
        run(capsys, "--db", db, "--clerk", "Ravi Kumar", "role", "grant", "Meena Verma", "clerk")[0]
        == 0
    )
    code, _, err = run(capsys, "--db", db, "--clerk", "Meena Verma", "restore", str(copy))
    assert code == 1 and "Meena Verma" in err and "admin" in err
    assert run(capsys, "--db", db, "--clerk", "Ravi Kumar", "restore", str(copy))[0] == 0


def test_the_desktop_opens_without_importing_command_modules() -> None:
    """``mou-desk`` with no command must not pay for reportlab, openpyxl or the commands."""
    code = (
        "import sys\n"
        "import mou_desk.cli.main as cli\n"
        "import mou_desk.ui.app as app\n"
        "app.run = lambda database, argv: 0\n"
        "assert cli.main(['--db', sys.argv[1]]) == 0\n"
        "heavy = ('reportlab', 'openpyxl', 'xlsxwriter', 'mou_desk.cli.register_commands')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "unused.sqlite3"], capture_output=True, text=True,
        check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
