"""Load the sample portfolio (services.demo_portfolio) into a database, once.

Loading is idempotent: records have fixed ids and existing ones are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mou_desk.services.demo_portfolio import (
    CONTACTS,
    OFFICERS,
    PARTNERS,
    TRIP,
    TRIP_END,
    demo_id,
    meeting_seeds,
    mou_seeds,
)
from mou_desk.services.desk import Desk
from mou_desk.storage.models import Meta


@dataclass(frozen=True)
class DemoResult:
    created: int
    already_there: bool


def load_demo(desk: Desk) -> DemoResult:
    """Load the sample portfolio once; a second call changes nothing."""
    with desk.db.read() as session:
        if session.get(Meta, "demo_loaded") is not None:
            return DemoResult(0, True)
    today = desk.db.today()
    created = 0

    def make(service: Any, key: str, values: dict[str, Any]) -> str:
        nonlocal created
        record_id = demo_id(key)
        with desk.db.write() as session:
            from mou_desk.services import records
            from mou_desk.services.common import RecordService

            assert isinstance(service, RecordService)
            data = dict(values)
            service.validate(session, data, None)
            service.prepare(session, data, None)
            record = records.create(session, service.actor(), service.record_type, data, record_id)
            service.after_create(session, record, data)
        created += 1
        return record_id

    officers = {k: make(desk.officers, f"officer:{k}", v) for k, v in OFFICERS}
    partners = {k: make(desk.partners, f"partner:{k}", v) for k, v in PARTNERS}
    contacts = {
        k: make(desk.contacts, f"contact:{k}", {**v, "partner_id": partners[p]})
        for k, p, v in CONTACTS
    }
    trip = make(desk.trips, "trip:japan-2025", TRIP)
    mous: dict[str, str] = {}
    for seed in mou_seeds(today):
        first_day = date(2025, 7, 30)
        values = {
            **seed.values,
            "lead_partner_id": partners[seed.partner],
            "nodal_officer_id": officers["anand"],
            "stage_since": first_day,
            "last_activity_on": first_day,
            "next_action_due": today + timedelta(days=len(mous) * 9 - 12),
        }
        if seed.key == "incubation":
            values["partner_ids"] = [partners["asahi"]]
        if values.get("currency", "INR") == "INR" and "amount" in values:
            values["amount"] = values["amount"] * 10_000_000  # entered in crore above
        mous[seed.key] = mou_id = make(desk.mous, f"mou:{seed.key}", values)
        for change in seed.path:
            version = desk.mous.get(mou_id).version
            desk.mous.change_stage(mou_id, change, version)
        if seed.status:
            version = desk.mous.get(mou_id).version
            desk.mous.change_status(
                mou_id, seed.status[0], seed.status[1], date(2026, 4, 1), version
            )

    engagement_ids: dict[str, str] = {}
    for key, title, on, place, ps, cs, os_, ms, text in meeting_seeds(today):
        engagement_ids[key] = make(
            desk.engagements,
            f"meeting:{key}",
            {
                "trip_id": trip if on <= TRIP_END else None,
                "kind": "call" if "all" in place else "meeting",
                "title": title,
                "held_on": on,
                "place": place,
                "discussion": text,
                "partner_ids": [partners[p] for p in ps],
                "contact_ids": [contacts[c] for c in cs],
                "officer_ids": [officers[o] for o in os_],
                "mou_ids": [mous[m] for m in ms],
            },
        )

    followups = [
        ("draft-moc", "bio-cluster", "kpia", "Send the draft MoC to KPIA", -6, "Vijay Kiran Anand"),
        (
            "nlab-visit",
            "nlab",
            "nite",
            "Fix dates for the NLAB engineers' site visit",
            0,
            "Inderjit Singh",
        ),
        (
            "ground",
            "magnets",
            "tanaka",
            "Confirm the ground-breaking date with 田中電気株式会社",
            5,
            "Vijay Kiran Anand",
        ),
        (
            "plots",
            "medtech",
            "asahi",
            "Send plot options in the Medical Device Park",
            12,
            "Vijay Kiran Anand",
        ),
        (
            "incubation",
            "incubation",
            "linkj",
            "उत्तर प्रदेश निवेश: share the incubation call draft",
            -20,
            "Inderjit Singh",
        ),
    ]
    for key, mou, partner, title, days, owner in followups:
        make(
            desk.followups,
            f"followup:{key}",
            {
                "mou_id": mous[mou],
                "partner_id": partners[partner],
                "title": title,
                "owner": owner,
                "due_on": today + timedelta(days=days),
                "engagement_id": engagement_ids.get(partner),
            },
        )
    with desk.db.write() as session:
        if session.get(Meta, "demo_loaded") is None:
            session.add(Meta(key="demo_loaded", value=today.isoformat()))
    return DemoResult(created, False)


def demo_partner_ids() -> list[str]:
    return [demo_id(f"partner:{k}") for k, _ in PARTNERS]
