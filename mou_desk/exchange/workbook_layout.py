"""The round-trip workbook's sheets and columns, declared once for export and import.

Each column names the record field it carries, its kind (how the cell is written and read
back), its width and whether finance may edit it. ``id`` and ``version`` tie a row to its record;
derived columns (₹ worked out from amount × rate, crore) are formulas finance can sum but not
type into. Headers are matched on import by :func:`header_key`, so case, spacing and a trailing
"*" do not matter, and each column also answers to its aliases and its field name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from mou_desk.exchange.header_detection import normalise_header

#: bumped when a column changes meaning; the About sheet records it
FORMAT_VERSION: Final = 1
ABOUT_SHEET: Final = "About"
LISTS_SHEET: Final = "Lists"
#: Excel's limit on the characters of one cell
CELL_LIMIT: Final = 32_767

# Column kinds.
ID = "id"  # record id, text, read-only
VERSION = "version"  # record version, number, read-only
TEXT = "text"
LONG_TEXT = "long_text"  # wrapped, wide
PHONE = "phone"  # text even when it looks like a number
DATE = "date"
INT = "int"
DECIMAL = "decimal"  # exact amount or rate as entered
INR = "inr"  # rupees, a number formatted ₹ #,##,##0.00
CRORE = "crore"  # rupees / 10^7, derived
CHOICE = "choice"  # one of a closed list (dropdown that stops other values)
OPEN_CHOICE = "open_choice"  # a list in use, other values allowed with a warning
PARTNER = "partner"  # a partner by name
PARTNER_LIST = "partners"  # several partners by name, separated by "; "
OFFICER = "officer"  # an officer by name
MOU_REF = "mou_ref"  # an MoU by its reference
REASON = "reason"  # import only: why a stage or status changed
CHECK = "check"  # a fingerprint of the row as exported (hidden)

NUMERIC_KINDS: Final = frozenset({VERSION, INT, DECIMAL, INR, CRORE})
TEXT_KINDS: Final = frozenset({TEXT, LONG_TEXT, PHONE, OPEN_CHOICE})
NAME_SEPARATOR: Final = "; "


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    width: float = 14
    choices: str = ""  # the list (on the Lists sheet) the dropdown offers
    #: greyed and kept by MoU Desk: never written on import, but a changed cell is refused
    readonly: bool = False
    #: for a read-only column, the field whose value it shows (default: its own) and the
    #: divisor it is shown with (10^7 for crore)
    shows: str = ""
    scale: int = 1
    required: bool = False  # a new row must fill it
    not_blank: bool = False  # the record always has a value: a blank cell is refused
    aliases: tuple[str, ...] = ()
    note: str = ""  # the input message Excel shows on the header

    @property
    def imported(self) -> bool:
        """Whether the column's value is written to the record on import."""
        return not self.readonly and self.kind != REASON

    @property
    def checked(self) -> str:
        """The field a read-only column is checked against ("" for ids and editable ones)."""
        if not self.readonly or self.kind in (ID, VERSION, CHECK):
            return ""
        return self.shows or self.field


@dataclass(frozen=True)
class SheetLayout:
    name: str
    record_type: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    _by_key: dict[str, Column] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        for column in self.columns:
            for name in (column.header, column.field, *column.aliases):
                self._by_key.setdefault(header_key(name), column)

    def column(self, header: object) -> Column | None:
        """The column a header cell names, whatever its case and spacing; None if unknown."""
        if not isinstance(header, str):
            return None
        return self._by_key.get(header_key(header))

    def by_field(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def header_key(text: str) -> str:
    """A header as compared on import: case-folded, punctuation and extra spaces dropped."""
    return normalise_header(text)


def _ident(note: str) -> tuple[Column, Column, Column]:
    return (
        Column("ID", "id", ID, 38, readonly=True, aliases=("record id",), note=note),
        Column("Version", "version", VERSION, 9, readonly=True, note=note),
        # Lets the import tell a row untouched since the export without reading it cell by cell.
        Column("Row check", "_check", CHECK, 12, readonly=True),
    )


_KEEP = "Links this row to its record in MoU Desk. Do not change it; leave it empty on new rows."

MOUS = SheetLayout(
    "MoUs",
    "mou",
    (
        Column("Reference", "ref", TEXT, 18, aliases=("ref", "mou ref", "mou reference")),
        Column("Title", "title", TEXT, 48, required=True, aliases=("mou title", "project")),
        Column(
            "Lead partner",
            "lead_partner_id",
            PARTNER,
            32,
            choices="partners",
            aliases=("partner", "lead partner name", "company"),
        ),
        Column(
            "Other partners",
            "partner_ids",
            PARTNER_LIST,
            24,
            note='Partner names separated by ";".',
        ),
        Column("Sector", "sector", OPEN_CHOICE, 20, choices="sectors"),
        Column("District", "district", OPEN_CHOICE, 18, choices="districts"),
        Column("Region", "region", TEXT, 14),
        Column("Stage", "stage", CHOICE, 13, choices="stages", not_blank=True),
        Column("Status", "status", CHOICE, 11, choices="statuses", not_blank=True),
        Column(
            "Stage since",
            "stage_since",
            DATE,
            12,
            not_blank=True,
            note="The date of the last stage change; change it with the stage.",
        ),
        Column(
            "Reason for change",
            "_reason",
            REASON,
            24,
            note="Why the stage or status changed (needed to move back, drop or hold).",
        ),
        Column(
            "Document",
            "doc_type",
            CHOICE,
            10,
            choices="doc_types",
            not_blank=True,
            aliases=("doc type", "document type"),
        ),
        Column("Priority", "priority", CHOICE, 10, choices="priorities", not_blank=True),
        Column(
            "Amount",
            "amount",
            DECIMAL,
            16,
            aliases=("proposed amount", "amount as signed", "investment amount"),
            note="The proposed investment in the MoU's currency.",
        ),
        Column("Currency", "currency", CHOICE, 9, choices="currencies", not_blank=True),
        Column("Rate to ₹", "rate_to_inr", DECIMAL, 10, aliases=("rate", "rate to inr")),
        Column("Rate date", "rate_date", DATE, 12),
        Column(
            "Proposed ₹",
            "proposed_inr",
            INR,
            20,
            readonly=True,
            aliases=("proposed inr", "proposed rs"),
            note="Worked out from Amount × Rate to ₹; change those instead.",
        ),
        Column(
            "Proposed ₹ crore",
            "_proposed_crore",
            CRORE,
            14,
            readonly=True,
            shows="proposed_inr",
            scale=10**7,
            aliases=("proposed crore",),
        ),
        Column("Proposed jobs", "proposed_jobs", INT, 10, aliases=("jobs",)),
        Column("Realised ₹", "realised_inr", INR, 20, aliases=("realised inr", "realised rs")),
        Column(
            "Realised ₹ crore",
            "_realised_crore",
            CRORE,
            14,
            readonly=True,
            shows="realised_inr",
            scale=10**7,
            aliases=("realised crore",),
        ),
        Column("Realised jobs", "realised_jobs", INT, 10),
        Column(
            "Policy", "policy", OPEN_CHOICE, 24, choices="policies", aliases=("incentive policy",)
        ),
        Column(
            "Nodal officer",
            "nodal_officer_id",
            OFFICER,
            24,
            choices="officers",
            aliases=("officer",),
        ),
        Column("Signed on (ours)", "signed_on_ours", DATE, 12, aliases=("signed on",)),
        Column("Signed on (partner)", "signed_on_partner", DATE, 12),
        Column("Valid until", "valid_until", DATE, 12),
        Column("Next action", "next_action", TEXT, 30),
        Column("Next action due", "next_action_due", DATE, 12, aliases=("due",)),
        Column("Land allotted on", "land_allotted_on", DATE, 12),
        Column("Ground breaking on", "ground_breaking_on", DATE, 12),
        Column("Commercial production on", "commercial_production_on", DATE, 12),
        Column("Tags", "tags", TEXT, 16),
        Column("Notes", "notes", LONG_TEXT, 40),
        Column(
            "Last activity",
            "last_activity_on",
            DATE,
            12,
            readonly=True,
            note="Kept by MoU Desk from meetings and stage changes.",
        ),
        *_ident(_KEEP),
    ),
    aliases=("mou", "mous", "mo us"),
)

PARTNERS = SheetLayout(
    "Partners",
    "partner",
    (
        Column("Name", "name", TEXT, 36, required=True, aliases=("partner", "partner name")),
        Column("Name in own script", "name_local", TEXT, 28, aliases=("local name",)),
        Column("Kind", "kind", CHOICE, 20, choices="partner_kinds", not_blank=True),
        Column("Country", "country", TEXT, 14),
        Column("City", "city", TEXT, 14),
        Column("Website", "website", TEXT, 28),
        Column("Sectors", "sectors", TEXT, 24),
        Column("Notes", "notes", LONG_TEXT, 40),
        *_ident(_KEEP),
    ),
    aliases=("partner",),
)

CONTACTS = SheetLayout(
    "Contacts",
    "contact",
    (
        Column("Partner", "partner_id", PARTNER, 32, choices="partners"),
        Column("Name", "name", TEXT, 26, required=True, aliases=("contact", "contact name")),
        Column("Name in own script", "name_local", TEXT, 20, aliases=("local name",)),
        Column("Honorific", "honorific", TEXT, 10),
        Column("Designation", "designation", TEXT, 24),
        Column("E-mail", "email", TEXT, 28, aliases=("email", "mail")),
        Column("Phone", "phone", PHONE, 18, aliases=("mobile", "telephone")),
        Column("Notes", "notes", LONG_TEXT, 40),
        *_ident(_KEEP),
    ),
    aliases=("contact",),
)

FOLLOWUPS = SheetLayout(
    "Follow-ups",
    "followup",
    (
        Column("MoU reference", "mou_id", MOU_REF, 18, aliases=("mou", "reference")),
        Column("Partner", "partner_id", PARTNER, 32, choices="partners"),
        Column("Title", "title", TEXT, 40, required=True, aliases=("task",)),
        Column("Owner", "owner", TEXT, 18),
        Column(
            "Due on", "due_on", DATE, 12, required=True, not_blank=True, aliases=("due", "due date")
        ),
        Column("Done on", "done_on", DATE, 12, aliases=("done",)),
        Column("Notes", "notes", LONG_TEXT, 40),
        *_ident(_KEEP),
    ),
    aliases=("followups", "follow ups", "follow-up", "tasks"),
)

#: targets a foreign layout may map a column to, beside the layout's own columns
EXTRA_TARGETS: Final[Mapping[str, tuple[Column, ...]]] = {
    "mou": (
        Column(
            "Amount in ₹ crore",
            "_amount_crore",
            DECIMAL,
            aliases=(
                "investment crore",
                "investment ₹ crore",
                "investment rs crore",
                "₹ crore",
                "crore",
                "investment inr crore",
                "proposed investment ₹ crore",
                "rs crore",
                "amount ₹ crore",
                "inr crore",
                "investment in crore",
                "investment in ₹ crore",
            ),
        ),
        Column(
            "Amount in ₹ lakh",
            "_amount_lakh",
            DECIMAL,
            aliases=("investment lakh", "investment ₹ lakh", "₹ lakh", "lakh", "rs lakh"),
        ),
    ),
}

#: in the order records must be created (a contact needs its partner, a follow-up its MoU)
LAYOUTS: Final = (PARTNERS, CONTACTS, MOUS, FOLLOWUPS)
LAYOUT_BY_TYPE: Final[Mapping[str, SheetLayout]] = {s.record_type: s for s in LAYOUTS}


def layout_for_sheet(name: str) -> SheetLayout | None:
    """Our layout for a sheet called ``name`` (any case and spacing), or None."""
    key = header_key(name)
    for layout in LAYOUTS:
        if key == header_key(layout.name) or key in {header_key(a) for a in layout.aliases}:
            return layout
    return None


#: the lists of the Lists sheet, in its column order
LIST_NAMES: Final = (
    "stages",
    "statuses",
    "doc_types",
    "priorities",
    "currencies",
    "partner_kinds",
    "sectors",
    "districts",
    "policies",
    "officers",
    "partners",
)
#: lists whose values are the only ones allowed (others are offered, not enforced)
CLOSED_LISTS: Final = frozenset(
    {"stages", "statuses", "doc_types", "priorities", "currencies", "partner_kinds"}
)
