"""PDF reports end to end on the sample portfolio: what a reader gets back, figures, files."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from mou_desk.domain.money import crore, format_grouped_indian
from mou_desk.domain.stages import Stage
from mou_desk.exchange.pdf.report_model import ReportContext
from mou_desk.services.dashboard import dashboard
from mou_desk.services.desk import Desk
from mou_desk.services.reports import (
    ReportCancelled,
    ReportInputError,
    ReportUsageError,
    portfolio_report,
    write_report,
)

TRIP = "Japan delegation, July 2025"


def _pages(path: Path) -> list[str]:
    """Each page's text, NFC-normalised (the font gives ड़ back as U+095C)."""
    return [unicodedata.normalize("NFC", p.extract_text()) for p in PdfReader(path).pages]


@pytest.fixture
def as_of(demo_desk: Desk) -> date:
    return demo_desk.db.today()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the reports (the database lives in ``tmp_path``)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_portfolio_report_in_english(demo_desk: Desk, as_of: date, out: Path) -> None:
    path = write_report(demo_desk, out / "status.pdf", as_of=as_of)
    assert path == out / "status.pdf"
    pages = _pages(path)
    text = "\n".join(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} / {len(pages)}" in page
    assert "Invest UP — Department of Infrastructure and Industrial Development" in pages[0]
    assert "Tanaka Electric Co. Ltd." in text and "田中電気株式会社" in text
    assert "関西医薬品協会" in text and "㍿" not in text
    total = dashboard(demo_desk.db).total.proposed_inr
    assert format_grouped_indian(crore(total), 2) == "1,921.28"
    assert "1,921.28" in pages[0]
    for stage in ("Discussion — 2 MoUs", "Proposal — 2 MoUs", "Signing — 1 MoU,"):
        assert stage in text
    assert "UP-JP-2025-006" in text and "On hold" in text
    assert "Overdue follow-ups" in text and "Send the draft MoC to KPIA" in text
    assert list(out.iterdir()) == [path]  # no temporary file left behind


def test_portfolio_report_in_hindi(demo_desk: Desk, as_of: date, out: Path) -> None:
    pages = _pages(write_report(demo_desk, out / "hi.pdf", lang="hi", as_of=as_of))
    text = "\n".join(pages)
    for heading in ("समझौता ज्ञापन", "चरण", "₹ करोड़", "मुख्य आँकड़े", "गोपनीय", "हस्ताक्षर"):
        assert heading in text
    assert f"पृष्ठ 1 / {len(pages)}" in pages[0]
    assert "Tanaka Electric Co. Ltd." in text and "田中電気株式会社" in text  # data as entered


def test_figures_match_the_dashboard(demo_desk: Desk, as_of: date) -> None:
    report = portfolio_report(demo_desk, ReportContext("en", as_of))
    board = dashboard(demo_desk.db)
    f = report.figures
    assert (f.count, f.proposed_inr) == (board.total.count, board.total.proposed_inr)
    assert (f.realised_inr, f.proposed_jobs) == (board.realised_inr, board.proposed_jobs)
    assert [(b.key, b.count, b.proposed_inr) for b in f.by_stage] == [
        (b.key, b.count, b.proposed_inr) for b in board.by_stage
    ]
    assert f.stale == len(board.stale)
    assert f.overdue_followups == len(board.overdue) == len(report.overdue_followups)
    assert [r.stage for r in report.rows] == sorted(
        (r.stage for r in report.rows), key=lambda s: Stage(s).order
    )
    assert f.by_region and {b.key for b in f.by_region} >= {"Bundelkhand", "Central"}


def test_filters_restrict_the_rows_and_are_printed(demo_desk: Desk, as_of: date, out: Path) -> None:
    report = portfolio_report(demo_desk, ReportContext("en", as_of), stage="Proposal")
    assert {r.stage for r in report.rows} == {"proposal"} and len(report.rows) == 2
    sector = portfolio_report(demo_desk, ReportContext("en", as_of), sector="rare earth & MAGNETS")
    assert [r.ref for r in sector.rows] == ["UP-JP-2025-003"]
    assert sector.context.filters == (("sector", "Rare earth & magnets"),)
    page = _pages(write_report(demo_desk, out / "f.pdf", stage="proposal", as_of=as_of))[0]
    assert "Filters: Stage: Proposal" in page
    with pytest.raises(ReportInputError, match="Sectors in use: EV & batteries"):
        write_report(demo_desk, out / "x.pdf", sector="Tourism")
    assert not (out / "x.pdf").exists()


def test_overdue_and_stale_follow_the_as_of_date(demo_desk: Desk, as_of: date) -> None:
    now = portfolio_report(demo_desk, ReportContext("en", as_of))
    later = portfolio_report(demo_desk, ReportContext("en", as_of + timedelta(days=400)))
    assert later.figures.overdue_actions > now.figures.overdue_actions
    assert later.figures.stale >= now.figures.stale
    magnets = next(r for r in later.rows if r.ref == "UP-JP-2025-003")
    assert magnets.days_in_stage == (as_of + timedelta(days=400) - date(2026, 6, 20)).days
    assert len(later.overdue_followups) == 5


def test_dossier(demo_desk: Desk, as_of: date, out: Path) -> None:
    text = "\n".join(
        _pages(
            write_report(
                demo_desk, out / "d.pdf", mou_ref="up-jp-2025-003", kind="dossier", as_of=as_of
            )
        )
    )
    for expected in (
        "MoU dossier: UP-JP-2025-003",
        "Near-net-shape rare-earth magnet plant",
        "Tanaka Electric Co. Ltd.",
        "田中電気株式会社",
        "Mr. Takeo Tanaka — Chairman",
        "Stage history",
        "Signing → Investment",
        "Land allotted at Jhansi node",
        "Meeting with Tanaka Electric",
        "¥ 2,000,000,000",
        "₹ 1,14,24,00,000 (₹ 114.24 crore)",
        "Confirm the ground-breaking date with 田中電気株式会社",
        "Recent changes",
        "No files attached.",
    ):
        assert expected in text, expected


def test_dossier_lists_attachments(demo_desk: Desk, as_of: date, out: Path) -> None:
    signed = out / "signed MoU.pdf"
    signed.write_bytes(b"%PDF-1.4 signed" * 100)
    mou = demo_desk.mous.by_ref("UP-JP-2025-001")
    demo_desk.attachments.add_file(signed, mou_id=mou.id, description="Signed copy")
    path = write_report(
        demo_desk, out / "d.pdf", mou_ref="UP-JP-2025-001", kind="dossier", lang="hi", as_of=as_of
    )
    text = "\n".join(_pages(path))
    assert "signed MoU.pdf" in text and "Signed copy" in text and "1 KB" in text
    assert "संलग्नक" in text and "HAYASHI Yoshikazu" in text


def test_trip_report(demo_desk: Desk, as_of: date, out: Path) -> None:
    path = write_report(demo_desk, out / "t.pdf", kind="trip", trip_name=TRIP, as_of=as_of)
    text = "\n".join(_pages(path))
    for expected in (
        "Trip report",
        TRIP,
        "27-07-2025 to 01-08-2025",
        "Meeting with KPIA leadership",
        "Dr. HAYASHI Yoshikazu, Director General",
        "Awanish Kumar Awasthi",
        "Chandru Apar, Consul General of India, Osaka-Kobe",
        "(関西医薬品協会)",
        "MoUs touched",
        "UP-JP-2025-001",
        "UP-JP-2025-006",
        "Follow-ups created",
        "Send the draft MoC to KPIA",
        "Fix dates for the NLAB engineers' site visit",
    ):
        assert expected in text, expected
    assert "Video call with NLAB" not in text  # after the trip: not one of its meetings
    hindi = "\n".join(
        _pages(
            write_report(
                demo_desk, out / "t.pdf", trip_name=TRIP, kind="trip", lang="hi", as_of=as_of
            )
        )
    )
    assert "हमारी ओर से" in hindi and "साझेदार पक्ष" in hindi


def test_same_data_and_date_give_the_same_bytes(demo_desk: Desk, as_of: date, out: Path) -> None:
    for kind, extra in (
        ("portfolio", {}),
        ("dossier", {"mou_ref": "UP-JP-2025-001"}),
        ("trip", {"trip_name": TRIP}),
    ):
        for lang in ("en", "hi"):
            first = write_report(
                demo_desk, out / "a.pdf", kind=kind, lang=lang, as_of=as_of, **extra
            ).read_bytes()
            second = write_report(
                demo_desk, out / "b.pdf", kind=kind, lang=lang, as_of=as_of, **extra
            ).read_bytes()
            assert first == second, (kind, lang)


def test_unknown_mou_or_trip_is_refused(demo_desk: Desk, out: Path) -> None:
    with pytest.raises(ReportInputError, match="No MoU has the reference 'UP-XX-1'") as info:
        write_report(demo_desk, out / "x.pdf", kind="dossier", mou_ref="UP-XX-1")
    assert info.value.exit_code == 1
    with pytest.raises(ReportInputError, match=f"No trip is named 'Korea'. Trips: {TRIP}"):
        write_report(demo_desk, out / "x.pdf", kind="trip", trip_name="Korea")
    demo_desk.mous.delete(demo_desk.mous.by_ref("UP-JP-2025-005").id)
    with pytest.raises(ReportInputError, match="in the trash"):
        write_report(demo_desk, out / "x.pdf", kind="dossier", mou_ref="UP-JP-2025-005")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "summary"}, "Unknown report kind"),
        ({"lang": "fr"}, "choose en"),
        ({"kind": "dossier"}, "--mou REF"),
        ({"kind": "trip"}, "--trip NAME"),
        ({"kind": "trip", "trip_name": TRIP, "stage": "signing"}, "portfolio report only"),
        ({"stage": "finished"}, "not a stage"),
    ],
)
def test_usage_errors(demo_desk: Desk, out: Path, kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises((ReportUsageError, Exception), match=message):
        write_report(demo_desk, out / "x.pdf", **kwargs)
    assert list(out.iterdir()) == []


def test_destination_problems(demo_desk: Desk, out: Path) -> None:
    with pytest.raises(ReportUsageError, match="does not exist") as info:
        write_report(demo_desk, out / "missing" / "x.pdf")
    assert info.value.exit_code == 2
    with pytest.raises(ReportUsageError, match="is a folder"):
        write_report(demo_desk, out)


def test_cancel_leaves_the_old_file_and_no_temporary(demo_desk: Desk, out: Path) -> None:
    target = out / "status.pdf"
    target.write_bytes(b"the previous report")
    progress: list[tuple[int, int]] = []
    calls = iter(range(1000))
    with pytest.raises(ReportCancelled):
        write_report(
            demo_desk,
            target,
            on_progress=lambda d, t, _s: progress.append((d, t)),
            is_cancelled=lambda: next(calls) >= 2,
        )
    assert target.read_bytes() == b"the previous report"
    assert list(out.iterdir()) == [target]
    assert progress and progress[0] == (0, 0)
    write_report(demo_desk, target, on_progress=lambda d, t, _s: progress.append((d, t)))
    assert target.read_bytes().startswith(b"%PDF") and progress[-1][0] == progress[-1][1] > 0


def test_a_thousand_synthetic_mous(desk: Desk, out: Path) -> None:
    from mou_desk.services.synthetic import load_synthetic

    load_synthetic(desk.db, 1000)
    as_of = date(2026, 11, 1)
    path = write_report(desk, out / "big.pdf", as_of=as_of)
    reader = PdfReader(path)
    pages = len(reader.pages)
    assert pages > 30
    last = reader.pages[-1].extract_text()
    assert f"Page {pages} / {pages}" in last
    report = portfolio_report(desk, ReportContext("en", as_of))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert all(r.ref in text for r in report.rows[::97])
    assert sum(b.count for b in report.figures.by_stage) == 1000
    assert report.figures.proposed_inr == sum(
        (r.proposed_inr or Decimal(0) for r in report.rows), Decimal(0)
    )


def test_long_texts_and_histories_flow_over_pages(desk: Desk, out: Path) -> None:
    """Nothing is too tall for a page: a long history, a long discussion, a long title."""
    from mou_desk.domain.stages import Status

    start = date(2020, 1, 1)
    partner = desk.partners.create({"name": "田中電気株式会社", "name_local": "田中電気株式会社"})
    mou = desk.mous.create(
        {
            "title": "Very long title " * 18,
            "lead_partner_id": partner.id,
            "stage_since": start,
            "last_activity_on": start,
            "next_action": "Follow up " * 30,
        }
    )
    for n in range(30):
        status = Status.ON_HOLD if n % 2 == 0 else Status.ACTIVE
        current = desk.mous.get(mou.id)
        desk.mous.change_status(
            mou.id, status, f"Reason {n} " * 8, start + timedelta(days=n), current.version
        )
    trip = desk.trips.create({"name": "Long trip"})
    desk.engagements.create(
        {
            "trip_id": trip.id,
            "title": "Long meeting",
            "held_on": start,
            "mou_ids": [mou.id],
            "discussion": "\n".join(
                f"Point {n}: " + "discussed at length " * 12 for n in range(60)
            ),
        }
    )
    ref = desk.mous.get(mou.id).values["ref"]
    dossier = "\n".join(_pages(write_report(desk, out / "d.pdf", mou_ref=ref, kind="dossier")))
    assert "Reason 29" in dossier and "Point 59:" in dossier and "Very long title" in dossier
    trip_text = "\n".join(
        _pages(write_report(desk, out / "t.pdf", trip_name="Long trip", kind="trip"))
    )
    assert "Point 0:" in trip_text and "Point 59:" in trip_text
    assert "田中電気株式会社" in "\n".join(_pages(write_report(desk, out / "p.pdf")))
