"""``mou-desk export`` and ``mou-desk import``: exit codes, --json, --dry-run, --apply-valid."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from mou_desk.cli.main import main
from mou_desk.services.desk import Desk


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "cli.sqlite3")
    assert run(capsys, "--db", path, "demo")[0] == 0
    return path


@pytest.fixture
def workbook(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "finance.xlsx"
    code, out, err = run(capsys, "--db", db, "export", str(path))
    assert (code, err) == (0, "")
    assert "6 mous" in out
    return path


def edit(path: Path, changes: dict[tuple[int, str], object], name: str) -> Path:
    book = openpyxl.load_workbook(path)
    sheet = book["MoUs"]
    columns = {c.value: c.column for c in sheet[1]}
    for (row, header), value in changes.items():
        sheet.cell(row=row, column=columns[header]).value = value
    target = path.with_name(name)
    book.save(target)
    return target


def test_unchanged_import_json_shape(
    db: str, workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", db, "import", str(workbook), "--json")
    report = json.loads(out)
    assert (code, err) == (0, "")
    assert {
        k: report[k] for k in ("created", "updated", "unchanged", "conflicts", "errors", "applied")
    } == {
        "created": 0,
        "updated": 0,
        "unchanged": 19,
        "conflicts": 0,
        "errors": 0,
        "applied": True,
    }


def test_edit_is_applied_and_logged(
    db: str, workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = edit(workbook, {(2, "Title"): "New title"}, "changed.xlsx")
    code, out, _ = run(capsys, "--db", db, "import", str(changed), "--dry-run", "--json")
    assert code == 0 and json.loads(out)["applied"] is False and json.loads(out)["updated"] == 1
    desk = Desk.open(db)
    assert desk.mous.by_ref("UP-JP-2025-001")["title"] != "New title"  # dry run wrote nothing
    desk.close()
    code, out, _ = run(capsys, "--db", db, "import", str(changed), "--json")
    report = json.loads(out)
    assert code == 0 and report["applied"] is True and report["updated"] == 1
    desk = Desk.open(db)
    assert desk.mous.by_ref("UP-JP-2025-001")["title"] == "New title"
    desk.close()


def test_invalid_rows_refuse_with_exit_1_and_nothing_written(
    db: str, workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = edit(
        workbook, {(2, "Next action due"): "03/04/2027", (3, "Title"): "Good edit"}, "bad.xlsx"
    )
    errors = tmp_path / "errors.xlsx"
    for extra in (["--dry-run"], []):
        code, out, err = run(
            capsys, "--db", db, "import", str(bad), "--json", "--errors-to", str(errors), *extra
        )
        report = json.loads(out)
        assert code == 1 and report["applied"] is False and report["errors"] == 1
        assert report["problems"][0]["row"] == "MoUs!2"
        assert "ambiguous" in " ".join(report["problems"][0]["messages"])
        assert ("MoUs!2" in err and "nothing was written" in err) or "would be refused" in err
        assert "Traceback" not in err
    assert openpyxl.load_workbook(errors)["MoUs"].max_row == 2
    desk = Desk.open(db)
    assert desk.mous.by_ref("UP-JP-2025-002")["title"] != "Good edit"
    desk.close()
    code, out, err = run(capsys, "--db", db, "import", str(bad), "--apply-valid")
    assert code == 1 and "left out" in err and "Created 0, updated 1" in out
    desk = Desk.open(db)
    assert desk.mous.by_ref("UP-JP-2025-002")["title"] == "Good edit"
    desk.close()


def test_unreadable_file_exits_2_in_one_line(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    code, out, err = run(capsys, "--db", db, "import", str(junk))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--db", db, "import", str(tmp_path / "missing.xlsx"))
    assert code == 2 and "not found" in err


def test_usage_errors_exit_2(db: str, workbook: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", db, "import", str(workbook), "--mapping", "nope")
    assert code == 2 and "No mapping is saved as 'nope'" in err
    code, _, err = run(capsys, "--db", db, "import", str(workbook), "--errors-to", str(workbook))
    assert code == 2 and "another file" in err
    code, _, err = run(capsys, "--db", db, "export", "out.pdf")
    assert code == 2 and ".xlsx" in err


def test_export_filters(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "proposal.xlsx"
    code, _, _ = run(capsys, "--db", db, "export", str(path), "--stage", "Proposal")
    assert code == 0
    stages = {
        r[7] for r in openpyxl.load_workbook(path)["MoUs"].iter_rows(min_row=2, values_only=True)
    }
    assert stages == {"Proposal"}
