"""Commands of an administrator: roles on a shared database, encryption of a laptop's file.

    mou-desk role list [--json]              who is registered, with the rule that applies
    mou-desk role grant NAME viewer|clerk|admin
    mou-desk role revoke NAME
    mou-desk encrypt [--new-passphrase]      encrypt the --db file (or change its passphrase)
    mou-desk decrypt                         turn the --db file back into a plain one

The passphrase of an encrypted --db file comes from the global ``--passphrase``, else
``$MOU_DESK_PASSPHRASE``, else a prompt when a person is at the keyboard (``database_passphrase``
below, used by main). ``encrypt`` takes the new passphrase from ``--passphrase`` /
``$MOU_DESK_PASSPHRASE`` for a plain file, from ``$MOU_DESK_NEW_PASSPHRASE`` to change one,
or asks twice.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import UsageError
from mou_desk.services import access
from mou_desk.services.access import Role, RoleEntry
from mou_desk.services.desk import Desk
from mou_desk.storage.encryption import (
    change_passphrase,
    decrypt_database,
    encrypt_database,
    is_encrypted,
)
from mou_desk.storage.engine import database_url, engine_passphrase, sqlite_path

NEW_PASSPHRASE_VARIABLE = "MOU_DESK_NEW_PASSPHRASE"


def interactive() -> bool:
    """True when a person can answer a prompt (stdin is a terminal)."""
    return sys.stdin is not None and sys.stdin.isatty()


def database_passphrase(database: str, given: str | None) -> str | None:
    """The passphrase to open ``database`` with: ``given`` when the file is encrypted or new.

    An existing plain file opens without one whatever is given (so ``encrypt`` can open it,
    and a passphrase kept in the environment does not get in the way of plain files). For an
    encrypted file and no passphrase given, a person at the keyboard is asked.
    """
    file = sqlite_path(database_url(database))
    if file is None:
        return None
    if file.exists() and file.stat().st_size and not is_encrypted(file):
        return None
    if not file.exists() or not file.stat().st_size:
        return given or None
    if given:
        return given
    if interactive():
        return _prompt(f"Passphrase of {file}: ")
    return None  # opening then says the file is encrypted and how to give the passphrase


def _ask_new_passphrase(file: Path) -> str:
    if not interactive():
        raise UsageError(
            "Give the new passphrase with --passphrase or MOU_DESK_PASSPHRASE "
            f"(${NEW_PASSPHRASE_VARIABLE} to change one); there is no one at a keyboard to ask."
        )
    first = _prompt(f"New passphrase for {file}: ")
    if not first:
        raise UsageError("The passphrase is empty; nothing was changed.")
    if _prompt("The same passphrase again: ") != first:
        raise UsageError("The two passphrases differ; nothing was changed.")
    return first


def _prompt(text: str) -> str:
    try:
        return getpass.getpass(text)
    except EOFError:
        raise UsageError("No passphrase was typed; nothing was changed.") from None


def _database_file(desk: Desk) -> Path:
    url = desk.opened.url if desk.opened is not None else str(desk.db.engine.url)
    file = sqlite_path(url)
    if file is None:
        raise UsageError(
            "Only a database file on this computer can be encrypted; a server database is "
            "protected by its server."
        )
    return file


@dataclass(frozen=True)
class EncryptCommand:
    name: str = "encrypt"
    help: str = (
        "encrypt the database file with a passphrase (or change its passphrase); "
        "without the passphrase no one can open it"
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--new-passphrase",
            default=os.environ.get(NEW_PASSPHRASE_VARIABLE),
            help=f"the new passphrase of an encrypted file (default: ${NEW_PASSPHRASE_VARIABLE}"
            ", else asked twice)",
        )

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        file = _database_file(desk)
        old = engine_passphrase(desk.db.engine)
        desk.close()  # the file is rewritten: this process lets go of it first
        if old is None:
            new = args.new_passphrase or args.passphrase or _ask_new_passphrase(file)
            encrypt_database(file, new)
            print(
                f"Encrypted {file}. Keep the passphrase safe: without it no one can open the "
                "file, not even IT."
            )
            return 0
        new = args.new_passphrase or _ask_new_passphrase(file)
        change_passphrase(file, old, new)
        print(f"Changed the passphrase of {file}.")
        return 0


@dataclass(frozen=True)
class DecryptCommand:
    name: str = "decrypt"
    help: str = "turn the encrypted database file back into a plain one (needs its passphrase)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        pass

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        file = _database_file(desk)
        passphrase = engine_passphrase(desk.db.engine)
        if passphrase is None:
            raise UsageError(f"{file} is not encrypted; nothing was changed.")
        desk.close()
        decrypt_database(file, passphrase)
        print(f"Decrypted {file}: it opens without a passphrase now.")
        return 0


def _entry_json(entry: RoleEntry) -> dict[str, str]:
    return {
        "name": entry.name,
        "role": entry.role.value,
        "granted_by": entry.granted_by,
        "granted_at": entry.granted_at.isoformat(),
    }


@dataclass(frozen=True)
class RoleCommand:
    name: str = "role"
    help: str = "who may view, change or administer this database (list, grant, revoke)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="role_action", metavar="ACTION", required=True)
        listing = actions.add_parser("list", help="the registered clerks and the rule")
        listing.add_argument("--json", action="store_true", help="print a JSON array")
        grant = actions.add_parser("grant", help="give a clerk a role (admins only)")
        grant.add_argument("clerk_name", metavar="NAME", help="the name as recorded in history")
        grant.add_argument("role", choices=[r.value for r in Role], metavar="ROLE",
                           help="viewer, clerk or admin")  # fmt: skip
        revoke = actions.add_parser("revoke", help="unregister a clerk (admins only)")
        revoke.add_argument("clerk_name", metavar="NAME")

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        if args.role_action == "grant":
            return self._grant(args, desk)
        if args.role_action == "revoke":
            entry = access.revoke(desk.db, args.clerk_name)
            print(f"{entry.name} is no longer registered, and can now only view this database.")
            return 0
        return self._list(args, desk)

    def _grant(self, args: argparse.Namespace, desk: Desk) -> int:
        was_open = access.is_open(desk.db)
        entry = access.grant(desk.db, args.clerk_name, args.role)
        print(f"{entry.name} is now {_a(entry.role)} on this database.")
        if was_open:
            print(
                "This is the first admin: from now on only registered clerks may make "
                "changes, and anyone else can only view."
            )
            if access.name_key(desk.db.clerk) != access.name_key(entry.name):
                who = desk.db.clerk or "you (no name given)"
                print(f"Note: {who} is not registered, so can now only view.")
        return 0

    def _list(self, args: argparse.Namespace, desk: Desk) -> int:
        entries = access.list_roles(desk.db)
        if args.json:
            json.dump([_entry_json(e) for e in entries], sys.stdout, ensure_ascii=False, indent=1)
            print()
            return 0
        if not entries:
            print(
                "No clerks are registered on this database, so everyone may make changes and "
                "grant roles."
            )
            print(
                "The first role granted must be admin, e.g.  mou-desk role grant "
                f'"{desk.db.clerk or "YOUR NAME"}" admin'
            )
        else:
            width = max(len(e.name) for e in entries)
            for e in entries:
                on = format_date(e.granted_at.astimezone().date())
                by = f"granted by {e.granted_by} on {on}" if e.granted_by else f"granted on {on}"
                print(f"{e.name:<{width}}  {e.role.value:<6}  {by}")
            print(f"Rule: {access.RULE}")
        who = f"You ({desk.db.clerk})" if desk.db.clerk else "You (no name given)"
        print(f"{who} are {_a(desk.db.role)} on this database.")
        return 0


def _a(role: Role) -> str:
    return f"an {role.value}" if role is Role.ADMIN else f"a {role.value}"


COMMANDS = [RoleCommand(), EncryptCommand(), DecryptCommand()]
