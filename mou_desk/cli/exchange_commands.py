"""``mou-desk export`` and ``mou-desk import``: the Excel round trip with finance.

``import`` plans the whole workbook first. Conflicts, invalid rows and possible duplicates
refuse it with exit code 1 and nothing written, unless ``--apply-valid`` asks to write the other
rows; ``--dry-run`` writes nothing and exits as the real import would. ``--json`` prints the
counts (and each problem) as one JSON object on stdout; ``--errors-to`` writes the error
workbook finance can fix and send back.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mou_desk.domain.errors import UsageError
from mou_desk.domain.stages import Stage
from mou_desk.services import imports
from mou_desk.services.desk import Desk
from mou_desk.services.exports import ExportFilter, export_workbook

#: problems listed on stderr before "and N more"
SHOWN_PROBLEMS = 30


@dataclass(frozen=True)
class ExportCommand:
    name: str = "export"
    help: str = "write the round-trip workbook (MoUs, partners, contacts, follow-ups) for finance"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE.xlsx", help="the workbook to write (replaced)")
        parser.add_argument(
            "--stage",
            action="append",
            choices=[s.value for s in Stage],
            type=str.lower,
            help="only MoUs at this stage (repeat for several)",
        )
        parser.add_argument(
            "--sector", action="append", help="only MoUs of this sector (repeat for several)"
        )

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        path = Path(args.file)
        if path.suffix.lower() != ".xlsx":
            raise UsageError(f"{path.name}: the export is an Excel workbook; name it ….xlsx.")
        flt = ExportFilter(frozenset(args.stage or ()), frozenset(args.sector or ()))
        result = export_workbook(desk.db, path, flt)
        counts = ", ".join(f"{n:,} {name.lower()}" for name, n in result.counts.items())
        print(f"Wrote {path}: {counts}.")
        return 0


@dataclass(frozen=True)
class ImportCommand:
    name: str = "import"
    help: str = "plan a workbook's changes and apply them (all or nothing)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE.xlsx", help="workbook (.xlsx/.xlsm/.ods/.csv)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="plan and report only; nothing is written (exits as the import would)",
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--apply-valid",
            action="store_true",
            help="write the rows without problems even if others conflict or are invalid",
        )
        parser.add_argument(
            "--errors-to",
            metavar="ERRORS.xlsx",
            help="write the rows with problems, and what is wrong, to this workbook",
        )
        parser.add_argument(
            "--mapping",
            metavar="NAME",
            help="read the workbook with a column mapping saved in the import wizard",
        )

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        path = Path(args.file)
        errors_to = Path(args.errors_to) if args.errors_to else None
        if errors_to is not None and errors_to.resolve() == path.resolve():
            raise UsageError(
                "--errors-to must name another file; the import never writes "
                "to the workbook it reads."
            )
        mapping = imports.load_mapping(desk.db, args.mapping) if args.mapping else None
        preview = imports.preview_import(desk.db, path, mapping)
        blocking = preview.plan.blocking
        written_errors = 0
        if errors_to is not None and blocking:
            written_errors = imports.write_errors(preview, errors_to)
        counts = preview.counts()
        applied = False
        batch = None
        refused = bool(blocking) and not args.apply_valid
        if not args.dry_run and not refused and preview.plan.has_changes():
            result = imports.apply_import(desk.db, preview, apply_rest=args.apply_valid)
            counts["created"], counts["updated"] = result.created, result.updated
            applied, batch = True, result.batch_id
        elif not args.dry_run and not refused:
            applied = True  # nothing to write: the import is done
        report = _report(preview, counts, applied, args.dry_run, batch, errors_to, written_errors)
        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            _print_summary(report)
        if blocking:
            _print_problems(preview, refused, args.dry_run, errors_to)
            return 1
        return 0


def _report(
    preview: imports.ImportPreview,
    counts: dict[str, int],
    applied: bool,
    dry_run: bool,
    batch: str | None,
    errors_to: Path | None,
    written_errors: int,
) -> dict[str, Any]:
    return {
        "file": str(preview.path),
        **counts,
        "applied": applied,
        "dry_run": dry_run,
        "batch_id": batch,
        "problems": [
            {
                "row": row.source,
                "record": row.label,
                "kind": row.kind,
                "messages": imports.row_messages(preview, row),
            }
            for row in preview.plan.blocking
        ],
        "warnings": list(preview.warnings),
        "errors_workbook": str(errors_to) if errors_to is not None and written_errors else None,
    }


def _print_summary(report: dict[str, Any]) -> None:
    verb = "Would create" if not report["applied"] else "Created"
    updated = "update" if not report["applied"] else "updated"
    print(
        f"{Path(report['file']).name}: {verb} {report['created']:,}, {updated} "
        f"{report['updated']:,}, {report['unchanged']:,} unchanged; {report['conflicts']:,} "
        f"conflicts, {report['errors']:,} invalid, {report['duplicates']:,} possible duplicates."
    )
    for warning in report["warnings"]:
        print(f"Note: {warning}")
    if report["batch_id"]:
        print(f"Applied as batch {report['batch_id']} (it can be reverted).")
    if report["errors_workbook"]:
        print(f"Rows with problems written to {report['errors_workbook']}.")


def _print_problems(
    preview: imports.ImportPreview, refused: bool, dry_run: bool, errors_to: Path | None
) -> None:
    blocking = preview.plan.blocking
    lines = []
    for row in blocking:
        for message in imports.row_messages(preview, row):
            lines.append(f"{row.source} ({row.label}): {message}")
    for line in lines[:SHOWN_PROBLEMS]:
        print(line, file=sys.stderr)
    if len(lines) > SHOWN_PROBLEMS:
        more = len(lines) - SHOWN_PROBLEMS
        hint = "" if errors_to else " (write them all with --errors-to ERRORS.xlsx)"
        print(f"… and {more:,} more problems{hint}.", file=sys.stderr)
    if dry_run:
        outcome = "the import would be refused" if refused else "those rows would be left out"
    else:
        outcome = "nothing was written" if refused else "those rows were left out"
    print(
        f"mou-desk: {len(blocking):,} rows have problems; {outcome}. Fix them, or use "
        "--apply-valid to write the other rows.",
        file=sys.stderr,
    )


COMMANDS = [ExportCommand(), ImportCommand()]
