"""mou-desk replica / sync / conflicts: what a clerk types and what comes back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mou_desk.cli.main import main
from mou_desk.services.desk import Desk


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "office.sqlite3")
    assert run(capsys, "--db", db, "--clerk", "Office", "demo")[0] == 0
    return db


def edit(db: str, ref: str, clerk: str, **values: str) -> None:
    desk = Desk.open(db, clerk=clerk)
    mou = desk.mous.by_ref(ref)
    desk.mous.update(mou.id, values, mou.version)
    desk.close()


def test_replica_create_sync_conflicts_resolve(
    office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = str(tmp_path / "laptop.sqlite3")
    code, out, _ = run(capsys, "--db", office, "replica", "create", laptop)
    assert code == 0 and "Made the replica" in out and "6 MoUs" in out
    code, out, _ = run(capsys, "--db", laptop, "replica", "status")
    assert code == 0 and "Offline replica of sqlite:///" in out and "Last synced:" in out
    code, out, _ = run(capsys, "--db", office, "replica", "status")
    assert "not a replica" in out

    ref = json.loads(run(capsys, "--db", office, "list", "--json")[1])[0]["ref"]
    edit(laptop, ref, "Laptop", notes="from the trip", district="Agra")
    edit(office, ref, "Office", notes="from the office")
    code, out, err = run(capsys, "--db", laptop, "--clerk", "Laptop", "sync")
    assert code == 1, err
    assert "Sent 1 change" in out and "1 conflict (1 new) wait for your decision" in out
    assert "mou-desk conflicts resolve ID mine|theirs" in out
    code, out, _ = run(capsys, "--db", laptop, "conflicts")
    assert code == 0 and "mine:     from the trip" in out and "theirs:   from the office" in out
    listed = json.loads(run(capsys, "--db", laptop, "conflicts", "--json")[1])
    assert [(c["field"], c["label"].split(" — ")[0]) for c in listed] == [("notes", ref)]
    code, out, _ = run(
        capsys, "--db", laptop, "conflicts", "resolve", listed[0]["id"][:8], "theirs"
    )
    assert code == 0 and "keeping theirs (from the office)" in out
    code, out, _ = run(capsys, "--db", laptop, "--clerk", "Laptop", "sync", "--json")
    result = json.loads(out)
    assert code == 0 and result["conflicts"] == {"new": 0, "waiting": 0, "settled": 1}
    assert run(capsys, "--db", laptop, "conflicts")[1].startswith("No conflicts")


def test_sync_files_through_the_command_line(
    office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = str(tmp_path / "laptop.sqlite3")
    run(capsys, "--db", office, "replica", "create", laptop, "--sector", "pharmaceuticals")
    ref = json.loads(run(capsys, "--db", laptop, "list", "--json")[1])[0]["ref"]
    edit(laptop, ref, "Laptop", notes="signed copy on the way")
    changes = str(tmp_path / "trip.mousync")
    code, out, _ = run(capsys, "--db", laptop, "sync", "export", changes)
    assert code == 0 and "Wrote 1 changed record" in out
    code, out, _ = run(capsys, "--db", office, "sync", "import", changes)
    assert code == 0 and "trip.answer.mousync" in out
    code, out, _ = run(
        capsys, "--db", laptop, "sync", "import", str(tmp_path / "trip.answer.mousync")
    )
    assert code == 0 and "Took in" in out
    listed = json.loads(run(capsys, "--db", office, "list", "--json")[1])
    assert any(r["ref"] == ref for r in listed)
    assert Desk.open(office).mous.by_ref(ref).values["notes"] == "signed copy on the way"


def test_clear_refusals(office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", office, "sync")
    assert code == 1 and "not a replica" in err and "replica create" in err
    laptop = str(tmp_path / "laptop.sqlite3")
    run(capsys, "--db", office, "replica", "create", laptop)
    code, _, err = run(capsys, "--db", office, "replica", "create", laptop)
    assert code == 2 and "already exists" in err
    code, _, err = run(
        capsys,
        "--db",
        office,
        "replica",
        "create",
        str(tmp_path / "x.sqlite3"),
        "--sector",
        "Steel",
    )
    assert code == 1 and "No MoU has the sector 'Steel'" in err
    code, _, err = run(capsys, "--db", laptop, "sync", "export", str(tmp_path / "trip.zip"))
    assert code == 2 and "….mousync" in err
    code, _, err = run(capsys, "--db", laptop, "conflicts", "resolve", "12345678", "mine")
    assert code == 1 and "no conflict waiting has the id" in err
    code, _, err = run(
        capsys, "--db", laptop, "sync", "--to", str(tmp_path / "nowhere" / "x.sqlite3")
    )
    assert code != 0 and "sync" in err and "Traceback" not in err
