"""A deterministic portfolio of N MoUs for benchmarks and large-data tests.

A realistic mix: stages and statuses in funnel proportions, UP districts and regions,
sectors, INR/JPY/USD/EUR amounts with fixed rates, Japanese partner names in both scripts,
Hindi notes, follow-ups. The same (n, seed) always gives the same rows.

Rows are made in storage form (ISO dates, integer paise, exact decimal text), the form
storage.bulk.insert_rows(native=True) hands straight to the driver.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from mou_desk.domain.money import rupees_to_paise, to_inr
from mou_desk.services.database import Database
from mou_desk.storage import bulk
from mou_desk.storage.search_index import join_text

DISTRICTS = [
    ("Lucknow", "Central"),
    ("Kanpur Nagar", "Central"),
    ("Gautam Buddha Nagar", "Western"),
    ("Ghaziabad", "Western"),
    ("Agra", "Western"),
    ("Meerut", "Western"),
    ("Aligarh", "Western"),
    ("Varanasi", "Eastern"),
    ("Prayagraj", "Eastern"),
    ("Gorakhpur", "Eastern"),
    ("Jhansi", "Bundelkhand"),
    ("Lalitpur", "Bundelkhand"),
    ("Chitrakoot", "Bundelkhand"),
    ("Bareilly", "Western"),
    ("Ayodhya", "Eastern"),
    ("Moradabad", "Western"),
]
SECTORS = [
    "Pharmaceuticals",
    "Medical devices",
    "EV & batteries",
    "Rare earth & magnets",
    "Semiconductors",
    "Electronics",
    "Renewable energy",
    "Food processing",
    "Textiles",
    "Logistics",
    "Data centres",
    "Skills & manpower",
    "Life sciences",
    "Automobiles",
    "Defence & aerospace",
]
POLICIES = [
    "FDI & FCI Policy 2023",
    "GCC Policy",
    "Semiconductor Policy",
    "Pharma and Medical Device Park",
    "Data Centre Policy",
    "",
]
JP_STEMS = [
    ("Tanaka", "田中"),
    ("Yamada", "山田"),
    ("Sato", "佐藤"),
    ("Suzuki", "鈴木"),
    ("Takahashi", "高橋"),
    ("Watanabe", "渡辺"),
    ("Ito", "伊藤"),
    ("Nakamura", "中村"),
    ("Kobayashi", "小林"),
    ("Kato", "加藤"),
    ("Yoshida", "吉田"),
    ("Hayashi", "林"),
]
JP_TRADES = [
    ("Electric", "電気"),
    ("Precision", "精密"),
    ("Pharma", "製薬"),
    ("Materials", "素材"),
    ("Chemical", "化学"),
    ("Machinery", "機械"),
    ("Battery", "電池"),
    ("Medical", "医療"),
]
GIVEN = ["Yoshikazu", "Takeo", "Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Kenji", "Emi"]
WORDS = [
    "plant",
    "expansion",
    "joint venture",
    "R&D centre",
    "testing lab",
    "cluster",
    "park",
    "assembly line",
    "warehouse",
    "training institute",
    "export hub",
    "pilot line",
]
HINDI_NOTES = [
    "उत्तर प्रदेश निवेश प्रोत्साहन",
    "भूमि आवंटन प्रक्रियाधीन",
    "प्रस्ताव पर चर्चा जारी",
    "कौशल विकास सहयोग",
    "प्रौद्योगिकी हस्तांतरण",
]
RATES = {
    "INR": Decimal(1),
    "JPY": Decimal("0.5712"),
    "USD": Decimal("83.25"),
    "EUR": Decimal("90.10"),
}
STAGE_MIX = ["discussion"] * 45 + ["proposal"] * 30 + ["signing"] * 17 + ["investment"] * 8
STATUS_MIX = ["active"] * 80 + ["on hold"] * 10 + ["dropped"] * 6 + ["completed"] * 4


@dataclass
class Portfolio:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    docs: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)


def generate(n: int, seed: int = 1, today: date | None = None) -> Portfolio:
    rnd = random.Random(seed)
    today = today or date(2026, 11, 1)
    now = datetime(2026, 11, 1, 9, 0, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    common = {
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "updated_by": "synthetic",
        "deleted_at": None,
    }
    out = Portfolio()

    def uid() -> str:
        return str(_uuid(rnd))

    officers = []
    for i in range(max(5, n // 2000)):
        oid = uid()
        officers.append((oid, f"Officer {i + 1}"))
        out.add(
            "officers",
            {
                **common,
                "id": oid,
                "name": f"Officer {i + 1}",
                "name_local": f"अधिकारी {i + 1}",
                "designation": "Nodal officer",
            },
        )
    partners = []
    for i in range(max(3, n // 4)):
        pid = uid()
        stem, stem_jp = rnd.choice(JP_STEMS)
        trade, trade_jp = rnd.choice(JP_TRADES)
        name, local = f"{stem} {trade} Co. Ltd. {i + 1}", f"{stem_jp}{trade_jp}株式会社"
        partners.append((pid, name, local))
        out.add(
            "partners",
            {
                **common,
                "id": pid,
                "name": name,
                "name_local": local,
                "kind": "company",
                "country": "Japan",
                "city": rnd.choice(["Tokyo", "Osaka", "Kobe", "Nagoya"]),
                "sectors": rnd.choice(SECTORS),
            },
        )
        contact_name = f"{stem.upper()} {rnd.choice(GIVEN)}"
        out.add(
            "contacts",
            {
                **common,
                "id": uid(),
                "partner_id": pid,
                "name": contact_name,
                "name_local": stem_jp,
                "designation": "Director",
            },
        )
        out.docs.append(("partner", pid, join_text(name, local, contact_name)))
    for i in range(n):
        mid = uid()
        pid, pname, plocal = partners[rnd.randrange(len(partners))]
        district, region = rnd.choice(DISTRICTS)
        sector = rnd.choice(SECTORS)
        stage = rnd.choice(STAGE_MIX)
        currency = rnd.choice(["INR", "INR", "JPY", "USD", "EUR"])
        amount = Decimal(rnd.randrange(5, 5000)) * (10_000_000 if currency == "INR" else 100_000)
        since_day = today - timedelta(days=rnd.randrange(1, 400))
        activity = (
            since_day + timedelta(days=rnd.randrange(0, (today - since_day).days + 1))
        ).isoformat()
        since = since_day.isoformat()
        inr = to_inr(amount, RATES[currency])
        title = f"{sector} {rnd.choice(WORDS)} — {pname.split(' Co.')[0]}"
        notes = (
            f"{rnd.choice(HINDI_NOTES)}; {plocal} と協議中" if i % 3 == 0 else "Follow up on land."
        )
        row = {
            **common,
            "id": mid,
            "ref": f"UP-SYN-{i + 1:06d}",
            "title": title,
            "lead_partner_id": pid,
            "sector": sector,
            "stage": stage,
            "status": rnd.choice(STATUS_MIX),
            "doc_type": "MoU",
            "amount": format(amount, "f"),
            "currency": currency,
            "rate_to_inr": format(RATES[currency], "f"),
            "rate_date": since,
            "proposed_inr": rupees_to_paise(inr),
            "proposed_jobs": rnd.randrange(10, 5000),
            "district": district,
            "region": region,
            "policy": rnd.choice(POLICIES),
            "nodal_officer_id": rnd.choice(officers)[0],
            "priority": rnd.choice(["high", "medium", "low"]),
            "next_action": "Review progress",
            "next_action_due": (today + timedelta(days=rnd.randrange(-60, 90))).isoformat(),
            "tags": "",
            "notes": notes,
            "stage_since": since,
            "last_activity_on": activity,
            "signed_on_ours": since if stage in ("signing", "investment") else None,
            "realised_inr": rupees_to_paise(inr) if stage == "investment" else None,
        }
        out.add("mous", row)
        out.add(
            "stage_events",
            {
                "id": uid(),
                "mou_id": mid,
                "to_stage": stage,
                "to_status": row["status"],
                "effective_on": since,
                "reason": "Synthetic",
                "actor": "synthetic",
                "recorded_at": now,
            },
        )
        if i % 2 == 0:
            out.add(
                "followups",
                {
                    **common,
                    "id": uid(),
                    "mou_id": mid,
                    "partner_id": pid,
                    "title": f"Call {pname}",
                    "owner": "Officer 1",
                    "due_on": (today + timedelta(days=rnd.randrange(-30, 60))).isoformat(),
                },
            )
        out.docs.append(
            (
                "mou",
                mid,
                join_text(
                    row["ref"],
                    title,
                    sector,
                    district,
                    row["policy"],
                    row["next_action"],
                    notes,
                    pname,
                    plocal,
                ),
            )
        )
    return out


def _uuid(rnd: random.Random) -> str:
    import uuid

    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


TABLE_ORDER = ["officers", "partners", "contacts", "mous", "stage_events", "followups"]


def load_portfolio(db: Database, portfolio: Portfolio) -> int:
    """Insert a generated portfolio in one transaction; returns the number of MoUs."""
    with db.write() as session:
        connection = session.connection()
        for table in TABLE_ORDER:
            bulk.insert_rows(connection, table, portfolio.rows.get(table, []), native=True)
        bulk.insert_search_docs(connection, portfolio.docs)
    return len(portfolio.rows.get("mous", []))


def load_synthetic(db: Database, n: int, seed: int = 1) -> int:
    return load_portfolio(db, generate(n, seed))


def iter_tables(portfolio: Portfolio) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for table in TABLE_ORDER:
        yield table, portfolio.rows.get(table, [])
