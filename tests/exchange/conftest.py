"""Fixtures that build the files a clerk might pick: good ones and every kind of bad one."""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import subprocess
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import openpyxl
import pytest

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

#: for tests that open a workbook in LibreOffice (CI installs it: .ci/run)
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed"
)


def libreoffice_csv(workbook: Path, folder: Path) -> Path:
    """Open ``workbook`` in LibreOffice and save every sheet as CSV, the values as shown
    (UTF-8); returns the folder holding ``<name>-<sheet>.csv``. Fails if LibreOffice cannot
    open the file (a repair prompt would make it fail headless)."""
    out = folder / "csv"
    done = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{folder}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
            "--outdir",
            str(out),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>
</worksheet>
"""

MOU_HEADER = ("Reference", "Title", "Lead partner", "Stage", "Proposed (INR)", "Signed on")
MOU_ROWS = [
    (
        "UP/2025/001",
        "Battery testing lab",
        "田中電気株式会社",
        "proposal",
        125000000,
        dt.date(2025, 7, 14),
    ),
    ("UP/2025/002", "Rare-earth magnets", "Shin-Etsu", "signing", 98765432.5, dt.date(2025, 7, 15)),
    ("UP/2025/003", "उत्तर प्रदेश skills", "JSDA", "discussion", None, None),
]


def write_workbook(path: Path, sheets: dict[str, Iterable[Iterable[object]]]) -> Path:
    """Write an .xlsx with openpyxl, one sheet per entry, rows as given (from A1)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def replace_part(source: Path, target: Path, part: str, content: bytes | str) -> Path:
    """Copy an .xlsx, swapping the bytes of one part."""
    data = content.encode() if isinstance(content, str) else content
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == part else old.read(info))
    return target


def sheet_xml(body: str, dimension: str | None = None, prefix: str = "") -> str:
    """A worksheet part around ``body`` (the inside of <sheetData>)."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{SHEET_NS}"' if prefix else f'xmlns="{SHEET_NS}"'
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}>{dim}'
        f"<{p}sheetData>{body}</{p}sheetData></{p}worksheet>"
    )


@pytest.fixture
def mou_xlsx(tmp_path: Path) -> Path:
    """A small, well-formed MoU workbook with a title row above the header."""
    rows = [("MoU status, Japan delegation July 2025",), (), MOU_HEADER, *MOU_ROWS]
    return write_workbook(tmp_path / "mous.xlsx", {"MoUs": rows, "Notes": [("free text",)]})


@pytest.fixture
def with_sheet_xml(tmp_path: Path) -> Callable[[str, str], Path]:
    """Make an .xlsx whose only sheet part is the XML given."""
    base = write_workbook(tmp_path / "base.xlsx", {"Sheet": [("x",)]})

    def make(name: str, xml: str) -> Path:
        return replace_part(base, tmp_path / name, "xl/worksheets/sheet1.xml", xml)

    return make


@pytest.fixture(scope="session")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sheet part of 600 MB of zeros, deflated in streaming chunks to about 3 MB."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    base = write_workbook(path.with_name("base.xlsx"), {"Sheet": [("x",)]})
    with (
        zipfile.ZipFile(base) as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new,
    ):
        for info in old.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                new.writestr(info.filename, old.read(info))
        with new.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            block = bytes(1 << 20)
            for _ in range(600):
                stream.write(block)
    return path


@pytest.fixture
def ratio_bomb(tmp_path: Path) -> Path:
    """Under the total-size limit, but one part of 40 MB packs a thousandfold."""
    base = write_workbook(tmp_path / "base.xlsx", {"Sheet": [("x",)]})
    path = tmp_path / "ratio.xlsx"
    with (
        zipfile.ZipFile(base) as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new,
    ):
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        new.writestr("xl/media/padding.xml", b" " * (40 << 20))
    return path


@pytest.fixture
def forged_sizes(tmp_path: Path) -> Path:
    """A tiny package whose central directory claims a part unpacks to 3 GB."""
    base = write_workbook(tmp_path / "base.xlsx", {"Sheet": [("x",)]})
    data = bytearray(base.read_bytes())
    central = data.find(b"PK\x01\x02")
    while central != -1:
        struct.pack_into("<I", data, central + 24, 3_000_000_000)
        central = data.find(b"PK\x01\x02", central + 4)
    path = tmp_path / "forged.xlsx"
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def xml_bomb(mou_xlsx: Path, tmp_path: Path) -> Path:
    """Billion laughs in the first sheet part."""
    return replace_part(
        mou_xlsx, tmp_path / "laughs.xlsx", "xl/worksheets/sheet1.xml", BILLION_LAUGHS
    )


@pytest.fixture
def entity_in_docprops(mou_xlsx: Path, tmp_path: Path) -> Path:
    """An external entity hidden in a part calamine never reads."""
    xml = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties"><cp:keywords>&e;</cp:keywords></cp:coreProperties>'
    )
    return replace_part(mou_xlsx, tmp_path / "external.xlsx", "docProps/core.xml", xml)


@pytest.fixture
def truncated_xlsx(mou_xlsx: Path, tmp_path: Path) -> Path:
    data = mou_xlsx.read_bytes()
    path = tmp_path / "half.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture
def random_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "noise.xlsx"
    path.write_bytes(bytes((i * 7919 + 13) % 251 for i in range(50_000)))
    return path


@pytest.fixture
def missing_workbook_part(mou_xlsx: Path, tmp_path: Path) -> Path:
    path = tmp_path / "no_workbook.xlsx"
    with zipfile.ZipFile(mou_xlsx) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            if info.filename != "xl/workbook.xml":
                new.writestr(info.filename, old.read(info))
    return path


@pytest.fixture
def word_document(tmp_path: Path) -> Path:
    """A .docx that someone renamed to .xlsx."""
    path = tmp_path / "letter.xlsx"
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    )
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("_rels/.rels", rels)
        package.writestr("word/document.xml", "<document/>")
    return path


def _ole_file(stream_names: Iterable[str], content: bytes = b"") -> bytes:
    """A compound file (512-byte sectors) whose directory names the given streams.

    Sector 0 holds the FAT, sector 1 the directory, and sectors 2 to 9 the content (4 KB) of
    the first stream named, so that a reader really finds it.
    """
    names = list(stream_names)
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 44, 1, 1)  # one FAT sector; the directory in sector 1
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    for slot in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * slot, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)
    for sector in range(2, 10):
        struct.pack_into("<I", fat, 4 * sector, sector + 1 if sector < 9 else 0xFFFFFFFE)
    directory = bytearray(512)
    for index, name in enumerate(["Root Entry", *names][:4]):
        entry = index * 128
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory[entry : entry + len(encoded)] = encoded
        struct.pack_into("<HBB", directory, entry + 64, len(encoded), 5 if index == 0 else 2, 1)
        left = right = child = 0xFFFFFFFF
        if index == 0 and names:
            child = 1
        elif 0 < index < min(len(names), 3):
            right = index + 1
        struct.pack_into("<III", directory, entry + 68, left, right, child)
        start, size = (2, 4096) if index == 1 else (0xFFFFFFFE, 0)
        struct.pack_into("<IQ", directory, entry + 116, start, size)
    body = (content * (4096 // max(len(content), 1) + 1))[:4096] if content else bytes(4096)
    return bytes(header + fat + directory + body)


@pytest.fixture
def fake_xls(tmp_path: Path) -> Path:
    """An OLE2 file with a Workbook stream that holds no BIFF records at all."""
    path = tmp_path / "legacy.xls"
    path.write_bytes(_ole_file(["Workbook"], b"\x09\x08\x10\x00\x00\x06\x05\x00\xff\xff\x7f"))
    return path


@pytest.fixture
def encrypted_ooxml(tmp_path: Path) -> Path:
    """What Excel writes for File > Info > Encrypt with Password, reduced to its directory."""
    path = tmp_path / "secret.xlsx"
    path.write_bytes(_ole_file(["EncryptionInfo", "EncryptedPackage"]))
    return path


@pytest.fixture
def word97_doc(tmp_path: Path) -> Path:
    path = tmp_path / "minutes.xls"
    path.write_bytes(_ole_file(["WordDocument", "1Table"]))
    return path


@pytest.fixture
def html_as_xls(tmp_path: Path) -> Path:
    """What many web portals send as "report.xls"."""
    path = tmp_path / "report.xls"
    path.write_text(
        "<html><body><table><tr><td>Reference</td><td>Title</td></tr></table></body></html>",
        encoding="utf-8",
    )
    return path


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>
<table:table table:name="MoUs">
<table:table-row><table:table-cell table:number-columns-spanned="2" office:value-type="string">\
<text:p>Proposed investment</text:p></table:table-cell><table:covered-table-cell/>\
<table:table-cell office:value-type="string"><text:p>District</text:p></table:table-cell>\
</table:table-row>
<table:table-row><table:table-cell office:value-type="float" office:value="1250000">\
<text:p>1250000</text:p></table:table-cell><table:table-cell office:value-type="date" \
office:date-value="2025-07-14"><text:p>14-07-2025</text:p></table:table-cell>\
<table:table-cell office:value-type="string"><text:p>उत्तर प्रदेश</text:p></table:table-cell>\
</table:table-row>
{extra}
<table:table-row table:number-rows-repeated="1048570"><table:table-cell \
table:number-columns-repeated="1024"/></table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document-content>
"""


def write_ods(path: Path, extra_rows: str = "") -> Path:
    """An OpenDocument spreadsheet written by hand, the way LibreOffice lays it out."""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry'
        ' manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as package:
        package.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        package.writestr("content.xml", ODS_CONTENT.format(extra=extra_rows), zipfile.ZIP_DEFLATED)
        package.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """``make_xlsx("name.xlsx", {"Sheet": rows})`` writes a workbook into tmp_path."""

    def make(name: str, sheets: dict[str, Iterable[Iterable[object]]]) -> Path:
        return write_workbook(tmp_path / name, sheets)

    return make


@pytest.fixture
def make_ods(tmp_path: Path) -> Callable[..., Path]:
    """``make_ods("name.ods", extra_rows_xml)`` writes a hand-made OpenDocument file."""

    def make(name: str, extra_rows: str = "") -> Path:
        return write_ods(tmp_path / name, extra_rows)

    return make


@pytest.fixture
def sheet_part() -> Callable[..., str]:
    """``sheet_part(body, dimension=None, prefix="")`` gives worksheet XML around a body."""
    return sheet_xml


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        low, number = number & 0x7F, number >> 7
        out.append(low | 0x80 if number else low)
        if not number:
            return bytes(out)


def _record(kind: int, payload: bytes = b"") -> bytes:
    return _varint(kind) + _varint(len(payload)) + payload


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def write_xlsb(path: Path, rows: dict[int, dict[int, object]], sheet: str = "MoUs") -> Path:
    """A binary workbook (BIFF12 records) with one sheet: {row: {column: value}}.

    Values: str, float, or ("error", code) for an error cell (0x07 is #DIV/0!).
    """
    book = (
        _record(131)  # BrtBeginBook
        + _record(143)  # BrtBeginBundleShs
        + _record(156, struct.pack("<II", 0, 1) + _wide("rId1") + _wide(sheet))  # BrtBundleSh
        + _record(144)
        + _record(132)
    )
    data = _record(129) + _record(148, struct.pack("<IIII", 0, 1, 0, 1)) + _record(145)
    for row, cells in sorted(rows.items()):
        data += _record(0, struct.pack("<IIHHBBI", row, 0, 300, 0, 0, 0, 0))  # BrtRowHdr
        for column, value in sorted(cells.items()):
            head = struct.pack("<II", column, 0)
            if isinstance(value, str):
                data += _record(6, head + _wide(value))  # BrtCellSt
            elif isinstance(value, tuple):
                data += _record(3, head + bytes([value[1]]))  # BrtCellError
            else:
                data += _record(5, head + struct.pack("<d", value))  # BrtCellReal
    data += _record(146) + _record(130)
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="bin" ContentType="application/'
        'vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType='
        '"application/vnd.openxmlformats-package.relationships+xml"/></Types>'
    )
    relationships = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="{type}" Target="{target}"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr(
            "_rels/.rels",
            relationships.format(type=f"{rel}/officeDocument", target="xl/workbook.bin"),
        )
        package.writestr("xl/workbook.bin", book)
        package.writestr(
            "xl/_rels/workbook.bin.rels",
            relationships.format(type=f"{rel}/worksheet", target="worksheets/sheet1.bin"),
        )
        package.writestr("xl/worksheets/sheet1.bin", data)
    return path


@pytest.fixture
def make_xlsb(tmp_path: Path) -> Callable[..., Path]:
    """``make_xlsb("name.xlsb", {row: {column: value}})`` writes a binary workbook."""

    def make(name: str, rows: dict[int, dict[int, object]]) -> Path:
        return write_xlsb(tmp_path / name, rows)

    return make
