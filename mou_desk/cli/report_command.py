"""``mou-desk report FILE.pdf``: the PDF status reports from the command line.

``report FILE.pdf`` writes the portfolio status report; ``--mou REF`` the dossier of one MoU,
``--trip NAME`` the report of a delegation trip (``--kind`` may be left out with either);
``--lang hi`` gives Hindi headings. ``--as-of DD-MM-YYYY`` reports the portfolio as it
stood on that date and makes the output reproducible byte for byte.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from mou_desk.domain.dates import parse_date
from mou_desk.domain.errors import UsageError, ValidationError
from mou_desk.domain.stages import Stage
from mou_desk.services.desk import Desk
from mou_desk.services.reports import KINDS, write_report


@dataclass(frozen=True)
class ReportCommand:
    name: str = "report"
    help: str = "write a PDF status report: the portfolio, one MoU's dossier, or a trip"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE.pdf", help="the PDF to write (replaced)")
        parser.add_argument(
            "--kind",
            choices=KINDS,
            help="portfolio (default), dossier (needs --mou) or trip (needs --trip)",
        )
        parser.add_argument(
            "--stage",
            choices=[s.value for s in Stage],
            type=str.lower,
            help="portfolio: only MoUs at this stage",
        )
        parser.add_argument("--sector", help="portfolio: only MoUs of this sector")
        parser.add_argument("--mou", metavar="REF", help="dossier: the MoU's reference number")
        parser.add_argument("--trip", metavar="NAME", help="trip report: the trip's name")
        parser.add_argument(
            "--lang", choices=("en", "hi"), default="en", help="en (English) or hi (Hindi)"
        )
        parser.add_argument(
            "--as-of",
            metavar="DD-MM-YYYY",
            help="report as of this date (default today); the same data and date give the "
            "same PDF, byte for byte",
        )

    def run(self, args: argparse.Namespace, desk: Desk) -> int:
        kind = args.kind or _implied_kind(args)
        if kind != "dossier" and args.mou:
            raise UsageError("--mou goes with the dossier (--kind dossier).")
        if kind != "trip" and args.trip:
            raise UsageError("--trip goes with the trip report (--kind trip).")
        try:
            as_of = parse_date(args.as_of, field="--as-of") if args.as_of else None
        except ValidationError as exc:
            raise UsageError(str(exc)) from exc
        path = write_report(
            desk,
            args.file,
            kind=kind,
            stage=args.stage,
            sector=args.sector,
            mou_ref=args.mou,
            trip_name=args.trip,
            lang=args.lang,
            as_of=as_of,
        )
        print(f"Wrote {path}", file=sys.stdout)
        return 0


def _implied_kind(args: argparse.Namespace) -> str:
    if args.mou and args.trip:
        raise UsageError("Give either --mou (a dossier) or --trip (a trip report), not both.")
    if args.mou:
        return "dossier"
    if args.trip:
        return "trip"
    return "portfolio"


COMMANDS = [ReportCommand()]
