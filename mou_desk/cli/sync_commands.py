"""Replicas for the road and syncing them back.

    mou-desk replica create [--from URL] FILE [--trip T] [--sector S] [--passphrase P]
    mou-desk replica status
    mou-desk sync [--to URL] [--json]            on a replica (--db FILE): send, then take in
    mou-desk sync export FILE.mousync            the replica's changes, for a hand-over
    mou-desk sync import FILE.mousync [--answer ANSWER.mousync]
    mou-desk conflicts [--json]                  the conflicts kept by syncs
    mou-desk conflicts resolve ID mine|theirs    decide one (carried out by the next sync)

``sync`` exits 1 when conflicts wait for a decision or some records could not be synced
(the message says which and what to do), 0 otherwise. ``sync import`` on the shared database
applies a replica's changes and writes the answer (``FILE.answer.mousync`` by default) to be
imported on the replica.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import UsageError
from mou_desk.services import sync as syncing
from mou_desk.services.database import Database
from mou_desk.services.desk import Desk
from mou_desk.services.sync.engine import SyncResult
from mou_desk.services.sync.state import safe_url
from mou_desk.storage.engine import database_url
from mou_desk.storage.lifecycle import open_database

#: how a count of records of each kind reads: (one, several)
KIND_NAMES = {
    "mou": ("MoU", "MoUs"),
    "partner": ("partner", "partners"),
    "contact": ("contact", "contacts"),
    "officer": ("officer", "officers"),
    "trip": ("trip", "trips"),
    "engagement": ("meeting", "meetings"),
    "followup": ("follow-up", "follow-ups"),
    "attachment": ("attached file", "attached files"),
}
KIND_ORDER = list(KIND_NAMES)


@dataclass(frozen=True)
class ReplicaCommand:
    name: str = "replica"
    help: str = "make an offline replica of the shared database (whole, or a trip or a sector)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="replica_action", metavar="ACTION", required=True)
        create = actions.add_parser(
            "create",
            help="copy the database (or part of it) to a new replica file",
            description="Copy the shared database, or the MoUs of a trip or a sector with "
            "everything they need, to a new SQLite file to work on offline.",
        )
        create.add_argument(
            "--from",
            dest="source",
            metavar="URL",
            help="the database to copy (default: --db)",
        )
        create.add_argument("file", metavar="FILE", help="the replica file to make (new)")
        create.add_argument("--trip", help="only the MoUs of this trip's meetings (name or id)")
        create.add_argument("--sector", help="only the MoUs of this sector")
        create.add_argument(
            "--passphrase",
            dest="replica_passphrase",
            metavar="PASSPHRASE",
            help="encrypt the replica with this passphrase (off by default)",
        )
        actions.add_parser("status", help="whether --db is a replica, of what, last synced when")

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        if args.replica_action == "status":
            return _status(desk)
        source, url = _source(args, desk)
        try:

            def progress(done: int, total: int, text: str) -> None:
                if done == 0:
                    print(f"Copying from {safe_url(url)}…")

            made = syncing.create_replica(
                source,
                url,
                Path(args.file),
                trip=args.trip,
                sector=args.sector,
                passphrase=args.replica_passphrase,
                on_progress=progress,
            )
        finally:
            if source is not desk.db:
                source.engine.dispose()
        counts = ", ".join(
            f"{n:,} {KIND_NAMES[kind][n != 1]}"
            for kind, n in sorted(made.records.items(), key=lambda item: KIND_ORDER.index(item[0]))
            if n
        )
        print(
            f"Made the replica {made.path} ({made.filter.describe(args.trip)}: "
            f"{counts or 'no records'}) in {made.seconds:.1f} s."
        )
        db = f"--db {made.path}" + (" --passphrase …" if args.replica_passphrase else "")
        print(f"Work on it offline with  mou-desk {db}  and bring it back with  mou-desk {db} sync")
        return 0


def _source(args: argparse.Namespace, desk: Desk) -> tuple[Database, str]:
    if not args.source:
        url = desk.opened.url if desk.opened is not None else str(desk.db.engine.url)
        return desk.db, url
    url = database_url(args.source)
    opened = open_database(url)
    return Database(opened.engine, clerk=desk.db.clerk, origin="cli"), url


def _status(desk: Desk) -> int:
    status = syncing.replica_status(desk)
    if status is None:
        print("This database is not a replica (it is not synced with another one).")
        return 0
    print(f"Offline replica of {status.url} ({status.scope}).")
    print(f"Last synced: {status.last_synced_text()}.")
    print(f"Changed here since: {status.local_changes:,} record(s).")
    if status.conflicts_waiting:
        print(f"{status.conflicts_waiting} conflict(s) wait for a decision (mou-desk conflicts).")
    return 0


@dataclass(frozen=True)
class SyncCommand:
    name: str = "sync"
    help: str = "sync this replica with the shared database (or hand over a sync file)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--to", metavar="URL", help="the shared database's address, if it changed"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        actions = parser.add_subparsers(dest="sync_action", metavar="ACTION")
        export = actions.add_parser(
            "export", help="write this replica's changes since the last sync to a file"
        )
        export.add_argument("file", metavar="FILE.mousync")
        take = actions.add_parser(
            "import",
            help="apply a sync file: a replica's changes (on the shared database), or the "
            "answer to them (on the replica)",
        )
        take.add_argument("file", metavar="FILE.mousync")
        take.add_argument(
            "--answer",
            metavar="ANSWER.mousync",
            help="where to write the answer for the replica (default: FILE.answer.mousync)",
        )

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        if args.sync_action == "export":
            exported = syncing.export_changes(desk, _sync_file(args.file))
            print(
                f"Wrote {exported.records:,} changed record(s) to {exported.path}. Import it "
                "on the shared database (mou-desk sync import), then import the answer here."
            )
            return 0
        if args.sync_action == "import":
            answer = Path(args.answer) if args.answer else None
            imported = syncing.import_file(desk, Path(args.file), answer)
            if imported.result is not None:
                return _report(imported.result, args.json)
            pushed = imported.pushed or {}
            print(
                f"Applied {pushed.get('created', 0):,} new and {pushed.get('updated', 0):,} "
                f"changed record(s); {pushed.get('conflicts', 0):,} conflict(s) kept for the "
                f"replica's clerk to decide. The answer is in {imported.answer}: import it on "
                "the replica (mou-desk --db REPLICA sync import ANSWER)."
            )
            for problem in imported.problems:
                print(f"Not applied: {problem}")
            return 1 if imported.problems else 0
        result = syncing.sync(desk, to=args.to)
        return _report(result, args.json)


def _sync_file(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() != ".mousync":
        raise UsageError(f"{path.name}: name the sync file ….mousync.")
    return path


def _report(result: SyncResult, as_json: bool) -> int:
    if as_json:
        print(
            json.dumps(
                {
                    "upstream": result.upstream,
                    "pushed": {"created": result.pushed_created, "updated": result.pushed_updated},
                    "pulled": {"created": result.pulled_created, "updated": result.pulled_updated},
                    "conflicts": {
                        "new": result.conflicts_new,
                        "waiting": result.conflicts_waiting,
                        "settled": result.conflicts_resolved,
                    },
                    "renumbered": [list(pair) for pair in result.renumbered],
                    "problems": list(result.problems),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for line in result.lines():
            print(line)
    return 1 if result.conflicts_waiting or result.problems else 0


@dataclass(frozen=True)
class ConflictsCommand:
    name: str = "conflicts"
    help: str = "list the conflicts kept by syncs, or decide one"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the list as JSON")
        actions = parser.add_subparsers(dest="conflicts_action", metavar="ACTION")
        decide = actions.add_parser(
            "resolve", help="keep mine (this replica's value) or theirs (the shared database's)"
        )
        decide.add_argument("id", metavar="ID", help="the conflict's id (its first 8 characters)")
        decide.add_argument("choice", choices=["mine", "theirs"], type=str.lower)

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        if args.conflicts_action == "resolve":
            view = syncing.resolve(desk.db, args.id, args.choice)
            kept = view.mine if args.choice == "mine" else view.theirs
            print(
                f"{view.label}, {view.title}: keeping {args.choice} ({kept}). The next sync "
                "carries it out on both sides."
            )
            return 0
        conflicts = syncing.list_conflicts(desk.db)
        if args.json:
            print(json.dumps([_conflict_json(c) for c in conflicts], ensure_ascii=False, indent=2))
            return 0
        if not conflicts:
            print("No conflicts wait for a decision.")
            return 0
        for c in conflicts:
            decided = f"  [decided: {c.decision}, waiting for the next sync]" if c.decision else ""
            print(f"{c.short_id}  {c.label} — {c.title}{decided}")
            print(f"    mine:     {c.mine}")
            print(f"    theirs:   {c.theirs}")
            print(f"    original: {c.original}   (found {format_date(c.detected_at.date())})")
        print("Decide each with: mou-desk conflicts resolve ID mine|theirs, then sync again.")
        return 0


def _conflict_json(c: syncing.ConflictView) -> dict[str, Any]:
    return {
        "id": c.id,
        "record_type": c.record_type,
        "record_id": c.record_id,
        "label": c.label,
        "field": c.field,
        "title": c.title,
        "mine": c.mine,
        "theirs": c.theirs,
        "original": c.original,
        "detected_at": c.detected_at.isoformat(),
        "decision": c.decision,
    }


COMMANDS = [ReplicaCommand(), SyncCommand(), ConflictsCommand()]
