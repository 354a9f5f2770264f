"""The trip report: what a delegation sends up after a visit, portrait A4.

Each meeting (date, place, who met whom, what was discussed), then the MoUs the meetings
touched with where they stand now, then the follow-ups the meetings created.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable

from mou_desk.exchange.pdf.labels import Labels, labels_for
from mou_desk.exchange.pdf.report_common import (
    Target,
    count,
    crore_cell,
    day,
    followup_columns,
    followup_rows,
    meeting_block,
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
)
from mou_desk.exchange.pdf.report_model import CancelledFn, TouchedMou, TripReport
from mou_desk.exchange.pdf.report_table import Column, GridTable, Row, Ticker


def render_trip(
    report: TripReport, target: Target, *, is_cancelled: CancelledFn | None = None
) -> int:
    prepare_fonts()
    labels = labels_for(report.context.lang)
    ticker = Ticker(1, None, is_cancelled)
    width = frame_width(PORTRAIT)
    title = f"{labels['title.trip']}: {report.name}"
    when = ""
    if report.start_on or report.end_on:
        when = labels(
            "trip_dates", start=day(report.start_on, labels), end=day(report.end_on, labels)
        )
    facts = " · ".join(x for x in (report.country, when) if x)
    summary = labels(
        "trip_summary",
        meetings=count(len(report.meetings)),
        partners=count(report.partner_count),
        mous=count(len(report.mous)),
    )
    story: list[Flowable] = [
        para(labels["title.trip"], "title"),
        para(report.name, "h2"),
        para(" · ".join(x for x in (facts, summary) if x), "body"),
        para(subtitle(report.context, labels, with_filters=False), "subtitle"),
    ]
    if report.notes:
        story += [para(line) for line in report.notes.splitlines() if line.strip()]
    story += heading(labels["meetings"], 1)
    if not report.meetings:
        story.append(para(labels["no_meetings"]))
    for meeting in report.meetings:
        story += meeting_block(meeting, labels, width)
    story += heading(labels["mous_touched"], 1)
    story.append(
        _mous(report.mous, labels, width) if report.mous else para(labels["no_mous_touched"])
    )
    story += heading(labels["followups_created"], 1)
    if report.followups:
        rows = followup_rows(report.followups, labels, report.context.as_of, overdue=False)
        story.append(GridTable(followup_columns(labels, width, overdue=False), rows))
    else:
        story.append(para(labels["no_followups_created"]))
    ticker.check()
    return render(target, story, report.context, title, PORTRAIT)


def _mous(mous: Sequence[TouchedMou], labels: Labels, width: float) -> GridTable:
    columns = scaled(
        [
            Column(labels["col.ref"], 82),
            Column(labels["col.title"], 150),
            Column(labels["col.partner"], 110),
            Column(labels["stage"], 62),
            Column(labels["col.crore"], 50, "right"),
            Column(labels["col.next_action"], 100),
            Column(labels["col.due"], 56),
        ],
        width,
    )
    rows = []
    for m in mous:
        state = labels.stage(m.stage)
        if m.status != "active":
            state += f"\n{labels.status(m.status)}"
        partner = f"{m.partner}\n{m.partner_local}" if m.partner_local else m.partner
        rows.append(
            Row(
                [
                    m.ref,
                    m.title,
                    partner,
                    state,
                    crore_cell(m.proposed_inr, labels),
                    m.next_action,
                    day(m.next_action_due, labels),
                ],
                muted_tail=frozenset({2, 3}),
            )
        )
    return GridTable(columns, rows)
