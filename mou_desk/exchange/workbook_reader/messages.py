"""The one-sentence refusals a clerk reads: what is wrong with the file and what to do."""

from __future__ import annotations

from mou_desk.exchange.workbook_reader.model import Source


def msg_damaged(label: str) -> str:
    return (
        f"{label} is damaged or was not fully copied; ask for it again, or open it in Excel, "
        "save a new copy and import that."
    )


def msg_password(label: str) -> str:
    return (
        f"{label} is protected with a password; open it in Excel, File > Info > Protect "
        "Workbook > Encrypt with Password, clear the password, save, and import again."
    )


def msg_not_workbook(label: str, head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table")) or b"<table" in start[:2048]:
        return (
            f"{label} is a web page saved with an Excel file name, not a real workbook; open "
            "it in Excel, save it as an Excel Workbook (.xlsx), and import that copy."
        )
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in start:
        return (
            f"{label} is an old Excel 2003 XML spreadsheet; open it in Excel, save it as an "
            "Excel Workbook (.xlsx), and import that copy."
        )
    if start.startswith(b"%pdf"):
        return f"{label} is a PDF document, not a workbook; ask the sender for the Excel file."
    return (
        f"{label} is not an Excel workbook (.xlsx, .xlsm, .xlsb, .xls), OpenDocument "
        "spreadsheet (.ods) or CSV file; pick the workbook itself, or open the file in Excel "
        "and save it as an Excel Workbook (.xlsx)."
    )


def msg_bomb(label: str, what: str) -> str:
    return (
        f"{label} {what}, far more than any workbook holds, so it was not opened (it may be a "
        "malicious file); ask the sender to save it again from Excel and send the new copy."
    )


def msg_entities(label: str) -> str:
    return (
        f"{label} contains XML entity declarations, which Excel never writes and which can be "
        "used to exhaust memory, so it was not opened; ask the sender to save it again from "
        "Excel as .xlsx."
    )


def msg_incomplete(label: str, part: str) -> str:
    return (
        f"{label} is not a complete workbook (its part {part} is missing); ask for the file "
        "again, or open it in Excel and save a new copy."
    )


def msg_legacy(label: str) -> str:
    return (
        f"{label} is an old-format Excel file (.xls) that could not be read; open it in Excel, "
        "save it as an Excel Workbook (.xlsx), and import that copy."
    )


def count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def quote(name: str) -> str:
    return f'"{name}"'


def msg_locked(label: str) -> str:
    return (
        f"{label} cannot be read because you lack permission or another program has it locked; "
        "close it in Excel (or ask for access) and import again."
    )


def msg_os_error(label: str, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    return (
        f"{label} cannot be read ({reason}); copy it to a folder on this computer and import "
        "it from there."
    )


def msg_too_many_rows(source: Source, name: str, rows: int, max_rows: int) -> str:
    return (
        f"Sheet {quote(name)} in {source.label} has data down to row {rows:,}, more than the "
        f"{max_rows:,} rows one import can take; delete any stray cells below your table or "
        "split the sheet into smaller workbooks, save, and import again."
    )
