"""MoU reference numbers made on two copies at once: the later one gets the next free number.

References are human readable and unique (UP-MOU-2026-00042), and a laptop offline numbers its
new MoUs from what it knows, so two copies can hand out the same number. When a sync finds a
new MoU whose reference upstream already gave to another MoU, the new one is renumbered (the
next free number of the same series) and the clerk is told the old and the new reference.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sqlalchemy import Connection, select

from mou_desk.storage.models import Mou

_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def free_ref(ref: str, used: Collection[str]) -> str:
    """The next reference of ref's series that is in none of ``used``."""
    match = _NUMBERED.match(ref)
    if match is None:
        n = 2
        while f"{ref}-{n}" in used:
            n += 1
        return f"{ref}-{n}"
    prefix, digits = match.groups()
    numbers = [int(m.group(2)) for r in used if (m := _NUMBERED.match(r)) and m.group(1) == prefix]
    number = max([int(digits), *numbers]) + 1
    candidate = f"{prefix}{number:0{len(digits)}d}"
    while candidate in used:
        number += 1
        candidate = f"{prefix}{number:0{len(digits)}d}"
    return candidate


def refs_like(connection: Connection, ref: str) -> set[str]:
    """The references of this database in ref's series."""
    match = _NUMBERED.match(ref)
    prefix = match.group(1) if match else ref
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return set(connection.scalars(select(Mou.ref).where(Mou.ref.like(pattern, escape="\\"))))


def holders(connection: Connection, refs: Collection[str]) -> dict[str, str]:
    """ref -> id of the MoU holding it here, for those of ``refs`` in use."""
    found: dict[str, str] = {}
    ordered = sorted(refs)
    for start in range(0, len(ordered), 900):
        part = ordered[start : start + 900]
        found.update(
            (ref, mou_id)
            for mou_id, ref in connection.execute(select(Mou.id, Mou.ref).where(Mou.ref.in_(part)))
        )
    return found
