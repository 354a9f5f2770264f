"""Reverting an applied changeset: created records go to the Trash, changed fields get back
the values they had, all in one transaction, and only while no record was changed since."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mou_desk.domain.stages import Stage, Status
from mou_desk.services import records
from mou_desk.services.changeset_apply import TYPE_ORDER
from mou_desk.services.changesets import ApplyResult, ChangesetRefused
from mou_desk.services.database import Database
from mou_desk.services.fields import decode, model_of
from mou_desk.storage.base import new_id
from mou_desk.storage.models import ChangeLogEntry, Mou, StageEvent

REVERTED_PREFIX = "revert:"


def revert_batch(db: Database, batch_id: str) -> ApplyResult:
    origin = REVERTED_PREFIX + batch_id
    actor = records.Actor(db.clerk, origin, new_id())
    with db.write() as session:
        entries = list(
            session.scalars(
                select(ChangeLogEntry)
                .where(ChangeLogEntry.batch_id == batch_id)
                .order_by(ChangeLogEntry.version, ChangeLogEntry.at)
            )
        )
        if not entries:
            raise ChangesetRefused(f"No applied import has the batch id {batch_id}.")
        done = session.scalar(
            select(ChangeLogEntry.id).where(ChangeLogEntry.origin == origin).limit(1)
        )
        if done is not None:
            raise ChangesetRefused("This import was already reverted.")
        touched: dict[tuple[str, str], dict[str, Any]] = {}
        for entry in entries:
            info = touched.setdefault(
                (entry.record_type, entry.record_id),
                {"actions": set(), "old": {}, "version": 0},
            )
            info["actions"].add(entry.action)
            info["version"] = max(info["version"], entry.version)
            if entry.field and entry.field not in info["old"]:
                info["old"][entry.field] = entry.old_value  # the oldest change wins
        _refuse_if_changed_since(session, touched)
        order = {name: i for i, name in enumerate(TYPE_ORDER)}
        created = updated = 0
        for (record_type, record_id), info in sorted(
            touched.items(), key=lambda item: -order.get(item[0][0], 99)
        ):
            if "create" in info["actions"]:
                records.delete_record(session, actor, record_type, record_id)
                created += 1
                continue
            if "delete" in info["actions"]:
                records.restore_record(session, actor, record_type, record_id)
            if "restore" in info["actions"]:
                records.delete_record(session, actor, record_type, record_id)
            old = {f: decode(record_type, f, v) for f, v in info["old"].items()}
            if old:
                record = records.get_live(session, record_type, record_id, lock=True)
                if record_type == "mou" and {"stage", "status"} & set(old):
                    assert isinstance(record, Mou)
                    _revert_event(session, actor, record, old, db.today())
                records.update(session, actor, record_type, record_id, old, record.version)
            updated += 1
    return ApplyResult(actor.batch_id or "", origin, 0, updated, 0, 0, {"reverted": (created, 0)})


def _refuse_if_changed_since(
    session: Session, touched: Mapping[tuple[str, str], Mapping[str, Any]]
) -> None:
    ids = [record_id for _, record_id in touched]
    latest: dict[str, tuple[int, str, str]] = {}
    for start in range(0, len(ids), 900):
        query = (
            select(ChangeLogEntry.record_id, func.max(ChangeLogEntry.version))
            .where(ChangeLogEntry.record_id.in_(ids[start : start + 900]))
            .group_by(ChangeLogEntry.record_id)
        )
        for record_id, version in session.execute(query):
            latest[record_id] = (version, "", "")
    later = [
        (record_type, record_id)
        for (record_type, record_id), info in touched.items()
        if latest.get(record_id, (0, "", ""))[0] > info["version"]
    ]
    if later:
        labels = []
        for record_type, record_id in later[:5]:
            record = session.get(model_of(record_type), record_id)
            labels.append(records.label_of(record) if record is not None else record_id)
        more = f" and {len(later) - 5} more" if len(later) > 5 else ""
        raise ChangesetRefused(
            f"Cannot revert: {', '.join(labels)}{more} changed again after the import; "
            "nothing was reverted. Undo those changes by hand first."
        )


def _revert_event(
    session: Session, actor: records.Actor, mou: Mou, old: dict[str, Any], today: date
) -> None:
    stage = Stage(str(old.get("stage", mou.stage)))
    status = Status(str(old.get("status", mou.status)))
    session.add(
        StageEvent(
            mou_id=mou.id,
            from_stage=mou.stage,
            to_stage=stage,
            from_status=mou.status,
            to_status=status,
            effective_on=today,
            reason="Import reverted",
            actor=actor.clerk,
        )
    )
