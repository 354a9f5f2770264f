"""The sample portfolio from the seeds, and the synthetic one for large-data work."""

from __future__ import annotations

from sqlalchemy import func, select

from mou_desk.domain.stages import Stage
from mou_desk.services.demo import load_demo
from mou_desk.services.desk import Desk
from mou_desk.services.listing import list_mous, matching_mou_ids
from mou_desk.services.synthetic import generate, load_synthetic
from mou_desk.storage.models import ChangeLogEntry, Mou


def test_demo_holds_the_seeds_people_and_meetings(demo_desk: Desk) -> None:
    partners = {p["name"]: p for p in demo_desk.partners.all()}
    assert partners["Tanaka Electric Co. Ltd."]["name_local"] == "田中電気株式会社"
    assert partners["Kansai Pharmaceutical Industries Association"]["city"] == "Osaka"
    assert any(name.startswith("Link-J") for name in partners)
    assert "Asahi Intecc Co., Ltd." in partners and "Morabu Hanshin" in partners
    contacts = {c["name"]: c for c in demo_desk.contacts.all()}
    assert contacts["HAYASHI Yoshikazu"]["designation"] == "Director General"
    officers = {o["name"] for o in demo_desk.officers.all()}
    assert {
        "Awanish Kumar Awasthi",
        "Vijay Kiran Anand",
        "Inderjit Singh",
        "Chandru Apar",
    } <= officers
    [trip] = demo_desk.trips.all()
    assert trip["name"] == "Japan delegation, July 2025"
    meetings = demo_desk.trips.engagements(trip.id)
    assert {m["place"] for m in meetings} >= {"Osaka", "Tokyo", "Nakanoshima Qross, Osaka"}
    rows = list_mous(demo_desk.db)
    assert {r.stage for r in rows} == {s.value for s in Stage}
    policies = {m["policy"] for m in demo_desk.mous.all()}
    assert {"FDI & FCI Policy 2023", "GCC Policy", "Pharma and Medical Device Park"} <= policies
    assert matching_mou_ids(demo_desk.db, "電気")  # Japanese search works on the sample
    assert demo_desk.followups.all()


def test_demo_is_idempotent(demo_desk: Desk) -> None:
    with demo_desk.db.read() as session:
        before = session.scalar(select(func.count()).select_from(ChangeLogEntry))
    assert load_demo(demo_desk).already_there
    with demo_desk.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ChangeLogEntry)) == before


def test_synthetic_portfolio_is_deterministic_and_mixed(desk: Desk) -> None:
    first, second = generate(400, seed=7), generate(400, seed=7)
    assert first.rows["mous"] == second.rows["mous"]
    assert generate(400, seed=8).rows["mous"] != first.rows["mous"]
    assert load_synthetic(desk.db, 400, seed=7) == 400
    rows = list_mous(desk.db)
    assert len(rows) == 400
    assert len({r.stage for r in rows}) == 4 and len({r.district for r in rows}) > 5
    with desk.db.read() as session:
        currencies = set(session.scalars(select(Mou.currency).distinct()))
    assert {"INR", "JPY", "USD", "EUR"} <= currencies
    assert matching_mou_ids(desk.db, "株式会社")
    assert matching_mou_ids(desk.db, "निवेश")
