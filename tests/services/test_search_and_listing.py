"""Search in any script, the grid's filters and sorting, the dashboard's figures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from mou_desk.domain.stage_rules import StageChange
from mou_desk.domain.stages import Stage, Status
from mou_desk.services.dashboard import dashboard
from mou_desk.services.desk import Desk
from mou_desk.services.first_rows import first_rows
from mou_desk.services.listing import MouFilter, list_mous, matching_mou_ids, sort_rows
from mou_desk.services.mou_search import MouSearch
from mou_desk.services.search import search


def test_japanese_and_hindi_substrings_match(desk: Desk) -> None:
    tanaka = desk.partners.create({"name": "Tanaka Electric", "name_local": "田中電気株式会社"})
    magnets = desk.mous.create({"title": "Magnets", "lead_partner_id": tanaka.id})
    hindi = desk.mous.create({"title": "Park", "notes": "उत्तर प्रदेश निवेश प्रोत्साहन"})
    assert matching_mou_ids(desk.db, "電気") == {magnets.id}  # two characters: bigram index
    assert matching_mou_ids(desk.db, "電気株") == {magnets.id}  # three: trigram index
    assert matching_mou_ids(desk.db, "電") == {magnets.id}
    assert matching_mou_ids(desk.db, "निवेश") == {hindi.id}
    assert matching_mou_ids(desk.db, "tanaka MAGN") == {magnets.id}  # every word, any case
    assert matching_mou_ids(desk.db, "tanaka park") == set()
    assert matching_mou_ids(desk.db, "   ") is None
    kinds = {hit.kind for hit in search(desk.db, "電気")}
    assert kinds == {"mou", "partner"}


def test_search_follows_renames_contacts_and_deletions(desk: Desk) -> None:
    partner = desk.partners.create({"name": "Kansai Pharmaceutical Industries Association"})
    mou = desk.mous.create({"title": "Bio cluster", "lead_partner_id": partner.id})
    contact = desk.contacts.create({"name": "HAYASHI Yoshikazu", "partner_id": partner.id})
    assert matching_mou_ids(desk.db, "hayashi") == {mou.id}  # a contact's name finds the MoU
    desk.partners.update(partner.id, {"name": "関西医薬品協会"}, partner.version)
    assert matching_mou_ids(desk.db, "関西医薬") == {mou.id}
    assert matching_mou_ids(desk.db, "Kansai") == set()
    desk.contacts.delete(contact.id)
    assert matching_mou_ids(desk.db, "hayashi") == set()
    desk.mous.delete(mou.id)
    assert matching_mou_ids(desk.db, "Bio cluster") == set()
    desk.mous.restore(mou.id)
    assert matching_mou_ids(desk.db, "Bio cluster") == {mou.id}


def test_quotes_and_wildcards_in_searches_are_literal(desk: Desk) -> None:
    mou = desk.mous.create({"title": 'The "100%" plan_a'})
    assert matching_mou_ids(desk.db, '"100%"') == {mou.id}
    assert matching_mou_ids(desk.db, "%") == {mou.id}
    assert matching_mou_ids(desk.db, "_a") == {mou.id}
    assert matching_mou_ids(desk.db, "x_") == set()


def test_search_as_you_type_answers_as_the_listing_search(desk: Desk) -> None:
    """MouSearch reads the indexes alone where it can and maps documents back in memory; its
    answers are matching_mou_ids' for every kind of word (and None for blank text)."""
    tanaka = desk.partners.create({"name": "Tanaka Electric", "name_local": "田中電気株式会社"})
    desk.contacts.create({"name": "HAYASHI Yoshikazu", "partner_id": tanaka.id})
    desk.mous.create({"title": "Magnets", "lead_partner_id": tanaka.id, "notes": "ma_x 100%"})
    desk.mous.create({"title": "Park", "notes": "उत्तर प्रदेश निवेश प्रोत्साहन"})
    desk.mous.create({"title": "Tanaka-free EV cluster", "district": "Lucknow"})
    gone = desk.mous.create({"title": "Deleted tanaka plan"})
    desk.mous.delete(gone.id)
    finder = MouSearch.load(desk.db)
    queries = [
        "tanaka", "TANAKA mag", "electric", "hayashi", "電気", "電", "田中 magnets", "電気株",
        "निवेश", "ma", "tanaka ma", "_x", "100%", '"100', "ev cluster", "nothing-like-this",
        "lucknow tanaka", "   ", "",
    ]  # fmt: skip
    for query in queries:
        expected = matching_mou_ids(desk.db, query)
        assert finder.matching_ids(query) == expected, query
        assert finder.matching_ids(query) == expected, query  # kept answers are the same
    assert gone.id not in (finder.matching_ids("tanaka") or ())


def make_portfolio(desk: Desk) -> dict[str, str]:
    today = date.today()
    officer = desk.officers.create({"name": "Vijay Kiran Anand"})
    ids = {}
    for ref, sector, district, crore, days_quiet, due in [
        ("A-1", "Pharmaceuticals", "Lalitpur", 1200, 5, -3),
        ("A-2", "EV & batteries", "Lucknow", 257, 100, 10),
        ("A-3", "Pharmaceuticals", "Lucknow", 350, 10, None),
    ]:
        quiet = today - timedelta(days=days_quiet)
        ids[ref] = desk.mous.create({
            "ref": ref, "title": f"MoU {ref}", "sector": sector, "district": district,
            "amount": Decimal(crore) * 10**7, "currency": "INR", "nodal_officer_id": officer.id,
            "stage_since": quiet, "last_activity_on": quiet,
            "next_action_due": None if due is None else today + timedelta(days=due),
        }).id  # fmt: skip
    mou = desk.mous.get(ids["A-3"])
    desk.mous.change_stage(ids["A-3"], StageChange(Stage.PROPOSAL, today), mou.version)
    return ids


def test_grid_rows_filters_and_sorting(desk: Desk) -> None:
    ids = make_portfolio(desk)
    rows = list_mous(desk.db)
    assert [r.ref for r in rows] == ["A-1", "A-2", "A-3"]
    first = rows[0]
    assert first.proposed_paise == 1200 * 10**7 * 100 and first.nodal_officer == "Vijay Kiran Anand"
    assert {
        r.ref for r in list_mous(desk.db, MouFilter(sectors=frozenset({"Pharmaceuticals"})))
    } == {"A-1", "A-3"}
    assert [r.ref for r in list_mous(desk.db, MouFilter(stages=frozenset({"proposal"})))] == ["A-3"]
    assert [r.ref for r in list_mous(desk.db, MouFilter(overdue=True))] == ["A-1"]
    assert [r.ref for r in list_mous(desk.db, MouFilter(stale=True))] == ["A-2"]  # 100 days > 60
    assert [r.ref for r in list_mous(desk.db, order_by="proposed_paise", descending=True)] == [
        "A-1",
        "A-3",
        "A-2",
    ]
    by_due = list_mous(desk.db, order_by="next_action_due")
    assert [r.ref for r in by_due] == ["A-1", "A-2", "A-3"]  # blanks last
    sort_rows(by_due, "district")
    assert [r.district for r in by_due] == ["Lalitpur", "Lucknow", "Lucknow"]
    desk.mous.delete(ids["A-2"])
    assert [r.ref for r in list_mous(desk.db, MouFilter(deleted=True))] == ["A-2"]


def test_first_rows_read_straight_from_the_file_match_the_listing(desk: Desk) -> None:
    ids = make_portfolio(desk)
    desk.mous.delete(ids["A-2"])
    url = desk.db.engine.url.render_as_string(hide_password=False)
    found = first_rows(url, limit=10)
    if desk.db.dialect != "sqlite":
        assert found is None  # only a SQLite file can be read before the database opens
        return
    assert found is not None
    assert [tuple(r) for r in found] == [tuple(r) for r in list_mous(desk.db, limit=10)]
    assert [r.ref for r in first_rows(url, limit=1) or []] == ["A-1"]


def test_dashboard_figures(desk: Desk) -> None:
    ids = make_portfolio(desk)
    task = desk.followups.create(
        {"title": "Overdue call", "due_on": date.today() - timedelta(days=2), "mou_id": ids["A-1"]}
    )
    desk.followups.create({"title": "Soon", "due_on": date.today() + timedelta(days=3)})
    desk.followups.create({"title": "Later", "due_on": date.today() + timedelta(days=60)})
    figures = dashboard(desk.db)
    stages = {b.key: (b.count, b.proposed_inr) for b in figures.by_stage}
    assert stages["discussion"] == (2, Decimal(1457) * 10**7)
    assert stages["proposal"] == (1, Decimal(350) * 10**7)
    assert stages["signing"] == (0, Decimal(0))
    assert {b.key: b.count for b in figures.by_sector} == {
        "EV & batteries": 1,
        "Pharmaceuticals": 2,
    }
    assert figures.total.count == 3 and figures.total.proposed_inr == Decimal(1807) * 10**7
    assert [f.title for f in figures.overdue] == ["Overdue call"] and figures.overdue[
        0
    ].mou_ref == "A-1"
    assert [f.title for f in figures.upcoming] == ["Soon"]
    assert [m.ref for m in figures.stale] == ["A-2"] and figures.stale_count == 1
    desk.followups.mark_done(task.id, date.today(), task.version)
    assert dashboard(desk.db).overdue == []


def test_on_hold_mous_are_never_stale(desk: Desk) -> None:
    old = date.today() - timedelta(days=400)
    mou = desk.mous.create({"title": "Paused", "stage_since": old, "last_activity_on": old})
    desk.mous.change_status(mou.id, Status.ON_HOLD, "Visa rules", old, mou.version)
    assert list_mous(desk.db, MouFilter(stale=True)) == []


def test_dashboard_lists_the_longest_quiet_stale_mous_and_counts_them_all(desk: Desk) -> None:
    today = date.today()
    for days in (70, 200, 90, 400):
        quiet = today - timedelta(days=days)
        desk.mous.create(
            {"title": f"Quiet {days}", "stage_since": quiet, "last_activity_on": quiet}
        )
    figures = dashboard(desk.db, stale_limit=2)
    assert figures.stale_count == 4
    assert [m.title for m in figures.stale] == ["Quiet 400", "Quiet 200"]
