"""The MoU dossier: one MoU in full, portrait A4.

Fields, partners and their contacts, the stage history as a timeline, meetings,
follow-ups, attachments and the latest changes from the change log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from mou_desk.domain.dates import format_date
from mou_desk.domain.money import format_inr
from mou_desk.exchange.pdf.labels import Labels, labels_for
from mou_desk.exchange.pdf.report_charts import STAGE_COLOURS
from mou_desk.exchange.pdf.report_common import (
    Target,
    count,
    followup_columns,
    followup_rows,
    meeting_block,
    money,
    render,
    scaled,
    subtitle,
)
from mou_desk.exchange.pdf.report_layout import (
    PORTRAIT,
    frame_width,
    heading,
    para,
    prepare_fonts,
    spacer,
)
from mou_desk.exchange.pdf.report_lines import LineWriter, wrap
from mou_desk.exchange.pdf.report_model import (
    CancelledFn,
    DossierReport,
    Meeting,
    PartnerInfo,
    StageStep,
)
from mou_desk.exchange.pdf.report_table import (
    MUTED_INK,
    Column,
    GridTable,
    Row,
    Ticker,
)

FieldValue = str | int | Decimal | date | None


def format_value(key: str, value: FieldValue, labels: Labels) -> str:
    """A field's value as printed: dates DD-MM-YYYY, rupees in full and in crore."""
    if value is None or value == "":
        return labels["none"]
    if isinstance(value, Decimal):
        return f"{format_inr(value)} ({money(value, labels)})"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, int):
        return count(value)
    if key == "field.priority":
        return labels.get(f"priority.{value}", value)
    return value


def render_dossier(
    report: DossierReport, target: Target, *, is_cancelled: CancelledFn | None = None
) -> int:
    prepare_fonts()
    labels = labels_for(report.context.lang)
    ticker = Ticker(1, None, is_cancelled)
    width = frame_width(PORTRAIT)
    title = f"{labels['title.dossier']}: {report.ref}"
    story: list[Flowable] = [
        para(title, "title"),
        para(report.title, "h2"),
        para(subtitle(report.context, labels, with_filters=False), "subtitle"),
    ]
    story += _details(report, labels, width)
    story += _partners(report.partners, labels, width)
    story += heading(labels["stage_history"], 1)
    story.append(Timeline(report.history, labels, width))
    story += _meetings(report.meetings, labels, width)
    story += heading(labels["followups"], 1)
    if report.followups:
        rows = followup_rows(report.followups, labels, report.context.as_of, overdue=False)
        story.append(GridTable(followup_columns(labels, width, overdue=False), rows))
    else:
        story.append(para(labels["no_followups"]))
    story += _attachments(report, labels, width)
    story += _changes(report, labels, width)
    ticker.check()
    return render(target, story, report.context, title, PORTRAIT)


def _details(report: DossierReport, labels: Labels, width: float) -> list[Flowable]:
    state = f"{labels.stage(report.stage)} · {labels.status(report.status)}"
    flags = []
    if report.overdue:
        flags.append(labels["overdue_flag"])
    if report.stale:
        flags.append(labels["stale_flag"])
    if flags:
        state += f" ({', '.join(flags)})"
    pairs: list[tuple[str, str]] = [(labels["field.stage"], state)]
    pairs += [(labels[k], format_value(k, v, labels)) for k, v in report.fields]
    half = (len(pairs) + 1) // 2
    value = 12  # lines: a 300-character next action fits whole
    columns = scaled(
        [
            Column("", 105),
            Column("", 160, max_lines=value),
            Column("", 105),
            Column("", 160, max_lines=value),
        ],
        width,
    )
    rows = []
    for i in range(half):
        right = pairs[half + i] if half + i < len(pairs) else ("", "")
        rows.append(
            Row(
                [pairs[i][0], pairs[i][1], right[0], right[1]],
                bold=frozenset({0, 2}),
                ink={0: MUTED_INK, 2: MUTED_INK},
            )
        )
    story: list[Flowable] = [*heading(labels["details"], 1)]
    story.append(GridTable(columns, rows, header=False))
    if report.notes:
        story += [spacer(6), para(labels["field.notes"], "h2")]
        story += [para(line) for line in report.notes.splitlines() if line.strip()]
    return story


def _partners(partners: Sequence[PartnerInfo], labels: Labels, width: float) -> list[Flowable]:
    story: list[Flowable] = [*heading(labels["partners_contacts"], 1)]
    columns = scaled([Column(labels["col.partner"], 190), Column(labels["contacts"], 340)], width)
    rows = []
    for p in partners:
        role = labels["lead_partner"] if p.lead else labels["other_partner"]
        about = "\n".join(
            x
            for x in (
                p.name,
                p.name_local,
                f"{role} · {labels.get(f'kind.{p.kind}', p.kind)}",
                p.place,
                p.website,
            )
            if x
        )
        people = [
            " ".join(
                x for x in (c.honorific, c.name, f"({c.name_local})" if c.name_local else "") if x
            )
            + (f" — {c.designation}" if c.designation else "")
            + "".join(f" · {x}" for x in (c.email, c.phone) if x)
            for c in p.contacts
        ]
        rows.append(
            Row(
                [about, "\n".join(people) or labels["no_contacts"]],
                bold=frozenset(),
                muted_tail=frozenset({0}),
            )
        )
    if rows:
        story.append(GridTable(columns, rows))
    else:
        story.append(para(labels["none"]))
    return story


def _meetings(meetings: Sequence[Meeting], labels: Labels, width: float) -> list[Flowable]:
    story: list[Flowable] = [*heading(labels["meetings"], 1)]
    if not meetings:
        return [*story, para(labels["no_meetings"])]
    for meeting in meetings:
        story += meeting_block(meeting, labels, width)
    return story


def _attachments(report: DossierReport, labels: Labels, width: float) -> list[Flowable]:
    story: list[Flowable] = [*heading(labels["attachments"], 1)]
    if not report.attachments:
        return [*story, para(labels["no_attachments"])]
    columns = scaled(
        [
            Column(labels["col.file"], 220),
            Column(labels["col.size"], 70, "right"),
            Column(labels["col.description"], 240),
        ],
        width,
    )
    rows = [Row([a.file_name, _size(a.size), a.description]) for a in report.attachments]
    return [*story, GridTable(columns, rows)]


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{Decimal(size) / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{Decimal(size) / 1024:.0f} KB"
    return f"{size} B"


def _changes(report: DossierReport, labels: Labels, width: float) -> list[Flowable]:
    story: list[Flowable] = [*heading(labels["recent_changes"], 1)]
    if not report.changes:
        return [*story, para(labels["no_changes"])]
    columns = scaled(
        [
            Column(labels["col.when"], 80),
            Column(labels["col.by"], 95),
            Column(labels["col.field"], 105),
            Column(labels["col.old"], 125),
            Column(labels["col.new"], 125),
        ],
        width,
    )
    rows = [
        Row(
            [
                _when(c.at),
                f"{c.actor}\n{c.origin}" if c.origin else c.actor,
                _field_label(c.field, labels),
                _change_value(c.field, c.old, labels),
                _change_value(c.field, c.new, labels),
            ],
            muted_tail=frozenset({0, 1}),
        )
        for c in report.changes
    ]
    return [*story, GridTable(columns, rows)]


def _field_label(field: str, labels: Labels) -> str:
    if field in ("create", "delete", "restore"):
        return labels.get(f"{field}d", field)
    return labels.get(f"field.{field}", field.replace("_", " "))


def _change_value(field: str, value: str, labels: Labels) -> str:
    if field == "stage" and value:
        return labels.stage(value)
    if field == "status" and value:
        return labels.status(value)
    if field == "priority" and value:
        return labels.get(f"priority.{value}", value)
    return value


def _when(at: datetime) -> str:
    local = at.astimezone() if at.tzinfo is not None else at
    return f"{format_date(local.date())}\n{local:%H:%M}"


class Timeline(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """The stage history as a vertical timeline: a dot per change, date, what and why."""

    ROW = 30.0

    def __init__(self, steps: Sequence[StageStep], labels: Labels, width: float) -> None:
        super().__init__()
        self.steps = list(steps)
        self.labels = labels
        self.width = width
        self._lines = [self._text(s) for s in self.steps]
        self._blocks = [max(self.ROW, 11 + 9.5 * len(lines)) for lines in self._lines]
        self.height = sum(self._blocks) + 4

    def _text(self, step: StageStep) -> list[str]:
        labels = self.labels
        if step.from_stage is None:
            what = labels("recorded", stage=labels.stage(step.to_stage))
        elif step.from_stage != step.to_stage:
            what = labels(
                "moved", old=labels.stage(step.from_stage), new=labels.stage(step.to_stage)
            )
        else:
            what = labels(
                "status_change",
                old=labels.status(step.from_status or ""),
                new=labels.status(step.to_status),
            )
        detail = " — ".join(x for x in (step.reason, step.actor) if x)
        lines = [what]
        if detail:
            lines += wrap(detail, self.width - 150, 7.5, max_lines=3)
        return lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Timeline]:
        """A long history continues on the next page, between two changes."""
        used, fit = 4.0, 0
        while fit < len(self.steps) and used + self._blocks[fit] <= avail_height:
            used += self._blocks[fit]
            fit += 1
        if fit == 0:
            return []
        if fit == len(self.steps):
            return [self]
        return [
            Timeline(self.steps[:fit], self.labels, self.width),
            Timeline(self.steps[fit:], self.labels, self.width),
        ]

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        writer = LineWriter(canvas)
        line_x = 78.0
        blocks = self._blocks
        if len(self.steps) > 1:
            canvas.setStrokeColor(HexColor("#C9D3E0"))
            canvas.setLineWidth(1.2)
            top = self.height - 4 - 7
            canvas.line(line_x, top, line_x, top - sum(blocks[:-1]))
        y = self.height - 4
        for step, lines in zip(self.steps, self._lines, strict=True):
            block = max(self.ROW, 11 + 9.5 * len(lines))
            dot_y = y - 7
            colour = STAGE_COLOURS.get(step.to_stage, HexColor("#4F7CAC"))
            canvas.setFillColor(colour)
            canvas.circle(line_x, dot_y, 3.6, stroke=0, fill=1)
            writer.line(line_x - 10, dot_y - 3, format_date(step.on), 8, True, "right")
            writer.line(line_x + 12, dot_y - 3, lines[0], 9, True)
            for n, extra in enumerate(lines[1:]):
                writer.line(line_x + 12, dot_y - 14 - 9.5 * n, extra, 7.5, colour=MUTED_INK)
            y -= block
        writer.finish()
        canvas.restoreState()
