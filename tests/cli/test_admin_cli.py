"""The command line of roles (role list/grant/revoke) and encryption (encrypt/decrypt)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mou_desk.cli import admin_commands
from mou_desk.cli.main import main
from mou_desk.storage.encryption import is_encrypted

RAVI = "Ravi Kumar"
MEENA = "Meena Verma"
PASS = "chai at four"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _no_passphrase_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOU_DESK_PASSPHRASE", raising=False)
    monkeypatch.delenv("MOU_DESK_NEW_PASSPHRASE", raising=False)


@pytest.fixture
def keyboard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A person at the keyboard who types the answers put in the list, in order."""
    answers: list[str] = []
    prompts: list[str] = []

    def typed(prompt: str = "") -> str:
        prompts.append(prompt)
        return answers.pop(0)

    monkeypatch.setattr(admin_commands, "interactive", lambda: True)
    monkeypatch.setattr(admin_commands.getpass, "getpass", typed)
    yield answers
    assert answers == []  # every answer was asked for


def test_roles_from_an_open_database_to_an_admin_and_a_clerk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "shared.sqlite3")
    code, out, _ = run(capsys, "--db", db, "--clerk", RAVI, "role", "list")
    assert code == 0 and "No clerks are registered" in out
    assert (
        f'mou-desk role grant "{RAVI}" admin' in out
        and f"You ({RAVI}) are an admin on this database." in out
    )

    code, _, err = run(capsys, "--db", db, "--clerk", RAVI, "role", "grant", MEENA, "clerk")
    assert code == 1 and "the first role granted must be admin" in err

    code, out, _ = run(capsys, "--db", db, "--clerk", RAVI, "role", "grant", RAVI, "admin")
    assert code == 0 and f"{RAVI} is now an admin" in out and "This is the first admin" in out

    code, _, err = run(capsys, "--db", db, "--clerk", MEENA, "demo")
    assert code == 1
    assert err.strip() == (
        "mou-desk: Meena Verma is a viewer on this database and cannot make changes; "
        "ask an admin (Ravi Kumar) to make you a clerk."
    )
    code, out, _ = run(capsys, "--db", db, "--clerk", RAVI, "role", "grant", MEENA, "clerk")
    assert code == 0 and f"{MEENA} is now a clerk" in out and "first admin" not in out
    assert run(capsys, "--db", db, "--clerk", MEENA, "demo")[0] == 0

    code, _, err = run(capsys, "--db", db, "--clerk", MEENA, "role", "grant", MEENA, "admin")
    assert code == 1 and "Only an admin can grant roles; Meena Verma is a clerk." in err

    code, out, _ = run(capsys, "--db", db, "--clerk", "Anil Rao", "role", "list")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Ravi", "Kumar", "admin"]
    assert lines[1].split()[:3] == ["Meena", "Verma", "clerk"]
    assert f"granted by {RAVI} on " in lines[1]
    assert "anyone else can only view" in out and out.rstrip().endswith(
        "You (Anil Rao) are a viewer on this database."
    )

    code, out, _ = run(capsys, "--db", db, "role", "list", "--json")
    rows = json.loads(out)
    assert [(r["name"], r["role"], r["granted_by"]) for r in rows] == [
        (RAVI, "admin", RAVI),
        (MEENA, "clerk", RAVI),
    ]


def test_first_admin_someone_else_warns_the_granter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "shared.sqlite3")
    code, out, _ = run(capsys, "--db", db, "--clerk", "IT Desk", "role", "grant", RAVI, "admin")
    assert code == 0 and "Note: IT Desk is not registered, so can now only view." in out
    code, _, err = run(capsys, "--db", db, "--clerk", "IT Desk", "role", "revoke", RAVI)
    assert code == 1 and "Only an admin can revoke roles; IT Desk is a viewer." in err


def test_revoke_and_the_last_admin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "shared.sqlite3")
    as_ravi = ("--db", db, "--clerk", RAVI, "role")
    assert run(capsys, *as_ravi, "grant", RAVI, "admin")[0] == 0
    assert run(capsys, *as_ravi, "grant", MEENA, "clerk")[0] == 0
    code, out, _ = run(capsys, *as_ravi, "revoke", "meena verma")
    assert code == 0 and f"{MEENA} is no longer registered" in out
    code, _, err = run(capsys, *as_ravi, "revoke", RAVI)
    assert code == 1 and "is the only admin of this database" in err
    code, _, err = run(capsys, *as_ravi, "revoke", "Nobody")
    assert code == 1 and "Nobody is not registered" in err
    with pytest.raises(SystemExit) as caught:
        main([*as_ravi, "grant", MEENA, "superuser"])
    assert caught.value.code == 2


def test_encrypt_then_open_only_with_the_passphrase(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "laptop.sqlite3"
    db = str(path)
    assert run(capsys, "--db", db, "demo")[0] == 0
    code, out, _ = run(capsys, "--db", db, "--passphrase", PASS, "encrypt")
    assert code == 0 and f"Encrypted {path}" in out and is_encrypted(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laptop.sqlite3"]

    before = sha256(path)
    code, _, err = run(capsys, "--db", db, "list")  # no passphrase, nobody at the keyboard
    assert code == 2 and "or it is encrypted: give its passphrase with --passphrase" in err
    code, _, err = run(capsys, "--db", db, "--passphrase", "chai at five", "list")
    assert code == 2 and err.strip() == (
        f"mou-desk: The passphrase does not open {path}. Check it and try again; "
        "the file has not been changed."
    )
    assert sha256(path) == before

    code, out, _ = run(capsys, "--db", db, "--passphrase", PASS, "list")
    assert code == 0 and "6 MoUs" in out
    monkeypatch.setenv("MOU_DESK_PASSPHRASE", PASS)
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 6


def test_the_passphrase_is_asked_when_someone_is_at_the_keyboard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], keyboard: list[str]
) -> None:
    path = tmp_path / "laptop.sqlite3"
    db = str(path)
    assert run(capsys, "--db", db, "demo")[0] == 0
    keyboard += [PASS, "typo"]
    code, _, err = run(capsys, "--db", db, "encrypt")
    assert code == 2 and "The two passphrases differ; nothing was changed." in err
    assert not is_encrypted(path)

    keyboard += [PASS, PASS]
    assert run(capsys, "--db", db, "encrypt")[0] == 0 and is_encrypted(path)
    keyboard.append(PASS)
    code, out, _ = run(capsys, "--db", db, "list")
    assert code == 0 and "6 MoUs" in out

    keyboard += [PASS, "new words", "new words"]  # the current one, then the new one twice
    code, out, _ = run(capsys, "--db", db, "encrypt")
    assert code == 0 and "Changed the passphrase" in out
    keyboard.append("new words")
    code, out, _ = run(capsys, "--db", db, "decrypt")
    assert code == 0 and "opens without a passphrase now" in out and not is_encrypted(path)
    assert run(capsys, "--db", db, "list")[0] == 0  # plain: nothing is asked


def test_decrypt_and_change_without_prompts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "laptop.sqlite3"
    db = str(path)
    code, _, _ = run(capsys, "--db", db, "--passphrase", PASS, "demo")  # created encrypted
    assert code == 0 and is_encrypted(path)
    code, _, err = run(capsys, "--db", db, "--passphrase", PASS, "encrypt")
    assert code == 2 and "MOU_DESK_NEW_PASSPHRASE" in err  # a change needs the new one
    monkeypatch.setenv("MOU_DESK_NEW_PASSPHRASE", "second")
    assert run(capsys, "--db", db, "--passphrase", PASS, "encrypt")[0] == 0
    code, out, _ = run(capsys, "--db", db, "--passphrase", "second", "decrypt")
    assert code == 0 and "Decrypted" in out and not is_encrypted(path)
    code, _, err = run(capsys, "--db", db, "decrypt")
    assert code == 2 and "is not encrypted; nothing was changed" in err
    code, _, err = run(capsys, "--db", db, "encrypt", "--new-passphrase", "")
    assert code == 2 and "no one at a keyboard to ask" in err and not is_encrypted(path)


def test_the_installed_command_reads_the_passphrase_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "laptop.sqlite3"
    env = {**os.environ, "MOU_DESK_CLERK": RAVI}
    command = [sys.executable, "-m", "mou_desk.cli.main", "--db", str(path)]
    for args in (["demo"], ["encrypt"], ["list"]):
        done = subprocess.run(
            [*command, *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr
        env["MOU_DESK_PASSPHRASE"] = PASS  # from encrypt on
    assert is_encrypted(path) and "6 MoUs" in done.stdout
    env.pop("MOU_DESK_PASSPHRASE")
    done = subprocess.run(
        [*command, "list"], env=env, capture_output=True, text=True, timeout=120, check=False,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 2 and "give its passphrase with --passphrase" in done.stderr
