"""Roles on a shared database, on SQLite and PostgreSQL: who may view, change, administer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from mou_desk.domain.errors import PermissionDenied, ValidationError
from mou_desk.domain.stage_rules import StageChange
from mou_desk.domain.stages import Milestone, Stage, Status
from mou_desk.services import access
from mou_desk.services.access import Role
from mou_desk.services.desk import Desk
from mou_desk.storage.models import ChangeLogEntry, ClerkRole, Mou

RAVI = "Ravi Kumar"
MEENA = "Meena Verma"


def as_clerk(desk: Desk, name: str) -> Desk:
    return Desk.for_database(desk.db.as_(clerk=name), desk.opened)


def row_counts(desk: Desk) -> tuple[int, int, int]:
    with desk.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Mou)) or 0,
            session.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0,
            session.scalar(select(func.count()).select_from(ClerkRole)) or 0,
        )


@pytest.fixture
def ravi(desk: Desk) -> Desk:
    """The desk as Ravi Kumar, registered as the first (and only) admin."""
    admin = as_clerk(desk, RAVI)
    access.grant(admin.db, RAVI, Role.ADMIN)
    return admin


def test_with_no_admin_registered_everyone_is_an_admin(desk: Desk) -> None:
    stranger = as_clerk(desk, "Anyone At All")
    assert access.is_open(desk.db)
    assert stranger.db.role is Role.ADMIN and desk.db.role is Role.ADMIN
    mou = stranger.mous.create({"title": "Works as before"})
    access.require(stranger.db, Role.ADMIN, "restore a backup onto this database")
    assert access.list_roles(desk.db) == []
    assert stranger.mous.history(mou.id)[0].actor == "Anyone At All"


def test_the_first_role_granted_must_be_admin(desk: Desk) -> None:
    with pytest.raises(PermissionDenied) as caught:
        access.grant(desk.db, MEENA, "viewer")
    message = str(caught.value)
    assert "first role granted must be admin" in message
    assert 'mou-desk role grant "Test Clerk" admin' in message
    assert row_counts(desk)[2] == 0 and access.is_open(desk.db)


def test_an_unregistered_clerk_is_a_viewer_once_an_admin_exists(ravi: Desk) -> None:
    meena = as_clerk(ravi, MEENA)
    assert not access.is_open(ravi.db)
    assert meena.db.role is Role.VIEWER and ravi.db.role is Role.ADMIN
    before = row_counts(ravi)
    with pytest.raises(PermissionDenied) as caught:
        meena.mous.create({"title": "Not allowed"})
    assert str(caught.value) == (
        "Meena Verma is a viewer on this database and cannot make changes; "
        "ask an admin (Ravi Kumar) to make you a clerk."
    )
    assert row_counts(ravi) == before
    # reading stays open to a viewer
    assert meena.mous.all() == []


def test_a_clerk_makes_changes_and_history_records_who(ravi: Desk) -> None:
    access.grant(ravi.db, MEENA, Role.CLERK)
    meena = as_clerk(ravi, MEENA)
    assert meena.db.role is Role.CLERK
    mou = meena.mous.create({"title": "Robotics cell"})
    meena.mous.update(mou.id, {"title": "Robotics cell, Noida"}, mou.version)
    assert {row.actor for row in meena.mous.history(mou.id)} == {MEENA}
    assert meena.mous.get(mou.id).updated_by == MEENA


def test_only_an_admin_grants_or_revokes(ravi: Desk) -> None:
    access.grant(ravi.db, MEENA, Role.CLERK)
    meena = as_clerk(ravi, MEENA)
    with pytest.raises(PermissionDenied) as caught:
        access.grant(meena.db, MEENA, Role.ADMIN)
    assert str(caught.value) == (
        "Only an admin can grant roles; Meena Verma is a clerk. Ask an admin (Ravi Kumar)."
    )
    with pytest.raises(PermissionDenied, match="Only an admin can revoke roles"):
        access.revoke(meena.db, RAVI)
    with pytest.raises(PermissionDenied, match="Only an admin can restore a backup"):
        access.require(meena.db, Role.ADMIN, "restore a backup onto this database")
    access.require(meena.db, Role.CLERK, "import a workbook")
    assert [(e.name, e.role) for e in access.list_roles(ravi.db)] == [
        (RAVI, Role.ADMIN),
        (MEENA, Role.CLERK),
    ]


def test_names_match_ignoring_case_and_spacing(ravi: Desk) -> None:
    access.grant(ravi.db, "  meena   VERMA ", Role.CLERK)
    assert as_clerk(ravi, "Meena Verma").db.role is Role.CLERK
    assert as_clerk(ravi, "MEENA verma").db.role is Role.CLERK
    access.grant(ravi.db, MEENA, Role.VIEWER)  # the same clerk, renamed as given now
    entries = access.list_roles(ravi.db)
    assert [(e.name, e.role) for e in entries] == [(RAVI, Role.ADMIN), (MEENA, Role.VIEWER)]
    assert as_clerk(ravi, "meena verma").db.role is Role.VIEWER


def test_grant_records_who_granted_and_when(ravi: Desk) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    entry = access.grant(ravi.db, MEENA, "Clerk")
    assert entry.role is Role.CLERK and entry.granted_by == RAVI
    stored = {e.name: e for e in access.list_roles(ravi.db)}[MEENA]
    assert stored.granted_by == RAVI and before <= stored.granted_at <= datetime.now(UTC)


def test_the_last_admin_stays_an_admin(ravi: Desk) -> None:
    for attempt in (
        lambda: access.revoke(ravi.db, RAVI),
        lambda: access.grant(ravi.db, RAVI, Role.CLERK),
    ):
        with pytest.raises(PermissionDenied) as caught:
            attempt()
        assert str(caught.value) == (
            "Ravi Kumar is the only admin of this database and must stay one, so that someone "
            "can still grant roles. Make another clerk an admin first."
        )
    access.grant(ravi.db, MEENA, Role.ADMIN)
    access.grant(ravi.db, RAVI, Role.CLERK)  # Meena is an admin now: allowed
    assert ravi.db.role is Role.CLERK
    meena = as_clerk(ravi, MEENA)
    removed = access.revoke(meena.db, RAVI)
    assert removed.name == RAVI and removed.role is Role.CLERK
    assert ravi.db.role is Role.VIEWER


def test_revoking_makes_a_viewer_and_unknown_names_are_refused(ravi: Desk) -> None:
    access.grant(ravi.db, MEENA, Role.CLERK)
    meena = as_clerk(ravi, MEENA)
    mou = meena.mous.create({"title": "Before"})
    access.revoke(ravi.db, "meena verma")
    with pytest.raises(PermissionDenied, match="Meena Verma is a viewer"):
        meena.mous.update(mou.id, {"title": "After"}, mou.version)
    assert ravi.mous.get(mou.id)["title"] == "Before"
    with pytest.raises(ValidationError, match="not registered on this database"):
        access.revoke(ravi.db, "Nobody Here")


def test_roles_count_at_once_in_a_database_already_open(ravi: Desk, tmp_path: Path) -> None:
    meena = as_clerk(ravi, MEENA)  # opened while still a viewer
    with pytest.raises(PermissionDenied):
        meena.partners.create({"name": "Hitachi"})
    access.grant(ravi.db, MEENA, Role.CLERK)
    assert meena.partners.create({"name": "Hitachi"})["name"] == "Hitachi"


def test_desk_open_finds_the_role_of_the_clerk(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    first = Desk.open(path, clerk=RAVI)
    access.grant(first.db, RAVI, Role.ADMIN)
    access.grant(first.db, MEENA, Role.CLERK)
    first.close()
    for name, role in ((RAVI, Role.ADMIN), (MEENA, Role.CLERK), ("Anil Rao", Role.VIEWER)):
        desk = Desk.open(path, clerk=name)
        try:
            assert desk.db.role is role
        finally:
            desk.close()


def _writes(desk: Desk, mou_id: str, version: int) -> list[Callable[[], Any]]:
    today = date.today()
    return [
        lambda: desk.mous.create({"title": "New"}),
        lambda: desk.mous.update(mou_id, {"title": "Changed"}, version),
        lambda: desk.mous.delete(mou_id),
        lambda: desk.mous.change_stage(
            mou_id, StageChange(Stage.PROPOSAL, today, "DPR received"), version
        ),
        lambda: desk.mous.change_status(mou_id, Status.ON_HOLD, "Elections", today, version),
        lambda: desk.mous.set_milestone(mou_id, Milestone.LAND_ALLOTTED, today, version),
        lambda: desk.partners.create({"name": "Denso"}),
        lambda: desk.followups.create({"title": "Call back", "due_on": today}),
    ]


def test_every_kind_of_save_is_refused_to_a_viewer(ravi: Desk) -> None:
    mou = ravi.mous.create({"title": "Kept as it is"})
    meena = as_clerk(ravi, MEENA)
    before = row_counts(ravi)
    for attempt in _writes(meena, mou.id, mou.version):
        with pytest.raises(PermissionDenied):
            attempt()
    ravi.mous.delete(mou.id)
    with pytest.raises(PermissionDenied):
        meena.mous.restore(mou.id)
    assert row_counts(ravi)[0] == before[0] and ravi.mous.all(deleted=True)[0].id == mou.id


def test_a_viewer_with_no_name_is_told_to_give_it(ravi: Desk) -> None:
    nameless = as_clerk(ravi, "")
    with pytest.raises(PermissionDenied) as caught:
        nameless.mous.create({"title": "X"})
    assert "You have not given your name (--clerk" in str(caught.value)
    assert "ask an admin (Ravi Kumar) to make you a clerk" in str(caught.value)
    with pytest.raises(PermissionDenied) as admin_only:
        access.grant(nameless.db, MEENA, Role.CLERK)
    assert str(admin_only.value) == (
        "Only an admin can grant roles; you gave no name, so you are a viewer. "
        "Ask an admin (Ravi Kumar)."
    )


def test_acting_role_overrides_the_table_for_program_work(ravi: Desk) -> None:
    meena = as_clerk(ravi, MEENA)
    pulled = Desk.for_database(meena.db.with_role(Role.ADMIN))
    mou = pulled.mous.create({"title": "Pulled from the shared database"})
    assert pulled.mous.history(mou.id)[0].actor == MEENA
    assert pulled.db.role is Role.ADMIN and pulled.db.with_role(None).role is Role.VIEWER
    # and a role can be lowered: a read-only window on an open database
    read_only = Desk.for_database(as_clerk(ravi, RAVI).db.with_role(Role.VIEWER))
    with pytest.raises(PermissionDenied):
        read_only.mous.create({"title": "No"})


def test_bad_grants_are_refused_with_the_field(ravi: Desk) -> None:
    with pytest.raises(ValidationError) as bad_role:
        access.grant(ravi.db, MEENA, "superuser")
    assert "choose viewer, clerk, admin" in bad_role.value.problems["role"]
    with pytest.raises(ValidationError) as blank:
        access.grant(ravi.db, "   ", Role.CLERK)
    assert "name" in blank.value.problems
    with pytest.raises(ValidationError):
        access.grant(ravi.db, "x" * 121, Role.CLERK)


def test_admins_are_named_in_refusals(ravi: Desk) -> None:
    for name in ("Anil Rao", "Zoya Khan", "Bela Sen"):
        access.grant(ravi.db, name, Role.ADMIN)
    with pytest.raises(PermissionDenied) as caught:
        as_clerk(ravi, MEENA).mous.create({"title": "X"})
    assert "ask an admin (Anil Rao, Bela Sen, Ravi Kumar or another)" in str(caught.value)
