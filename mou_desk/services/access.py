"""Roles on a shared database: who may only look, who may change records, who administers.

Three roles, each allowing everything the one before it does (``Role`` in
``mou_desk.storage.models.access``):

* **viewer** — reads, searches, prints reports, exports; changes nothing;
* **clerk** — also creates, edits, deletes and restores records, imports workbooks, syncs;
* **admin** — also grants and revokes roles, restores a backup onto the database and undoes
  imports.

The rule a clerk is told (``mou-desk role list`` prints it):

    While no admin is registered on a database, everyone may do everything — a database of
    one's own works as it always did. The first role granted must therefore be admin. Once at
    least one admin is registered, registered clerks have their role and anyone else can only
    view. The last admin cannot be removed or demoted.

Names are matched ignoring case and spacing ("meena  VERMA" is "Meena Verma"); the name is the
one recorded in the history of every change (``--clerk``, or the name in Settings). It is
what the clerk says they are, not a password check: roles keep honest people from changing
what they should not; they do not stop someone who lies about their name.

Enforcement is in one place: ``Database.write()`` refuses a viewer (``PermissionDenied``), so
every service that saves anything is covered. Operations reserved for admins call
``require(db, Role.ADMIN, "restore a backup onto this database")`` before they start.

API::

    role_of(db) -> Role                 # the role of db.clerk (also: db.role)
    require(db, Role.ADMIN, action)     # raise PermissionDenied unless db.clerk has the role
    list_roles(db) -> list[RoleEntry]   # registered clerks, admins first
    is_open(db) -> bool                 # True while no admin is registered (everyone admin)
    grant(db, name, role) -> RoleEntry  # admins only (anyone on an open database)
    revoke(db, name) -> RoleEntry       # admins only; returns what was removed
    db.with_role(Role.ADMIN)            # act with a role whatever the table says: for work
                                        # the program does itself (pulling a sync into a
                                        # viewer's replica); with_role(None) undoes it

The table (``clerk_roles``) is an ordinary table: a backup or a replica carries it, so a
clerk who is a viewer on the shared database is a viewer on a laptop copy too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from mou_desk.domain.errors import PermissionDenied, ValidationError
from mou_desk.storage.base import utcnow
from mou_desk.storage.models.access import ClerkRole, Role

if TYPE_CHECKING:
    from mou_desk.services.database import Database

__all__ = [
    "RULE",
    "Role",
    "RoleEntry",
    "grant",
    "is_open",
    "list_roles",
    "name_key",
    "require",
    "revoke",
    "role_in",
    "role_of",
]

RULE = (
    "While no admin is registered, everyone may make changes and grant roles; the first role "
    "granted must be admin. Once an admin is registered, registered clerks have their role and "
    "anyone else can only view."
)
NAME_LIMIT = 120


@dataclass(frozen=True)
class RoleEntry:
    name: str
    role: Role
    granted_by: str
    granted_at: datetime


def name_key(name: str) -> str:
    """The form names are matched in: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def role_in(session: Session, clerk: str) -> Role:
    """The role of ``clerk`` by the rule above, read in the caller's transaction."""
    role = session.scalar(select(ClerkRole.role).where(ClerkRole.name_key == name_key(clerk)))
    if role is Role.ADMIN or not _any_admin(session):
        return Role.ADMIN
    return Role.VIEWER if role is None else Role(role)


def role_of(db: Database) -> Role:
    """The role the clerk of ``db`` has now (``db.acting_role`` when that is set)."""
    if db.acting_role is not None:
        return db.acting_role
    with db.read() as session:
        return role_in(session, db.clerk)


def is_open(db: Database) -> bool:
    """True while no admin is registered: everyone is an admin."""
    with db.read() as session:
        return not _any_admin(session)


def require(db: Database, needed: Role, action: str) -> None:
    """Refuse with a message for the clerk unless the clerk of ``db`` has ``needed`` or more.

    ``action`` completes "Only an admin can ...", e.g. "restore a backup onto this database".
    """
    with db.read() as session:
        check_in(session, db.clerk, needed, action, db.acting_role)


def check_in(
    session: Session, clerk: str, needed: Role, action: str, acting_role: Role | None = None
) -> Role:
    """``require`` inside an open transaction; returns the clerk's role when it is enough."""
    role = role_in(session, clerk) if acting_role is None else acting_role
    if not role.allows(needed):
        raise PermissionDenied(_refusal(clerk, role, needed, action, _admin_names(session)))
    return role


def check_can_write(session: Session, clerk: str, acting_role: Role | None = None) -> None:
    """The check ``Database.write()`` makes at the start of every write transaction."""
    check_in(session, clerk, Role.CLERK, "make changes", acting_role)


def list_roles(db: Database) -> list[RoleEntry]:
    """Every registered clerk, admins first, then clerks, then viewers, each by name."""
    with db.read() as session:
        rows = session.scalars(select(ClerkRole)).all()
        entries = [_entry(row) for row in rows]
    return sorted(entries, key=lambda e: (-e.role.rank, name_key(e.name)))


def grant(db: Database, name: str, role: Role | str) -> RoleEntry:
    """Give ``name`` a role (or change it). Admins only; on an open database, admin first."""
    wanted = _parse_role(role)
    shown = _clean_name(name)
    require(db, Role.ADMIN, "grant roles")  # before write(): its refusal is about changes
    with db.write() as session:
        check_in(session, db.clerk, Role.ADMIN, "grant roles", db.acting_role)
        row = session.get(ClerkRole, name_key(shown))
        if not _any_admin(session) and wanted is not Role.ADMIN:
            raise PermissionDenied(
                f"No admin is registered on this database yet, so the first role granted must "
                f'be admin: first run  mou-desk role grant "{db.clerk or "YOUR NAME"}" admin  '
                f"(everyone may make changes until then)."
            )
        if row is not None and row.role is Role.ADMIN and wanted is not Role.ADMIN:
            _refuse_last_admin(session, row)
        if row is None:
            row = ClerkRole(name_key=name_key(shown), name=shown, role=wanted)
            session.add(row)
        row.name = shown
        row.role = wanted
        row.granted_by = db.clerk
        row.granted_at = utcnow()
        session.flush()
        return _entry(row)


def revoke(db: Database, name: str) -> RoleEntry:
    """Remove ``name`` from the registered clerks (they can then only view). Admins only."""
    shown = _clean_name(name)
    require(db, Role.ADMIN, "revoke roles")
    with db.write() as session:
        check_in(session, db.clerk, Role.ADMIN, "revoke roles", db.acting_role)
        row = session.get(ClerkRole, name_key(shown))
        if row is None:
            raise ValidationError(
                f"{shown} is not registered on this database, so there is no role to revoke "
                "(see mou-desk role list)."
            )
        if row.role is Role.ADMIN:
            _refuse_last_admin(session, row)
        entry = _entry(row)
        session.delete(row)
        return entry


def _refuse_last_admin(session: Session, row: ClerkRole) -> None:
    others = [n for n in _admin_names(session) if name_key(n) != row.name_key]
    if not others:
        raise PermissionDenied(
            f"{row.name} is the only admin of this database and must stay one, so that someone "
            "can still grant roles. Make another clerk an admin first."
        )


def _any_admin(session: Session) -> bool:
    found = session.scalar(select(ClerkRole.name_key).where(ClerkRole.role == Role.ADMIN).limit(1))
    return found is not None


def _admin_names(session: Session) -> list[str]:
    names = session.scalars(select(ClerkRole.name).where(ClerkRole.role == Role.ADMIN)).all()
    return sorted(names, key=name_key)


def _refusal(clerk: str, role: Role, needed: Role, action: str, admins: list[str]) -> str:
    whom = _ask_whom(admins)
    who = clerk.strip()
    if needed is Role.CLERK:
        if not who:
            return (
                "You have not given your name (--clerk, or your name in Settings), so you can "
                f"only view this database. Give your name as an admin registered it, or "
                f"{whom} to make you a clerk."
            )
        return (
            f"{who} is a viewer on this database and cannot make changes; "
            f"{whom} to make you a clerk."
        )
    status = f"{who} is {_a(role)}" if who else f"you gave no name, so you are {_a(role)}"
    return f"Only {_a(needed)} can {action}; {status}. {whom[0].upper()}{whom[1:]}."


def _a(role: Role) -> str:
    return f"an {role.value}" if role is Role.ADMIN else f"a {role.value}"


def _ask_whom(admins: list[str]) -> str:
    if not admins:
        return "ask an admin"
    if len(admins) > 3:
        return f"ask an admin ({', '.join(admins[:3])} or another)"
    if len(admins) == 1:
        return f"ask an admin ({admins[0]})"
    return f"ask an admin ({', '.join(admins[:-1])} or {admins[-1]})"


def _clean_name(name: str) -> str:
    shown = " ".join(name.split())
    if not shown:
        raise ValidationError({"name": "is required: the clerk's name as recorded in history"})
    if len(shown) > NAME_LIMIT:
        raise ValidationError({"name": f"is longer than {NAME_LIMIT} characters"})
    return shown


def _parse_role(role: Role | str) -> Role:
    if isinstance(role, Role):
        return role
    try:
        return Role(role.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise ValidationError({"role": f"{role!r} is not a role; choose {choices}"}) from None


def _entry(row: ClerkRole) -> RoleEntry:
    return RoleEntry(
        name=row.name, role=Role(row.role), granted_by=row.granted_by, granted_at=row.granted_at
    )
