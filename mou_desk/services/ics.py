"""An iCalendar (RFC 5545) writer for follow-ups: all-day events with a reminder, for Outlook.

Outlook and Google Calendar import a file written to the letter of the RFC and are strict in
places where other readers forgive: CRLF line endings, long lines folded at 75 octets (a
folded line never splits a UTF-8 sequence, or Japanese and Hindi titles arrive mangled),
TEXT values with ``\\``, ``;``, ``,`` and newlines escaped, and DATE values for all-day events
with the end on the following day (DTEND is exclusive).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

PRODID = "-//MoU Desk//MoU Desk//EN"
UID_DOMAIN = "mou-desk"
#: 15 hours before midnight of an all-day event: 09:00 on the day before it is due.
DEFAULT_REMINDER = "-PT15H"
MAX_OCTETS = 75
CRLF = "\r\n"


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event; ``uid`` is the record id, so importing again updates, not duplicates."""

    uid: str
    on: date
    summary: str
    description: str = ""
    categories: tuple[str, ...] = ()
    reminder: str | None = DEFAULT_REMINDER


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line at 75 octets, never inside a UTF-8 sequence (RFC 5545 3.1)."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
            limit = MAX_OCTETS - 1  # continuation lines start with one space
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _stamp(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("DTSTAMP needs an aware time; pass datetime.now(UTC)")
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: CalendarEvent, stamp: str) -> list[str]:
    summary = escape_text(event.summary)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}@{UID_DOMAIN}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(event.on)}",
        f"DTEND;VALUE=DATE:{_date(event.on + timedelta(days=1))}",
        f"SUMMARY:{summary}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    # An all-day reminder should not show the clerk as busy for the whole day.
    lines += ["TRANSP:TRANSPARENT", "CLASS:PRIVATE"]
    if event.reminder:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{summary}",
            f"TRIGGER:{event.reminder}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def calendar_text(
    events: Iterable[CalendarEvent], *, now: datetime | None = None, name: str = "MoU Desk"
) -> str:
    """The whole calendar as text with CRLF line endings and folded lines."""
    stamp = _stamp(now or datetime.now(UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def calendar_bytes(
    events: Iterable[CalendarEvent], *, now: datetime | None = None, name: str = "MoU Desk"
) -> bytes:
    """UTF-8 without a byte-order mark (Outlook shows a BOM as junk before BEGIN)."""
    return calendar_text(events, now=now, name=name).encode("utf-8")
