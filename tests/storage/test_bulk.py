"""Bulk loading: driver-level inserts with the search index rebuilt once at the end."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from mou_desk.services.desk import Desk
from mou_desk.services.listing import matching_mou_ids
from mou_desk.services.search import search
from mou_desk.services.synthetic import TABLE_ORDER, generate, load_synthetic
from mou_desk.storage.bulk import BULK_MARKER, insert_rows, insert_search_docs
from mou_desk.storage.models import Base, Meta, Mou, Partner

N = 300
SEED = 3
PARTNER_IDS = ["a0000000-0000-4000-8000-000000000001", "a0000000-0000-4000-8000-000000000002"]


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, leaving out the database's own identity (its id in meta
    differs between two files by design)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(text(f'SELECT * FROM "{table.name}"')).all()
            if table.name == "meta":
                rows = [r for r in rows if r[0] != "database_id"]
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def row_count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())


@pytest.fixture
def loaded(desk: Desk) -> Desk:
    assert load_synthetic(desk.db, N, seed=SEED) == N
    return desk


def test_row_counts_match_the_generated_portfolio(loaded: Desk) -> None:
    portfolio = generate(N, SEED)
    for table in TABLE_ORDER:
        assert row_count(loaded.db.engine, table) == len(portfolio.rows.get(table, [])), table
    assert row_count(loaded.db.engine, "mous") == N
    assert row_count(loaded.db.engine, "search_docs") == len(portfolio.docs)


def test_bulk_marker_is_gone_afterwards(loaded: Desk) -> None:
    with loaded.db.read() as session:
        assert session.get(Meta, BULK_MARKER) is None


def test_search_finds_bulk_loaded_mous_by_reference_and_in_any_script(loaded: Desk) -> None:
    db = loaded.db
    with db.read() as session:
        mou = session.scalars(select(Mou).where(Mou.ref == "UP-SYN-000042")).one()
        partner = session.get(Partner, mou.lead_partner_id)
        assert partner is not None
        hindi = session.scalars(
            select(Mou).where(Mou.notes.contains("निवेश")).order_by(Mou.ref)
        ).all()
        all_ids = set(session.scalars(select(Mou.id)))

    assert matching_mou_ids(db, "UP-SYN-000042") == {mou.id}
    assert matching_mou_ids(db, "up-syn-000042") == {mou.id}

    # A Japanese substring of the lead partner's name (trigram index) ...
    local = partner.name_local
    found = matching_mou_ids(db, local[:3])
    assert found is not None and mou.id in found
    # ... and a two-character Japanese word (bigram index).
    found = matching_mou_ids(db, local[:2])
    assert found is not None and mou.id in found

    assert hindi, "the synthetic portfolio should have Hindi notes"
    found = matching_mou_ids(db, "निवेश")
    assert found is not None and {m.id for m in hindi} <= found

    assert matching_mou_ids(db, "UP-SYN") == all_ids
    assert matching_mou_ids(db, "no such words anywhere xyzzy") == set()
    assert matching_mou_ids(db, "   ") is None


def test_search_docs_of_partners_are_indexed_too(loaded: Desk) -> None:
    with loaded.db.read() as session:
        partner = session.scalars(select(Partner).order_by(Partner.name)).first()
    assert partner is not None
    hits = search(loaded.db, partner.name)
    assert any(h.kind == "partner" and h.record_id == partner.id for h in hits)


def test_index_keeps_working_for_ordinary_saves_after_a_bulk_load(loaded: Desk) -> None:
    """The per-row trigger is suspended only during the load."""
    created = loaded.partners.create({"name": "Morabu Hanshin", "name_local": "モラブ阪神工業"})
    hits = search(loaded.db, "阪神工")
    assert any(h.record_id == created.id for h in hits)
    loaded.partners.delete(created.id)
    assert not any(h.record_id == created.id for h in search(loaded.db, "阪神工"))


def test_loaded_values_read_back_as_python_values(loaded: Desk) -> None:
    first = generate(N, SEED).rows["mous"][0]
    with loaded.db.read() as session:
        mou = session.get(Mou, first["id"])
        assert mou is not None
        assert mou.ref == first["ref"]
        assert mou.stage_since == date.fromisoformat(first["stage_since"])
        assert mou.amount == Decimal(first["amount"])
        assert mou.proposed_inr == Decimal(first["proposed_inr"]) / 100
        assert mou.stage.value == first["stage"]
        assert mou.created_at == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    record = loaded.mous.get(first["id"])
    assert record["ref"] == first["ref"]


def test_storage_form_rows_equal_what_the_type_converters_store(
    loaded: Desk, tmp_path: Path
) -> None:
    """Rows loaded natively (storage form) read back and re-inserted as Python values through
    the columns' own converters give the very same stored rows."""
    other = Desk.open(tmp_path / "converted.sqlite3")
    try:
        with loaded.db.engine.connect() as source, other.db.write() as session:
            for table in TABLE_ORDER:
                python_rows = [
                    dict(r._mapping) for r in source.execute(select(Base.metadata.tables[table]))
                ]
                assert insert_rows(session.connection(), table, python_rows) == len(python_rows)
        original, converted = dump(loaded.db.engine), dump(other.db.engine)
        for table in TABLE_ORDER:
            assert converted[table] == original[table], table
    finally:
        other.close()


def test_same_seed_gives_identical_rows(tmp_path: Path) -> None:
    dumps = []
    for name in ("one.sqlite3", "two.sqlite3"):
        desk = Desk.open(tmp_path / name)
        try:
            load_synthetic(desk.db, N, seed=SEED)
            dumps.append(dump(desk.db.engine))
        finally:
            desk.close()
    assert dumps[0] == dumps[1]
    assert len(dumps[0]["mous"]) == N


def test_a_different_seed_gives_a_different_portfolio() -> None:
    one, two = generate(50, 1), generate(50, 2)
    assert [r["id"] for r in one.rows["mous"]] != [r["id"] for r in two.rows["mous"]]
    assert generate(50, 1).rows == one.rows


@pytest.mark.parametrize("native", [False, True])
def test_insert_rows_fills_scalar_model_defaults_and_counts(desk: Desk, native: bool) -> None:
    stamp: Any = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    if native:
        stamp = "2026-11-01 09:00:00.000000"
    rows = [
        {"id": PARTNER_IDS[0], "name": "Link-J", "created_at": stamp, "updated_at": stamp},
        {"id": PARTNER_IDS[1], "name": "Asahi Intecc", "created_at": stamp, "updated_at": stamp},
    ]
    with desk.db.write() as session:
        assert insert_rows(session.connection(), "partners", rows, native=native) == 2
        assert insert_rows(session.connection(), "partners", [], native=native) == 0
    with desk.db.read() as session:
        partner = session.get(Partner, PARTNER_IDS[0])
        assert partner is not None
        assert partner.version == 1
        assert partner.website == ""
        assert partner.kind.value == "company"
        assert partner.deleted_at is None
        assert partner.created_at == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_insert_search_docs_indexes_every_document(desk: Desk) -> None:
    docs = [
        ("partner", "b0000000-0000-4000-8000-000000000001", "Tanaka Electric 田中電気株式会社"),
        ("partner", "b0000000-0000-4000-8000-000000000002", "उत्तर प्रदेश निवेश मित्र"),
    ]
    with desk.db.write() as session:
        assert insert_search_docs(session.connection(), docs) == 2
    with desk.db.read() as session:
        assert session.get(Meta, BULK_MARKER) is None
    with desk.db.engine.connect() as connection:

        def ids(match: str, table: str = "search_fts") -> set[str]:
            rows = connection.execute(
                text(
                    f"SELECT d.record_id FROM {table} JOIN search_docs d "
                    f"ON d.doc_id = {table}.rowid WHERE {table} MATCH :q"
                ),
                {"q": match},
            )
            return {r[0] for r in rows}

        assert ids('"電気株"') == {docs[0][1]}
        assert ids('"निवेश"') == {docs[1][1]}
        assert ids('"電気"', "search_cjk") == {docs[0][1]}
