"""The .ics writer, read back with a small RFC 5545 unfolding parser."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from mou_desk.services.agenda import FollowUpItem, calendar_events
from mou_desk.services.ics import CalendarEvent, calendar_bytes, escape_text, fold

NOW = datetime(2025, 7, 30, 4, 5, 6, tzinfo=UTC)


def unfold(data: bytes) -> list[str]:
    """Content lines: CRLF followed by a space or tab continues the previous line."""
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "bare LF or CR in the file"
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars)
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(char)
    return "".join(out)


def parse(data: bytes) -> list[dict[str, str]]:
    """The VEVENTs (with their VALARM's properties prefixed ALARM-) as name -> value."""
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    prefix = ""
    for line in unfold(data):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif line == "BEGIN:VALARM":
            prefix = "ALARM-"
        elif line == "END:VALARM":
            prefix = ""
        elif current is not None:
            current[prefix + name] = value
    return events


def item(**changes: object) -> FollowUpItem:
    base = FollowUpItem(
        id="7b0c5a0e-1111-4222-8333-944455556666",
        title="Send the draft MoU to 田中電気株式会社 for उत्तर प्रदेश land allotment",
        owner="Vijay Kiran Anand",
        due_on=date(2025, 8, 14),
        done_on=None,
        mou_id="m1",
        mou_ref="UP-JP-2025-003",
        mou_title="Near-net-shape rare-earth magnet plant",
        partner_id="p1",
        partner_name="Tanaka Electric Co. Ltd.",
        partner_name_local="田中電気株式会社",
        notes="Bring: plot map, power tariff; ask about SmCo\\NdFeB lines",
        version=3,
    )
    return base._replace(**changes)  # type: ignore[arg-type]


def test_followups_become_all_day_events_outlook_can_import() -> None:
    data = calendar_bytes(calendar_events([item()]), now=NOW)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert not data.startswith(b"\xef\xbb\xbf")
    lines = unfold(data)
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    [event] = parse(data)
    assert event["UID"] == "7b0c5a0e-1111-4222-8333-944455556666@mou-desk"
    assert event["DTSTAMP"] == "20250730T040506Z"
    assert event["DTSTART;VALUE=DATE"] == "20250814"
    assert event["DTEND;VALUE=DATE"] == "20250815"
    summary = unescape(event["SUMMARY"])
    assert "田中電気株式会社" in summary
    assert "उत्तर प्रदेश" in summary
    assert "UP-JP-2025-003" in summary
    description = unescape(event["DESCRIPTION"])
    assert "MoU UP-JP-2025-003: Near-net-shape rare-earth magnet plant" in description
    assert "Partner: Tanaka Electric Co. Ltd. (田中電気株式会社)" in description
    assert "Owner: Vijay Kiran Anand" in description
    assert "Due: 14-08-2025" in description
    assert description.endswith("Bring: plot map, power tariff; ask about SmCo\\NdFeB lines")
    assert event["ALARM-ACTION"] == "DISPLAY"
    assert event["ALARM-TRIGGER"] == "-PT15H"
    assert unescape(event["ALARM-DESCRIPTION"]) == summary


def test_every_physical_line_fits_75_octets_and_is_whole_utf8() -> None:
    long_title = "उत्तर प्रदेश निवेश " * 8 + "田中電気株式会社" * 6
    data = calendar_bytes(calendar_events([item(title=long_title)]), now=NOW)
    physical = data.split(b"\r\n")[:-1]
    assert any(line.startswith(b" ") for line in physical), "long lines are folded"
    for line in physical:
        assert len(line) <= 75
        line.decode("utf-8")  # raises if a fold split a multi-byte character
    [event] = parse(data)
    assert unescape(event["SUMMARY"]).startswith(long_title)


def test_text_values_escape_commas_semicolons_backslashes_and_newlines() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    event = CalendarEvent("x", date(2025, 1, 31), "Call; then write, \\ done", "one\ntwo")
    [parsed] = parse(calendar_bytes([event], now=NOW))
    assert parsed["SUMMARY"] == "Call\\; then write\\, \\\\ done"
    assert unescape(parsed["DESCRIPTION"]) == "one\ntwo"
    assert parsed["DTEND;VALUE=DATE"] == "20250201"  # the day after, across a month end


def test_a_followup_without_an_mou_names_its_partner() -> None:
    free = item(mou_id=None, mou_ref="", mou_title="", title="Thank-you letter")
    [event] = parse(calendar_bytes(calendar_events([free]), now=NOW))
    assert unescape(event["SUMMARY"]) == "Thank-you letter"
    assert "MoU" not in unescape(event["DESCRIPTION"])
    assert "Partner: Tanaka Electric Co. Ltd." in unescape(event["DESCRIPTION"])


def test_dtstamp_is_utc_whatever_zone_the_clock_gives() -> None:
    ist = datetime(2025, 7, 30, 15, 5, 6, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    [event] = parse(calendar_bytes(calendar_events([item()]), now=ist))
    assert event["DTSTAMP"] == "20250730T093506Z"


@given(st.text(min_size=0, max_size=300))
def test_folding_round_trips_any_text(text: str) -> None:
    line = "SUMMARY:" + escape_text(text)
    folded = fold(line).encode("utf-8")
    for physical in folded.split(b"\r\n"):
        assert len(physical) <= 75
        physical.decode("utf-8")
    assert folded.decode("utf-8").replace("\r\n ", "") == line
