"""The portfolio status report: key figures, charts, the MoU table by stage, overdue follow-ups.

Landscape A4 throughout: the MoU table has nine columns. The table is drawn as chunks of
:class:`GridTable` (see ``report_table``), which keeps 10,000 MoUs within a few seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.platypus import Flowable, Table

from mou_desk.domain.stages import Stage
from mou_desk.exchange.pdf.labels import Labels, labels_for
from mou_desk.exchange.pdf.report_charts import STAGE_COLOURS, Bar, BarChart, Funnel
from mou_desk.exchange.pdf.report_common import (
    Target,
    count,
    crore_cell,
    day,
    followup_columns,
    followup_rows,
    money,
    render,
    scaled,
    subtitle,
)
from mou_desk.exchange.pdf.report_layout import (
    LANDSCAPE,
    FigureStrip,
    frame_height,
    frame_width,
    heading,
    para,
    prepare_fonts,
    spacer,
)
from mou_desk.exchange.pdf.report_model import (
    Bucket,
    CancelledFn,
    PortfolioReport,
    PortfolioRow,
    ProgressFn,
)
from mou_desk.exchange.pdf.report_table import (
    OVERDUE_FILL,
    OVERDUE_INK,
    STALE_FILL,
    STALE_INK,
    Column,
    GridTable,
    Row,
    Ticker,
    chunked,
)

TOP_BARS = 10


def render_portfolio(
    report: PortfolioReport,
    target: Target,
    *,
    on_progress: ProgressFn | None = None,
    is_cancelled: CancelledFn | None = None,
) -> int:
    """Write the report as PDF to ``target`` (a path or a binary file); returns the pages."""
    prepare_fonts()
    labels = labels_for(report.context.lang)
    ticker = Ticker(
        len(report.rows) + len(report.overdue_followups),
        on_progress,
        is_cancelled,
        labels["title.portfolio"],
    )
    story = _summary(report, labels)
    story += _mou_tables(report, labels, ticker)
    story += _followups(report, labels, ticker)
    ticker.check()
    return render(target, story, report.context, labels["title.portfolio"], LANDSCAPE)


def _summary(report: PortfolioReport, labels: Labels) -> list[Flowable]:
    width = frame_width(LANDSCAPE)
    f = report.figures
    unit = labels["crore_col"]
    strip = FigureStrip(
        [
            (count(f.count), labels["mous"]),
            (crore_cell(f.proposed_inr, labels), f"{labels['proposed_investment']} ({unit})"),
            (crore_cell(f.realised_inr, labels), f"{labels['realised_investment']} ({unit})"),
            (count(f.proposed_jobs), labels["proposed_jobs"]),
            (count(f.realised_jobs), labels["realised_jobs"]),
            (count(f.overdue_actions), labels["overdue_actions"]),
            (count(f.stale), labels["stale_mous"]),
            (count(f.overdue_followups), labels["overdue_followups_count"]),
        ],
        width,
    )
    left_w = width * 0.46
    stage_table = GridTable(
        scaled(
            [
                Column(labels["stage"], 120),
                Column(labels["mous"], 70, "right"),
                Column(labels["investment_crore"], 100, "right"),
                Column(labels["share"], 55, "right"),
            ],
            left_w,
        ),
        _stage_rows(f.by_stage, f.count, f.proposed_inr, labels),
    )
    statuses = "; ".join(f"{labels.status(b.key)} {count(b.count)}" for b in f.by_status)
    statuses = statuses or labels["none"]
    left = [stage_table, spacer(4), para(f"{labels['by_status']}: {statuses}", "small")]
    funnel = Funnel(
        labels["funnel"],
        [
            Bar(
                labels.stage(b.key),
                Decimal(b.count),
                count(b.count),
                STAGE_COLOURS.get(b.key),
                money(b.proposed_inr, labels),
            )
            for b in f.by_stage
        ],
        width - left_w - 24,
        118,
    )
    third = (width - 2 * 18) / 3
    charts = [
        BarChart(labels["by_sector"], _bars(f.by_sector, labels), third),
        BarChart(labels["by_district"], _bars(f.by_district, labels), third),
        BarChart(labels["by_region"], _bars(f.by_region, labels), third),
    ]
    return [
        para(labels["title.portfolio"], "title"),
        para(subtitle(report.context, labels), "subtitle"),
        *heading(labels["key_figures"], 1, 60),
        strip,
        spacer(10),
        _side_by_side([left, funnel], [left_w + 24, width - left_w - 24]),
        spacer(12),
        _side_by_side(charts, [third + 18, third + 18, third]),
    ]


def _side_by_side(cells: Sequence[object], widths: Sequence[float]) -> Table:
    table = Table([list(cells)], colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return table


def _stage_rows(
    buckets: Sequence[Bucket], total: int, amount: Decimal, labels: Labels
) -> list[Row]:
    rows = []
    for b in buckets:
        share = f"{(Decimal(b.count) * 100 / total):.1f} %" if total else labels["none"]
        rows.append(
            Row([labels.stage(b.key), count(b.count), crore_cell(b.proposed_inr, labels), share])
        )
    rows.append(
        Row(
            [
                labels["total"],
                count(total),
                crore_cell(amount, labels),
                "100.0 %" if total else labels["none"],
            ],
            bold=frozenset(range(4)),
        )
    )
    return rows


def _bars(buckets: Sequence[Bucket], labels: Labels) -> list[Bar]:
    ranked = sorted(buckets, key=lambda b: (-b.proposed_inr, -b.count, b.key))
    shown, rest = ranked[:TOP_BARS], ranked[TOP_BARS:]
    bars = [
        Bar(
            b.key or labels["not_set"],
            b.proposed_inr,
            f"{crore_cell(b.proposed_inr, labels)} ({count(b.count)})",
        )
        for b in shown
    ]
    if rest:
        amount = sum((b.proposed_inr for b in rest), Decimal(0))
        number = sum(b.count for b in rest)
        bars.append(
            Bar(
                labels("others", count=len(rest)),
                amount,
                f"{crore_cell(amount, labels)} ({count(number)})",
            )
        )
    return bars


def mou_columns(labels: Labels, width: float) -> list[Column]:
    return scaled(
        [
            Column(labels["col.ref"], 80),
            Column(labels["col.title"], 165, max_lines=8),
            Column(labels["col.partner"], 128),
            Column(labels["col.sector"], 78),
            Column(labels["col.district"], 68),
            Column(labels["col.days"], 40, "right"),
            Column(labels["col.crore"], 54, "right"),
            Column(labels["col.next_action"], 96),
            Column(labels["col.due"], 50),
        ],
        width,
    )


def mou_row(r: PortfolioRow, labels: Labels) -> Row:
    ref = r.ref if r.status == "active" else f"{r.ref}\n{labels.status(r.status)}"
    partner = f"{r.partner}\n{r.partner_local}" if r.partner_local else r.partner
    days = f"{count(r.days_in_stage)}{' *' if r.stale else ''}"
    ink = {}
    if r.overdue:
        ink[8] = OVERDUE_INK
    if r.stale:
        ink[5] = STALE_INK
    return Row(
        [
            ref,
            r.title,
            partner or labels["none"],
            r.sector,
            r.district,
            days,
            crore_cell(r.proposed_inr, labels),
            r.next_action,
            day(r.next_action_due, labels),
        ],
        fill=OVERDUE_FILL if r.overdue else STALE_FILL if r.stale else None,
        bold=frozenset({8} if r.overdue else ()) | frozenset({5} if r.stale else ()),
        ink=ink,
        muted_tail=frozenset({0, 2}),
    )


def _mou_tables(report: PortfolioReport, labels: Labels, ticker: Ticker) -> list[Flowable]:
    story: list[Flowable] = [*heading(labels["mous_by_stage"], 1, 200)]
    story.append(para(labels["legend"], "small"))
    if not report.rows:
        return [*story, para(labels["no_mous"])]
    columns = mou_columns(labels, frame_width(LANDSCAPE))
    height = frame_height(LANDSCAPE)
    by_stage = {b.key: b for b in report.figures.by_stage}
    for stage in Stage:
        rows = [r for r in report.rows if r.stage == stage.value]
        if not rows:
            continue
        ticker.check()
        bucket = by_stage.get(stage.value)
        amount = money(bucket.proposed_inr if bucket else Decimal(0), labels)
        title = labels(
            "stage_heading",
            stage=labels.stage(stage.value),
            mous=labels.mous(len(rows), count(len(rows))),
            amount=amount,
        )
        story += heading(title, 2, 110)
        story += chunked(
            columns, [mou_row(r, labels) for r in rows], frame_height=height, ticker=ticker
        )
    return story


def _followups(report: PortfolioReport, labels: Labels, ticker: Ticker) -> list[Flowable]:
    story: list[Flowable] = [*heading(labels["overdue_followups"], 1, 120)]
    if not report.overdue_followups:
        return [*story, para(labels["no_overdue"])]
    columns = followup_columns(labels, frame_width(LANDSCAPE), overdue=True)
    rows = followup_rows(report.overdue_followups, labels, report.context.as_of, overdue=True)
    return story + chunked(columns, rows, frame_height=frame_height(LANDSCAPE), ticker=ticker)
