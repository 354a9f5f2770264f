"""Field by field: what an incoming row changes, against the database now and at its base.

A field that differs from the database's value is *changed* when the database still holds
the value the row was based on, and a *conflict* when both sides changed it since; a field
changed in the database only keeps its value. Cells that could not be read, names that fit
more than one record and read-only columns typed over are *invalid*.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from mou_desk.services import changeset_rules as rules
from mou_desk.services.changeset_values import close, same, shown
from mou_desk.services.changesets import (
    CHANGED,
    CONFLICT,
    INVALID,
    NEW,
    FieldPlan,
    ProposedChange,
)

AMBIGUOUS: Final = (
    "This name does not name exactly one record in MoU Desk (several share it, or it is in "
    "the Trash); use a unique, live record's name."
)
BOTH_SIDES: Final = (
    "Changed both in MoU Desk and in the workbook since the export; choose which value to keep."
)


def compare_fields(
    change: ProposedChange, ours_all: Mapping[str, Any], original: Mapping[str, Any] | None
) -> list[FieldPlan]:
    """The fields of an existing record's row that change, conflict or are invalid.

    ``original`` holds the values at the row's base version, for the fields the database
    changed since (None: the row is based on the current version).
    """
    fields: list[FieldPlan] = []
    for name, theirs in change.values.items():
        cell = change.cells.get(name, "")
        ours = ours_all[name]
        if name in change.errors:
            fields.append(FieldPlan(name, INVALID, ours, theirs, None, change.errors[name], cell))
            continue
        if name in change.alternatives:
            if ours in change.alternatives[name]:
                theirs = ours
            else:
                fields.append(FieldPlan(name, INVALID, ours, theirs, None, AMBIGUOUS, cell))
                continue
        if same(theirs, ours):
            continue
        before = ours if original is None else original.get(name, ours)
        if same(theirs, before):
            continue  # changed in the database only: its value stays
        if same(ours, before):
            fields.append(FieldPlan(name, CHANGED, ours, theirs, before, "", cell))
        else:
            fields.append(FieldPlan(name, CONFLICT, ours, theirs, before, BOTH_SIDES, cell))
    fields.extend(_unread(change))
    for key, (target, value) in change.checks.items():
        if value is None or target not in ours_all or key in change.errors:
            continue
        before = ours_all[target] if original is None else original.get(target, ours_all[target])
        if not close(value, before):
            title = rules.field_title(change.record_type, key)
            message = (
                f"{title} is kept by MoU Desk and cannot be changed in the workbook (it was "
                f"{shown(before) or 'empty'}); put that back, and change the columns it is "
                "worked out from instead."
            )
            fields.append(
                FieldPlan(key, INVALID, before, value, before, message, change.cells.get(key, ""))
            )
    return fields


def new_fields(change: ProposedChange) -> list[FieldPlan]:
    """The fields a new record's row fills, or that are invalid."""
    fields: list[FieldPlan] = []
    for name, theirs in change.values.items():
        cell = change.cells.get(name, "")
        if name in change.errors:
            fields.append(FieldPlan(name, INVALID, None, theirs, None, change.errors[name], cell))
        elif name in change.alternatives:
            fields.append(FieldPlan(name, INVALID, None, theirs, None, AMBIGUOUS, cell))
        elif theirs not in (None, "", []):
            fields.append(FieldPlan(name, NEW, None, theirs, None, "", cell))
    fields.extend(_unread(change))
    return fields


def _unread(change: ProposedChange) -> list[FieldPlan]:
    """Problems of cells that gave no value (a pseudo-column such as "Amount in ₹ crore")."""
    return [
        FieldPlan(name, INVALID, None, None, None, message, change.cells.get(name, ""))
        for name, message in change.errors.items()
        if name not in change.values
    ]
