"""Export the register to the round-trip workbook finance edits and sends back.

Rows are read with a few set-based queries (no ORM objects) and handed to
``exchange.workbook_export`` as labels and names: stage "On hold", the lead partner's name,
the follow-up's MoU reference. The import (services.imports) reads the same labels back.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Date,
    Enum,
    Integer,
    String,
    Text,
    and_,
    func,
    null,
    or_,
    select,
    type_coerce,
)

from mou_desk.domain.money import CRORE, Currency
from mou_desk.domain.stages import Stage, Status
from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_export import SheetRows, write_workbook
from mou_desk.exchange.workbook_fingerprint import written_number
from mou_desk.services.database import Database
from mou_desk.storage.base import ExactDecimal, Paise
from mou_desk.storage.models import Contact, FollowUp, Meta, Mou, Officer, Partner, mou_partners
from mou_desk.storage.models.mous import DocType, Priority
from mou_desk.storage.models.people import PartnerKind

Progress = Callable[[int, int], None]


def choice_labels() -> dict[str, dict[str, str]]:
    """Closed lists: stored value -> the label written in the workbook and its dropdown."""
    return {
        "stages": {s.value: s.label for s in Stage},
        "statuses": {s.value: s.label for s in Status},
        "doc_types": {d.value: d.value for d in DocType},
        "priorities": {p.value: p.value.capitalize() for p in Priority},
        "currencies": {c.value: c.value for c in Currency},
        "partner_kinds": {k.value: k.value.capitalize() for k in PartnerKind},
    }


@dataclass(frozen=True)
class ExportFilter:
    stages: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()

    def describe(self) -> str:
        parts = []
        if self.stages:
            parts.append("stage " + ", ".join(sorted(self.stages)))
        if self.sectors:
            parts.append("sector " + ", ".join(sorted(self.sectors)))
        return "; ".join(parts) or "none (the whole register)"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    counts: Mapping[str, int]  # sheet name -> rows


def _names(connection: Connection, table: Any) -> dict[str, str]:
    return dict(connection.execute(select(table.c.id, table.c.name)).cursor.fetchall())


def _live_names(connection: Connection, table: Any) -> list[str]:
    query = select(table.c.name).where(table.c.deleted_at.is_(None)).distinct()
    return sorted(connection.execute(query).scalars(), key=str.casefold)


def export_workbook(
    db: Database,
    path: Path,
    flt: ExportFilter = ExportFilter(),
    *,
    on_progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write MoUs, partners, contacts and follow-ups (those of the filtered MoUs) to ``path``."""
    sheets, lists, meta = _collect(db, flt)
    counts = {s.layout.name: s.count for s in sheets}
    about = _about(db, flt, counts, meta)
    write_workbook(
        Path(path), sheets, lists, about, on_progress=on_progress, is_cancelled=is_cancelled
    )
    return ExportResult(Path(path), counts)


def collect_sheets(db: Database, flt: ExportFilter = ExportFilter()) -> list[SheetRows]:
    """The rows each sheet would get (the benchmark writes them raw as its baseline)."""
    return _collect(db, flt)[0]


def _collect(
    db: Database, flt: ExportFilter
) -> tuple[list[SheetRows], dict[str, list[str]], dict[str, str]]:
    mou_t, partner_t, contact_t = Mou.__table__, Partner.__table__, Contact.__table__
    followup_t = FollowUp.__table__
    chosen: list[Any] = [mou_t.c.deleted_at.is_(None)]
    if flt.stages:
        chosen.append(type_coerce(mou_t.c.stage, String).in_(sorted(flt.stages)))
    if flt.sectors:
        chosen.append(mou_t.c.sector.in_(sorted(flt.sectors)))
    filtered = bool(flt.stages or flt.sectors)
    mou_ids = select(mou_t.c.id).where(*chosen)
    partner_ids = (
        select(mou_t.c.lead_partner_id)
        .where(*chosen)
        .union(select(mou_partners.c.partner_id).where(mou_partners.c.mou_id.in_(mou_ids)))
    )
    with db.read() as session:
        connection = session.connection()
        links: dict[str, list[str]] = defaultdict(list)
        for mou_id, partner_id in connection.execute(select(mou_partners)).cursor.fetchall():
            links[mou_id].append(partner_id)
        partner_names = _names(connection, partner_t)
        officer_names = _names(connection, Officer.__table__)
        refs = dict(connection.execute(select(mou_t.c.id, mou_t.c.ref)).cursor.fetchall())
        meta = dict(connection.execute(select(Meta.key, Meta.value)).all())
        labels = choice_labels()
        special = cell_specials(partner_names, officer_names, refs, links, labels)
        mou_where = chosen
        partner_where = [partner_t.c.id.in_(partner_ids)] if filtered else []
        contact_where = [contact_t.c.partner_id.in_(partner_ids)] if filtered else []
        followup_where = (
            [
                or_(
                    followup_t.c.mou_id.in_(mou_ids),
                    and_(followup_t.c.mou_id.is_(None), followup_t.c.partner_id.in_(partner_ids)),
                )
            ]
            if filtered
            else []
        )
        count_query = select(func.count()).select_from(mou_t).where(*mou_where)
        mous = _Fetched(db, lambda c: sheet_rows(c, mou_t, wl.MOUS, mou_where, special))
        sheets = [
            SheetRows(
                wl.MOUS,
                mous,
                int(connection.execute(count_query).scalar() or 0),
                freeze_columns=2,
                deferred=True,
            )
        ]
        for layout, table, where, freeze in (
            (wl.PARTNERS, partner_t, partner_where, 1),
            (wl.CONTACTS, contact_t, contact_where, 2),
            (wl.FOLLOWUPS, followup_t, followup_where, 0),
        ):
            rows = sheet_rows(connection, table, layout, where, special)
            sheets.append(SheetRows(layout, rows, len(rows), freeze_columns=freeze))
        live = {
            "partners": _live_names(connection, partner_t),
            "officers": _live_names(connection, Officer.__table__),
        }
    lists = _lists(db, live, labels)
    return sheets, lists, meta


Special = Mapping[str, tuple[str, Callable[[Any], Any]]]


def cell_specials(
    partner_names: Mapping[str, str],
    officer_names: Mapping[str, str],
    refs: Mapping[str, str],
    links: Mapping[str, list[str]],
    labels: Mapping[str, Mapping[str, str]],
) -> Special:
    """field -> (column it is read from, how its cell shows it): names, labels, crore."""
    pname, oname = partner_names.get, officer_names.get

    def others(mou_id: str) -> str | None:
        linked = links.get(mou_id)
        if not linked:
            return None
        return wl.NAME_SEPARATOR.join(sorted(pname(p, p) for p in linked))

    return {
        "lead_partner_id": ("lead_partner_id", lambda v: pname(v) if v else None),
        "partner_id": ("partner_id", lambda v: pname(v) if v else None),
        "nodal_officer_id": ("nodal_officer_id", lambda v: oname(v) if v else None),
        "mou_id": ("mou_id", lambda v: refs.get(v) if v else None),
        "partner_ids": ("id", others),
        "_proposed_crore": ("proposed_inr", _paise_crore),
        "_realised_crore": ("realised_inr", _paise_crore),
        **{
            f: (f, labels[n].get)
            for f, n in (
                ("stage", "stages"),
                ("status", "statuses"),
                ("doc_type", "doc_types"),
                ("priority", "priorities"),
                ("kind", "partner_kinds"),
            )
        },
    }


class _Fetched:
    """Rows read on a helper thread (SQLite reads without holding the interpreter lock) while
    the writer works on the other sheets; iterating waits for them."""

    def __init__(self, db: Database, read: Callable[[Connection], list[list[Any]]]) -> None:
        self._rows: list[list[Any]] = []
        self._error: BaseException | None = None

        def work() -> None:
            try:
                with db.read() as session:
                    self._rows = read(session.connection())
            except BaseException as exc:  # handed to the thread that iterates
                self._error = exc

        self._thread = threading.Thread(target=work, name="export-reader", daemon=True)
        self._thread.start()

    def __iter__(self) -> Iterator[list[Any]]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        rows, self._rows = self._rows, []
        return iter(rows)


#: below this many paise (15 digits) a float holds the amount exactly: divide in floating point
_EXACT_BELOW = 10**15


def _money(scale: int) -> Callable[[Any], float | str | None]:
    """Integer paise as the number the workbook holds: rupees (or crore) as a float, or text
    where a float would lose digits (workbook_fingerprint.written_number's rule).

    Dividing integers in Python rounds once, correctly, as float() of the exact decimal
    quotient does; going through Decimal for each of 100,000 amounts costs far more.
    """

    def convert(value: Any) -> float | str | None:
        if value is None:
            return None
        paise = int(value)
        if -_EXACT_BELOW < paise < _EXACT_BELOW:
            return paise / scale
        return written_number(Decimal(paise) / scale)

    return convert


_paise = _money(100)
_paise_crore = _money(int(CRORE) * 100)


def _exact(value: Any) -> float | str | None:
    """An amount or rate kept as exact text, as the number the workbook holds."""
    if value is None:
        return None
    text = str(value)
    if len(text) <= 15:  # at most 15 digits: float() gives what float(Decimal) gives
        return float(text)
    return written_number(Decimal(text))


def _iso_date(value: Any) -> date | None:
    """SQLite keeps dates as YYYY-MM-DD text; other databases hand back dates."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def _iso_sqlite(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def sheet_rows(
    connection: Connection,
    table: Any,
    layout: wl.SheetLayout,
    where: list[Any],
    special: Special,
) -> list[list[Any]]:
    """One list of cell values per record, read from the driver's own tuples.

    Columns are selected as their stored form (text dates, integer paise, enum text) and
    turned into cell values here, column by column: building SQLAlchemy rows with their
    per-value converters for 100,000 MoUs costs as much as writing them.
    """
    columns: list[Any] = []
    converters: list[Callable[[Any], Any] | None] = []
    for column in layout.columns:
        source, convert = special.get(column.field, (column.field, None))
        if source not in table.c:
            columns.append(null())
            converters.append(None)
            continue
        target = table.c[source]
        kind = target.type
        if convert is None:
            if isinstance(kind, Paise):
                convert = _paise
            elif isinstance(kind, ExactDecimal):
                convert = _exact
            elif isinstance(kind, Date) and connection.dialect.name == "sqlite":
                convert = _iso_sqlite
        raw = (
            BigInteger()
            if isinstance(kind, Paise)
            else String()
            if not isinstance(kind, Integer)
            else kind
        )
        column_sql: Any = type_coerce(target, raw)
        if isinstance(kind, String | Text) and not isinstance(kind, Enum) and source != "id":
            column_sql = func.nullif(column_sql, "")  # an empty cell reads back as None
        columns.append(column_sql)
        converters.append(convert)
    query = select(*columns).where(table.c.deleted_at.is_(None), *where)
    fetched = list(connection.execute(query).cursor.fetchall())
    if layout is wl.MOUS:  # sorting here beats an ORDER BY that walks the table in index order
        ref = next(i for i, c in enumerate(layout.columns) if c.field == "ref")
        fetched.sort(key=itemgetter(ref))
    if all(c is None for c in converters):
        return [list(r) for r in fetched]
    return [[v if c is None else c(v) for c, v in zip(converters, r)] for r in fetched]  # noqa: B905


def _lists(
    db: Database, live: Mapping[str, list[str]], labels: Mapping[str, Mapping[str, str]]
) -> dict[str, list[str]]:
    from mou_desk.services.listing import distinct_values

    lists: dict[str, list[str]] = {name: list(values.values()) for name, values in labels.items()}
    for name, column in (("sectors", "sector"), ("districts", "district"), ("policies", "policy")):
        lists[name] = distinct_values(db, column)
    lists.update(live)
    return lists


def _about(
    db: Database, flt: ExportFilter, counts: Mapping[str, int], meta: Mapping[str, str]
) -> list[tuple[str, str]]:
    url = db.engine.url
    where = url.database if url.get_backend_name() == "sqlite" else None
    rows = [
        ("MoU Desk export", "Edit this workbook in Excel and import it back into MoU Desk."),
        ("Exported on", datetime.now().astimezone().strftime("%d-%m-%Y %H:%M %Z").strip()),
        ("Exported by", db.clerk or "(not recorded)"),
        ("Database", where or url.render_as_string(hide_password=True)),
        ("Filters", flt.describe()),
        ("Format version", str(wl.FORMAT_VERSION)),
        *((f"{name} rows", f"{count:,}") for name, count in counts.items()),
        (
            "How to edit",
            (
                "Change values in the white columns; add new rows at the bottom with ID and "
                "Version left empty. Do not change the grey ID and Version columns: they tie "
                "each row to its record, so that changes made in MoU Desk meanwhile are merged, "
                "not overwritten. Grey money columns are worked out from Amount × Rate."
            ),
        ),
        ("Dates", "Type dates as DD-MM-YYYY (e.g. 05-07-2025) or pick them in Excel."),
        ("Amounts", "Type numbers, or text such as ₹ 1,200 crore, Rs. 12.5 lakh or 1,23,456."),
    ]
    if meta.get("database_id"):
        rows.insert(4, ("Database id", meta["database_id"]))
    return rows
