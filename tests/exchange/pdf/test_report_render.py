"""The renderers on hand-made data: what a reader gets back from the PDF, pages, progress."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from mou_desk.exchange.pdf.report_model import (
    Bucket,
    Figures,
    FollowUpLine,
    PortfolioReport,
    PortfolioRow,
    ReportContext,
)
from mou_desk.exchange.pdf.report_portfolio import render_portfolio
from mou_desk.exchange.pdf.report_table import Column, GridTable, ReportCancelled, Row

AS_OF = date(2026, 11, 22)
STAGES = ("discussion", "proposal", "signing", "investment")


def _row(i: int) -> PortfolioRow:
    stage = STAGES[i % 4]
    jp = i % 3 == 0
    return PortfolioRow(
        ref=f"UP-T-{i:05d}",
        title=f"Plant number {i} — a title long enough to wrap onto a second line in its column",
        partner="Tanaka Electric Co. Ltd." if jp else f"Partner {i}",
        partner_local="田中電気株式会社" if jp else "",
        sector="Semiconductors",
        district="Jhansi",
        stage=stage,
        status="active" if i % 7 else "on hold",
        days_in_stage=i % 400,
        proposed_inr=Decimal(i) * Decimal("12345678.90"),
        next_action="Site visit",
        next_action_due=AS_OF + timedelta(days=(i % 20) - 10),
        overdue=i % 20 < 10 and i % 7 != 0,
        stale=i % 5 == 0,
    )


def _report(n: int, lang: str = "en") -> PortfolioReport:
    rows = tuple(
        sorted((_row(i) for i in range(1, n + 1)), key=lambda r: (STAGES.index(r.stage), r.ref))
    )
    total = sum((r.proposed_inr or Decimal(0) for r in rows), Decimal(0))
    by_stage = tuple(
        Bucket(
            s,
            sum(1 for r in rows if r.stage == s),
            sum((r.proposed_inr or Decimal(0) for r in rows if r.stage == s), Decimal(0)),
        )
        for s in STAGES
    )
    figures = Figures(
        count=n,
        proposed_inr=total,
        realised_inr=Decimal("1234567890"),
        proposed_jobs=4500,
        realised_jobs=120,
        by_stage=by_stage,
        by_status=(Bucket("active", n, total),),
        by_sector=(Bucket("Semiconductors", n, total),),
        by_district=(Bucket("Jhansi", n, total),),
        by_region=(Bucket("Bundelkhand", n, total),),
        overdue_actions=sum(r.overdue for r in rows),
        stale=sum(r.stale for r in rows),
        overdue_followups=1,
    )
    followups = (
        FollowUpLine(AS_OF - timedelta(days=6), "Send the draft MoC", "V. K. Anand", "UP-T-00001"),
    )
    context = ReportContext(lang, AS_OF, None, (("stage", "proposal"),))  # type: ignore[arg-type]
    return PortfolioReport(context, figures, rows, followups)


def _pdf(report: PortfolioReport, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    render_portfolio(report, buffer, **kwargs)  # type: ignore[arg-type]
    return buffer.getvalue()


def _text(data: bytes) -> list[str]:
    """Each page's text, NFC-normalised: the font maps ड़ back to U+095C, NFC's ड + ़."""
    pages = PdfReader(io.BytesIO(data)).pages
    return [unicodedata.normalize("NFC", page.extract_text()) for page in pages]


def test_portfolio_reads_back_with_figures_names_and_page_numbers() -> None:
    report = _report(60)
    pages = _text(_pdf(report))
    total = len(pages)
    assert total >= 3
    text = "\n".join(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} / {total}" in page
        assert "Confidential — for official use only" in page
        assert "Generated on 22-11-2026" in page
    assert "MoU status report" in pages[0] and "As of 22-11-2026" in pages[0]
    assert "Filters: Stage: Proposal" in pages[0]
    assert "田中電気株式会社" in text and "㍿" not in text
    assert "Tanaka Electric Co. Ltd." in text
    grand = sum((r.proposed_inr or Decimal(0) for r in report.rows), Decimal(0))
    assert grand == Decimal("22592592387.00")
    assert "2,259.26" in pages[0]  # the total in ₹ crore, Indian grouping
    assert "UP-T-00060" in text and "Send the draft MoC" in text
    assert "Overdue follow-ups" in text


def test_the_table_header_repeats_on_every_page_of_the_table() -> None:
    pages = _text(_pdf(_report(120)))
    table_pages = [p for p in pages if "UP-T-" in p]
    assert len(table_pages) >= 4
    for page in table_pages[:-1]:
        assert "Days in" in page and "Next action" in page


def test_hindi_headings() -> None:
    pages = _text(_pdf(_report(8, "hi")))
    text = "\n".join(pages)
    for heading in ("चरण", "समझौता ज्ञापन", "₹ करोड़", "मुख्य आँकड़े", "गोपनीय"):
        assert heading in text
    assert f"पृष्ठ 1 / {len(pages)}" in pages[0]
    assert "田中電気株式会社" in text  # data stays as entered


def test_same_report_same_bytes() -> None:
    report = _report(30, "hi")
    assert _pdf(report) == _pdf(report)


def test_progress_reaches_the_total_and_cancel_stops_the_build() -> None:
    seen: list[tuple[int, int]] = []
    _pdf(_report(300), on_progress=lambda done, total, _text: seen.append((done, total)))
    assert seen[-1] == (301, 301)  # every row and the follow-up
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    calls = iter(range(10_000))
    with pytest.raises(ReportCancelled):
        _pdf(_report(300), is_cancelled=lambda: next(calls) > 3)


def test_grid_table_splits_at_page_breaks_and_keeps_every_row() -> None:
    columns = [Column("Name", 100), Column("Amount", 60, "right")]
    table = GridTable(columns, [Row([f"row {i}", str(i)]) for i in range(100)])
    width, _height = table.wrap(500, 800)
    assert width == 160
    first, rest = table.split(500, 300)
    assert first.wrap(500, 300)[1] <= 300
    assert len(first.laid) + len(rest.laid) == 100
    assert rest.show_header  # the continuation repeats the header
    assert table.split(500, 10) == []  # not even one row fits: move to the next page


def test_generated_at_is_printed_when_no_as_of_date_was_given() -> None:
    report = _report(4)
    context = ReportContext("en", AS_OF, datetime(2026, 11, 22, 14, 5))
    stamped = PortfolioReport(context, report.figures, report.rows, report.overdue_followups)
    page = _text(_pdf(stamped))[0]
    assert "Generated on 22-11-2026 14:05" in page
    assert "All MoUs (no filter)" in page
    assert re.search(r"Page 1 / \d+", page)
