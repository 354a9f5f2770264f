"""Formatting shared by the three reports: money, counts, dates and page furniture."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import IO

from reportlab.platypus import Flowable, KeepTogether

from mou_desk.domain.dates import format_date
from mou_desk.domain.money import crore, format_crore, format_grouped_indian
from mou_desk.exchange.pdf.labels import Labels, labels_for
from mou_desk.exchange.pdf.report_layout import (
    Page,
    build,
    filters_text,
    generated_text,
    para,
    spacer,
)
from mou_desk.exchange.pdf.report_lines import wrap
from mou_desk.exchange.pdf.report_model import FollowUpLine, Meeting, ReportContext
from mou_desk.exchange.pdf.report_table import Column, GridTable, Row, TableStyle

Target = str | IO[bytes]


def money(value: Decimal | None, labels: Labels) -> str:
    """``₹ 1,234.50 crore`` (``करोड़`` in Hindi); a dash for no amount."""
    if value is None:
        return labels["none"]
    text = format_crore(value)
    if labels.lang == "hi":
        text = text.removesuffix(" crore") + " करोड़"
    return text


def crore_cell(value: Decimal | None, labels: Labels) -> str:
    """The bare figure for a "₹ crore" column: ``1,234.50``."""
    if value is None:
        return labels["none"]
    return format_grouped_indian(crore(value), 2)


def count(value: int) -> str:
    return format_grouped_indian(value)


def day(value: date | None, labels: Labels) -> str:
    return format_date(value) if value is not None else labels["none"]


def page_for(context: ReportContext, labels: Labels, title: str) -> Page:
    return Page(
        title=title,
        department=labels["department"],
        as_of=labels("as_of", date=format_date(context.as_of)),
        generated=f"{generated_text(context, labels)} · {labels['app']}",
        confidential=labels["confidential"],
        page_label=lambda number, total: labels("page", page=number, pages=total),
    )


def subtitle(context: ReportContext, labels: Labels, with_filters: bool = True) -> str:
    parts = [labels("as_of", date=format_date(context.as_of))]
    if with_filters:
        parts.append(f"{labels['filters']}: {filters_text(context, labels)}")
    return " · ".join(parts)


def render(
    target: Target,
    story: list[Flowable],
    context: ReportContext,
    title: str,
    pagesize: tuple[float, float],
) -> int:
    labels = labels_for(context.lang)
    return build(
        target,
        story,
        page=page_for(context, labels, title),
        pagesize=pagesize,
        subject=f"{title} ({context.lang})",
        lang=context.lang,
    )


def scaled(columns: list[Column], total: float) -> list[Column]:
    """Columns stretched or shrunk in proportion to fill ``total`` points."""
    factor = total / sum(c.width for c in columns)
    return [Column(c.title, c.width * factor, c.align, c.max_lines) for c in columns]


def followup_columns(labels: Labels, width: float, *, overdue: bool) -> list[Column]:
    cols = [
        Column(labels["col.due"], 62),
        Column(
            labels["col.days_overdue"] if overdue else labels["col.done"],
            58,
            "right" if overdue else "left",
        ),
        Column(labels["col.followup"], 300),
        Column(labels["col.mou"], 95),
        Column(labels["col.owner"], 120),
    ]
    return scaled(cols, width)


def followup_rows(
    lines: tuple[FollowUpLine, ...], labels: Labels, as_of: date, *, overdue: bool
) -> list[Row]:
    rows = []
    for f in lines:
        if overdue:
            second = count((as_of - f.due_on).days)
        else:
            second = day(f.done_on, labels) if f.done_on else labels["open"]
        late = not overdue and f.done_on is None and f.due_on < as_of  # every row is, there
        rows.append(
            Row(
                [format_date(f.due_on), second, f.title, f.mou_ref or labels["none"], f.owner],
                bold=frozenset({0}) if late else frozenset(),
            )
        )
    return rows


def meeting_block(m: Meeting, labels: Labels, width: float) -> list[Flowable]:
    """A meeting: date and title, then place, who met whom, the MoUs, what was discussed.

    A discussion too long for a table cell follows the table as paragraphs, which can
    continue on the next page; nothing is cut short.
    """
    columns = scaled([Column("", 110), Column("", 420, max_lines=DISCUSSION_LINES)], width)
    rows = [Row([labels["col.place"], m.place or labels["none"]], bold=frozenset({0}))]
    if m.officers:
        rows.append(Row([labels["our_side"], "\n".join(m.officers)], bold=frozenset({0})))
    if m.partners or m.contacts:
        rows.append(
            Row([labels["their_side"], "\n".join(m.partners + m.contacts)], bold=frozenset({0}))
        )
    if m.mou_refs:
        rows.append(Row([labels["mous_touched"], ", ".join(m.mou_refs)], bold=frozenset({0})))
    long_discussion: list[str] = []
    if m.discussion:
        value_width = columns[1].width - 2 * TableStyle().pad_x
        lines = sum(len(wrap(p, value_width, TableStyle().size)) for p in m.discussion.split("\n"))
        if lines <= DISCUSSION_LINES:
            rows.append(Row([labels["discussed"], m.discussion], bold=frozenset({0})))
        else:
            long_discussion = [p for p in m.discussion.splitlines() if p.strip()]
    head = f"{format_date(m.held_on)} · {m.title}"
    block: list[Flowable] = [
        KeepTogether([para(head, "h2"), GridTable(columns, rows, header=False)])
    ]
    if long_discussion:  # paragraphs flow on over pages; the label stays with the first
        first, *rest = long_discussion
        block.append(KeepTogether([para(f"{labels['discussed']}:", "h2"), para(first)]))
        block += [para(p) for p in rest]
    return [*block, spacer(4)]


DISCUSSION_LINES = 12

Progress = Callable[[int, int, str], None]
