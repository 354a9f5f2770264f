"""Reading the rows of a mapped sheet into field values, naming the cell of every problem.

The converter of each column (module workbook_cells) is chosen once per sheet; names that
repeat down a sheet (stages, sectors, partners) are read once and remembered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mou_desk.domain.money import CRORE, LAKH
from mou_desk.exchange import workbook_cells as cells
from mou_desk.exchange import workbook_layout as wl
from mou_desk.exchange.workbook_cells import (
    CURRENCY_ALIASES,
    NAME_SPLIT,
    CellError,
    Lookups,
    NameIndex,
    name_key,
)
from mou_desk.exchange.workbook_layout import Column

if TYPE_CHECKING:
    from mou_desk.exchange.workbook_import import MappedRow, SheetMap

__all__ = ["CellError", "Lookups", "NameIndex", "RowReader", "name_key"]


class RowReader:
    """Reads the rows of one mapped sheet."""

    def __init__(self, mapped: SheetMap, lookups: Lookups, warnings: list[str]) -> None:
        self.mapped = mapped
        self.lookups = lookups
        self.warnings = warnings
        self.sheet = mapped.sheet
        self.plan = [(p, c, self._converter(c)) for p, c in mapped.columns]
        self.positions = {c.field: p for p, c in mapped.columns}
        self.not_blank = [c.field for _, c in mapped.columns if c.not_blank]
        self.texts = [c.field for _, c in mapped.columns if c.kind in wl.TEXT_KINDS]
        self.checked = [(c.field, c.checked, c.scale) for _, c in mapped.columns if c.checked]
        self.has_amounts = bool({"amount", "_amount_crore", "_amount_lakh"} & set(self.positions))

    # ------------------------------------------------------------------ converters

    def _converter(self, column: Column) -> Callable[[Any], Any]:
        convert = self._plain_converter(column)
        if column.kind in (
            wl.CHOICE,
            wl.OPEN_CHOICE,
            wl.PARTNER,
            wl.OFFICER,
            wl.MOU_REF,
            wl.PARTNER_LIST,
        ):
            return _memo(convert)
        return convert

    def _plain_converter(self, column: Column) -> Callable[[Any], Any]:
        kind = column.kind
        if kind == wl.CRORE:
            return cells.as_rupees
        if kind in (wl.TEXT, wl.LONG_TEXT, wl.PHONE, wl.REASON):
            return cells.as_text
        if kind == wl.DATE:
            return cells.as_date
        if kind in (wl.INT, wl.VERSION):
            return cells.as_int
        if kind == wl.INR:
            return cells.as_rupees
        if kind == wl.DECIMAL:
            return cells.as_rate if column.field == "rate_to_inr" else cells.as_amount
        if kind == wl.CHOICE:
            return self._choice(column)
        if kind == wl.OPEN_CHOICE:
            return self._open_choice(column)
        if kind in (wl.PARTNER, wl.OFFICER):
            return self._named(column)
        if kind == wl.PARTNER_LIST:
            return self._names(column)
        if kind == wl.MOU_REF:
            return self._mou(column)
        return lambda value: None if value is None else cells.as_text(value).strip()

    def _choice(self, column: Column) -> Callable[[Any], Any]:
        labels = self.lookups.choices.get(column.choices, {})
        known: dict[str, str] = {}
        if column.choices == "statuses":
            known.update({name_key(v.replace(" ", "_")): v for v in labels})
        for value, label in labels.items():
            known[name_key(value)] = value
            known[name_key(label)] = value
        if column.choices == "currencies":
            known.update({name_key(k): v for k, v in CURRENCY_ALIASES.items() if v in labels})
        shown = ", ".join(labels.values())

        def choice(value: Any) -> str | None:
            if value is None:
                return None
            found = known.get(name_key(cells.as_text(value)))
            if found is None:
                raise CellError(
                    f"'{cells.as_text(value)}' is not a {column.header}; use one of {shown}."
                )
            return found

        return choice

    def _open_choice(self, column: Column) -> Callable[[Any], Any]:
        spelled = {name_key(v): v for v in self.lookups.open_values.get(column.choices, ())}

        def open_choice(value: Any) -> str:
            text = " ".join(cells.as_text(value).split())
            return spelled.get(name_key(text), text) if text else ""

        return open_choice

    def _named(self, column: Column) -> Callable[[Any], Any]:
        table = self.lookups.partners if column.kind == wl.PARTNER else self.lookups.officers
        what = "partner" if column.kind == wl.PARTNER else "officer"
        gone = self.lookups.deleted_partners if column.kind == wl.PARTNER else None

        def named(value: Any) -> Any:
            if value is None:
                return None
            text = cells.as_text(value).strip()
            ids = table.find(text)
            if not ids and gone is not None and gone.find(text):
                return _Several(tuple(gone.find(text)))
            if not ids:
                raise CellError(
                    f"No {what} is named '{text}'; check the spelling, or add the {what} "
                    + ("on the Partners sheet or " if what == "partner" else "")
                    + "in MoU Desk first."
                )
            return ids[0] if len(ids) == 1 else _Several(tuple(ids))

        return named

    def _names(self, column: Column) -> Callable[[Any], Any]:
        single = self._named(Column(column.header, column.field, wl.PARTNER))

        def names(value: Any) -> list[str]:
            if value is None:
                return []
            found = []
            for part in NAME_SPLIT.split(cells.as_text(value)):
                if part.strip():
                    one = single(part)
                    if isinstance(one, _Several):
                        raise CellError(f"'{part.strip()}' names more than one partner.")
                    found.append(one)
            return sorted(set(found))

        return names

    def _mou(self, column: Column) -> Callable[[Any], Any]:
        def mou(value: Any) -> str | None:
            if value is None:
                return None
            text = cells.as_text(value).strip()
            found = self.lookups.mous.find(text)
            if not found:
                raise CellError(f"No MoU has the reference '{text}'.")
            return found[0]

        return mou

    # ------------------------------------------------------------------ rows

    def read(self, raw: tuple[object, ...], row_number: int) -> MappedRow:
        from mou_desk.exchange.workbook_import import MappedRow

        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        width = len(raw)
        for position, column, convert in self.plan:
            value = raw[position] if position < width else None
            try:
                values[column.field] = convert(value)
            except CellError as exc:
                errors[column.field] = exc.message
        record_id = values.pop("id", None) or None
        version = values.pop("version", None)
        reason = values.pop("_reason", "") or ""
        values.pop("_check", None)
        checks = {}
        for name, target, scale in self.checked:
            if name in values:
                value = values.pop(name)
                checks[name] = (target, value * scale if scale != 1 and value else value)
        alternatives = {f: v.ids for f, v in values.items() if isinstance(v, _Several)}
        for name, several in alternatives.items():
            values[name] = several[0]
        row = MappedRow(
            self.mapped.layout.record_type,
            self.sheet,
            row_number,
            record_id,
            version,
            values,
            _Cells(self.sheet, row_number, self.positions),
            errors,
            alternatives,
            reason,
            raw,
            checks,
        )
        self._finish(row)
        return row

    def _finish(self, row: MappedRow) -> None:
        values, errors = row.values, row.errors
        if row.record_id is not None:
            if row.version is None and "version" not in errors:
                errors["version"] = (
                    "Version is empty; copy it back from the exported workbook, or clear the "
                    "ID to add the row as a new record."
                )
            for name in self.not_blank:
                if name in values and values[name] in (None, "") and name not in errors:
                    errors[name] = "cannot be left empty for an existing record."
        else:
            for name in self.not_blank:
                if values.get(name, 0) is None:
                    del values[name]
        for name in self.texts:
            text = values.get(name)
            if isinstance(text, str) and len(text) >= wl.CELL_LIMIT:
                del values[name]
                self.warnings.append(
                    f"{row.cells[name]} holds Excel's limit of {wl.CELL_LIMIT:,} characters and "
                    "may be cut short; that field was left as it is."
                )
        if self.has_amounts:
            self._amounts(row)
        proposed = row.checks.get("proposed_inr", ("", None))[1]
        if row.record_id is None and proposed and not values.get("amount"):
            errors["proposed_inr"] = (
                "Proposed ₹ is worked out by MoU Desk; type the amount in Amount (and its "
                "Currency) instead."
            )

    def _amounts(self, row: MappedRow) -> None:
        values, errors = row.values, row.errors
        for pseudo, unit in (("_amount_crore", CRORE), ("_amount_lakh", LAKH)):
            if pseudo in values:
                number = values.pop(pseudo)
                if isinstance(number, cells.Amount):
                    errors[pseudo] = "This column is a number of crore or lakh; type the number."
                elif number is not None and "amount" not in values:
                    values["amount"] = number * unit
                    values.setdefault("currency", "INR")
        amount = values.get("amount")
        if isinstance(amount, cells.Amount):
            values["amount"] = amount.amount
            written = values.get("currency")
            if written and written != amount.currency:
                errors["amount"] = (
                    f"The amount is in {amount.currency} but Currency says {written}; make "
                    "them agree."
                )
            elif not written:
                values["currency"] = amount.currency


def _memo(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Remember what each distinct cell value read as (stages, sectors, partner names repeat)."""
    seen: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            result = seen[value] = convert(value)
            return result
        except TypeError:  # an unhashable value
            return convert(value)

    return remembered


@dataclass(frozen=True)
class _Several:
    """A name that fits more than one record."""

    ids: tuple[str, ...]


class _Cells(Mapping[str, str]):
    """field -> "MoUs!N12", worked out only when a message needs it."""

    __slots__ = ("positions", "row", "sheet")

    def __init__(self, sheet: str, row: int, positions: Mapping[str, int]) -> None:
        self.sheet, self.row, self.positions = sheet, row, positions

    def __getitem__(self, name: str) -> str:
        from mou_desk.exchange.workbook_import import column_letter

        return f"{self.sheet}!{column_letter(self.positions[name])}{self.row}"

    def __iter__(self) -> Iterator[str]:
        return iter(self.positions)

    def __len__(self) -> int:
        return len(self.positions)
