"""Commands of the register: demo, list, backup, restore."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import UsageError, ValidationError
from mou_desk.domain.money import crore, format_inr, paise_to_rupees
from mou_desk.domain.stages import parse_stage
from mou_desk.services.access import require
from mou_desk.services.desk import Desk
from mou_desk.services.listing import MouFilter, MouRow, list_mous
from mou_desk.storage.backup import backup_database, restore_database
from mou_desk.storage.models.access import Role


@dataclass(frozen=True)
class DemoCommand:
    name: str = "demo"
    help: str = "load the sample portfolio (the Japan delegation of July 2025); safe to repeat"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--synthetic",
            type=int,
            metavar="N",
            help="instead, add N generated MoUs (for benchmarks and tests)",
        )
        parser.add_argument("--seed", type=int, default=1, help="seed of --synthetic (default 1)")

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        if args.synthetic is not None:
            from mou_desk.services.synthetic import load_synthetic

            if args.synthetic < 1:
                raise UsageError("--synthetic needs a positive number of MoUs.")
            count = load_synthetic(desk.db, args.synthetic, seed=args.seed)
            print(f"Added {count:,} synthetic MoUs (seed {args.seed}).")
            return 0
        from mou_desk.services.demo import load_demo

        result = load_demo(desk)
        if result.already_there:
            print("The sample portfolio is already loaded; nothing changed.")
        else:
            print(f"Loaded the sample portfolio ({result.created} records).")
        return 0


def row_json(row: MouRow) -> dict[str, object]:
    rupees = paise_to_rupees(row.proposed_paise) if row.proposed_paise is not None else None
    return {
        "id": row.id,
        "ref": row.ref,
        "title": row.title,
        "lead_partner": row.lead_partner,
        "stage": row.stage,
        "status": row.status,
        "sector": row.sector,
        "district": row.district,
        "proposed_inr": None if rupees is None else str(rupees),
        "proposed_crore": None if rupees is None else str(crore(rupees)),
        "nodal_officer": row.nodal_officer,
        "next_action": row.next_action,
        "next_action_due": row.next_action_due.isoformat() if row.next_action_due else None,
        "stage_since": row.stage_since.isoformat(),
        "version": row.version,
    }


@dataclass(frozen=True)
class ListCommand:
    name: str = "list"
    help: str = "list MoUs (as a table, or --json for scripts)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--stage", help="discussion, proposal, signing or investment")
        parser.add_argument(
            "--search", help="words to find in titles, notes and names (any script)"
        )
        parser.add_argument("--json", action="store_true", help="print a JSON array")

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        try:
            stages = frozenset({parse_stage(args.stage).value}) if args.stage else frozenset()
        except ValidationError as error:
            raise UsageError(str(error).removeprefix("stage: ")) from error
        rows = list_mous(desk.db, MouFilter(stages=stages, search=args.search or ""))
        if args.json:
            json.dump([row_json(r) for r in rows], sys.stdout, ensure_ascii=False, indent=1)
            print()
            return 0
        if not rows:
            print("No MoUs match.")
            return 0
        for row in rows:
            amount = format_inr(paise_to_rupees(row.proposed_paise)) if row.proposed_paise else "—"
            due = format_date(row.next_action_due) or "—"
            print(
                f"{row.ref:<16} {row.stage:<10} {row.status:<9} {amount:>18}  due {due:<10}  "
                f"{row.lead_partner[:32]:<32}  {row.title}"
            )
        print(f"{len(rows):,} MoUs.")
        return 0


@dataclass(frozen=True)
class BackupCommand:
    name: str = "backup"
    help: str = "write a consistent copy of the database to FILE (safe while others work)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        path = backup_database(desk.db.engine, args.file)
        print(f"Backed up to {path}.")
        return 0


@dataclass(frozen=True)
class RestoreCommand:
    name: str = "restore"
    help: str = "replace the database with a backup FILE (checked first; the old one is kept)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        require(desk.db, Role.ADMIN, "restore a backup onto this database")
        kept = restore_database(args.file, desk.db.engine)
        print(f"Restored from {args.file}.")
        if kept is not None:
            print(f"The replaced database was kept as {kept}.")
        return 0


COMMANDS = [DemoCommand(), ListCommand(), BackupCommand(), RestoreCommand()]
