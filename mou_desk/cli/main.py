"""Entry point of ``mou-desk``. Errors are one clear line on stderr and an exit code.

Exit codes: 0 done; 1 the input was refused in whole or part; 2 usage error or a file that
cannot be read at all. Commands of other features live in their own modules, each with a
``COMMANDS`` list; a command exists only once its module does.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import Protocol

from mou_desk import __version__
from mou_desk.domain.errors import DeskError

log = logging.getLogger("mou_desk")

COMMAND_MODULES = (
    "mou_desk.cli.register_commands",
    "mou_desk.cli.exchange_commands",
    "mou_desk.cli.report_command",
    "mou_desk.cli.sync_commands",
    "mou_desk.cli.admin_commands",
)


class Command(Protocol):
    name: str
    help: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, desk: object) -> int: ...


def available_commands() -> list[Command]:
    commands: list[Command] = []
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that feature has not arrived yet
            raise
        commands.extend(module.COMMANDS)
    return commands


def build_parser(commands: Sequence[Command] | None) -> argparse.ArgumentParser:
    """The whole parser; with ``commands=None`` only the global options (a quick first look)."""
    parser = argparse.ArgumentParser(
        prog="mou-desk",
        add_help=commands is not None,
        description="MoU Desk: track partnerships from first talk to money on the ground. "
        "With no command, opens the desktop client.",
    )
    parser.add_argument("--version", action="version", version=f"MoU Desk {__version__}")
    parser.add_argument(
        "--db",
        default=os.environ.get("MOU_DESK_DB"),
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: $MOU_DESK_DB, else the SQLite file "
        "in your data folder)",
    )
    parser.add_argument(
        "--clerk",
        default=None,  # asked of the system only when a command runs (clerk_name)
        help="your name, recorded in the history of every change (default: $MOU_DESK_CLERK, "
        "else your login name)",
    )
    parser.add_argument(
        "--passphrase",
        default=os.environ.get("MOU_DESK_PASSPHRASE"),
        help="passphrase of an encrypted database file, or of a new one to create encrypted "
        "(default: $MOU_DESK_PASSPHRASE, else asked when needed)",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="check this installation: open the app offscreen on a temporary database, write "
        "an export and a report, and exit 0 (1 on any failure); touches none of your data",
    )
    if commands is None:
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in commands:
        command_parser = sub.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(command_parser)
    return parser


def clerk_name(given: str | None) -> str:
    """--clerk, else $MOU_DESK_CLERK, else the login name. Not worked out for the desktop (it
    has its own setting): asking the system for the login name can load its name-service
    modules, milliseconds at every start."""
    return given or os.environ.get("MOU_DESK_CLERK") or _login_name()


def _login_name() -> str:
    try:
        return os.getlogin()
    except OSError:
        return os.environ.get("USERNAME") or os.environ.get("USER") or ""


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # With no command the desktop opens at once: the command modules (and the libraries
    # they bring, reportlab among them) are only imported when a command is given.
    args, rest = build_parser(None).parse_known_args(arguments)
    commands: list[Command] = []
    if rest or not {"-h", "--help", "--version"}.isdisjoint(arguments):
        commands = available_commands()
        args = build_parser(commands).parse_args(arguments)
    else:
        args.command = None
    if args.smoke_test:
        from mou_desk.smoke import run as run_smoke_test

        return run_smoke_test()
    from mou_desk.paths import default_database

    database = args.db or str(default_database())
    if args.command is None:
        from mou_desk.ui.app import run as run_desktop  # type: ignore[import-not-found,unused-ignore]

        return int(run_desktop(database, [sys.argv[0], *arguments]))
    command = next(c for c in commands if c.name == args.command)
    try:
        from mou_desk.cli.admin_commands import database_passphrase
        from mou_desk.services.desk import Desk

        passphrase = database_passphrase(database, args.passphrase)
        desk = Desk.open(
            database, clerk=clerk_name(args.clerk), origin="cli", passphrase=passphrase
        )
        try:
            return command.run(args, desk)
        finally:
            desk.close()
    except DeskError as error:
        print(f"mou-desk: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("mou-desk: interrupted; nothing was half-written.", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: a clerk never sees a traceback
        from mou_desk.paths import log_file

        _log_unexpected(error)
        print(
            f"mou-desk: an unexpected problem stopped the command ({type(error).__name__}: "
            f"{error}). Details are in {log_file()}.",
            file=sys.stderr,
        )
        return 1


def _log_unexpected(error: BaseException) -> None:
    from mou_desk.paths import log_file

    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        log.addHandler(handler)
        log.error("unexpected error", exc_info=error)
        log.removeHandler(handler)
        handler.close()
    except OSError:
        pass  # the message on stderr still tells the clerk what happened


if __name__ == "__main__":
    sys.exit(main())
