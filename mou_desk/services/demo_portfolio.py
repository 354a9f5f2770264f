"""The sample portfolio's records: Uttar Pradesh's Japan delegation of July 2025 (../shared/seeds).

People, organisations, places and the meetings come from the news reports. Stages, amounts,
dates after the trip and follow-ups are illustrative, chosen to show every screen at work.
Every record has a fixed id (``demo_id``) so that loading them (services.demo) is idempotent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from mou_desk.domain.stage_rules import StageChange
from mou_desk.domain.stages import Milestone, Stage, Status

_NAMESPACE = uuid.UUID("6f1c2c1e-5d0b-4c55-9a57-4d6f0e2a7b10")


def demo_id(key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, key))


OFFICERS = [
    (
        "awasthi",
        {
            "name": "Awanish Kumar Awasthi",
            "name_local": "अवनीश कुमार अवस्थी",
            "designation": "Advisor to the Chief Minister",
            "organisation": "Government of Uttar Pradesh",
        },
    ),
    (
        "anand",
        {
            "name": "Vijay Kiran Anand",
            "name_local": "विजय किरण आनंद",
            "designation": "Chief Executive Officer",
            "organisation": "Invest UP",
        },
    ),
    (
        "singh",
        {
            "name": "Inderjit Singh",
            "name_local": "इंद्रजीत सिंह",
            "designation": "Director",
            "organisation": "UPNEDA",
        },
    ),
    (
        "apar",
        {
            "name": "Chandru Apar",
            "designation": "Consul General of India, Osaka-Kobe",
            "organisation": "Consulate General of India, Osaka-Kobe",
        },
    ),
]

PARTNERS = [
    (
        "kpia",
        {
            "name": "Kansai Pharmaceutical Industries Association",
            "name_local": "関西医薬品協会",
            "kind": "industry association",
            "country": "Japan",
            "city": "Osaka",
            "sectors": "Pharmaceuticals; Diagnostics; Clinical research",
            "notes": "KPIA. Interested in bio-innovation, gene-altered medicines and a Bio-Innovation Cluster in UP.",
        },
    ),
    (
        "nite",
        {
            "name": "National Institute of Technology and Evaluation (NITE) — NLAB",
            "name_local": "製品評価技術基盤機構",
            "kind": "government body",
            "country": "Japan",
            "city": "Osaka",
            "sectors": "EV batteries; Testing and certification",
            "notes": "NLAB: large-scale battery testing laboratory in Osaka.",
        },
    ),
    (
        "tanaka",
        {
            "name": "Tanaka Electric Co. Ltd.",
            "name_local": "田中電気株式会社",
            "kind": "company",
            "country": "Japan",
            "city": "Tokyo",
            "sectors": "Rare earth magnets; Semiconductors; Precision equipment",
            "notes": "Near-net-shape rare-earth magnet fabrication (NdFeB, SmCo).",
        },
    ),
    (
        "asahi",
        {
            "name": "Asahi Intecc Co., Ltd.",
            "name_local": "朝日インテック株式会社",
            "kind": "company",
            "country": "Japan",
            "city": "Osaka",
            "sectors": "Medical devices",
            "notes": "Global leader in minimally invasive medical devices. Met at Nakanoshima Qross.",
        },
    ),
    (
        "linkj",
        {
            "name": "Link-J (Life Science Innovation Network Japan)",
            "name_local": "ライフサイエンス・イノベーション・ネットワーク・ジャパン",
            "kind": "network",
            "country": "Japan",
            "city": "Tokyo",
            "sectors": "Life sciences; Start-up incubation",
        },
    ),
    (
        "morabu",
        {
            "name": "Morabu Hanshin",
            "kind": "company",
            "country": "Japan",
            "city": "Kobe",
            "sectors": "Skills; Manpower; Technology exchange",
        },
    ),
]

CONTACTS = [
    (
        "hayashi",
        "kpia",
        {"name": "HAYASHI Yoshikazu", "honorific": "Dr.", "designation": "Director General"},
    ),
    (
        "tanaka-takeo",
        "tanaka",
        {"name": "Takeo Tanaka", "honorific": "Mr.", "designation": "Chairman"},
    ),
]

TRIP_END = date(2025, 8, 1)
TRIP: dict[str, object] = {
    "name": "Japan delegation, July 2025",
    "country": "Japan",
    "start_on": date(2025, 7, 27),
    "end_on": TRIP_END,
    "notes": "Osaka and Tokyo. Led by the Advisor to the CM, the CEO of "
    "Invest UP and the Director of UPNEDA.",
}


@dataclass(frozen=True)
class MouSeed:
    key: str
    partner: str
    values: dict[str, Any]
    path: tuple[StageChange, ...] = ()
    status: tuple[Status, str] | None = None


def mou_seeds(today: date) -> list[MouSeed]:
    return [
        MouSeed(
            "bio-cluster",
            "kpia",
            {
                "ref": "UP-JP-2025-001",
                "title": "Bio-Innovation Cluster with KPIA member companies",
                "sector": "Pharmaceuticals",
                "district": "Lalitpur",
                "region": "Bundelkhand",
                "policy": "Pharma and Medical Device Park",
                "doc_type": "MoC",
                "amount": Decimal("1200"),
                "currency": "INR",
                "proposed_jobs": 1500,
                "next_action": "Share the draft MoC with KPIA's Director General",
                "priority": "high",
                "notes": "Gene-altered medicines, novel drug development, diagnostics, clinical research.",
            },
            (
                StageChange(Stage.PROPOSAL, date(2025, 9, 15), "Cluster proposal sent"),
                StageChange(
                    Stage.SIGNING,
                    date(2026, 2, 10),
                    "MoC signed in Lucknow",
                    signed_on=date(2026, 2, 10),
                ),
            ),
        ),
        MouSeed(
            "nlab",
            "nite",
            {
                "ref": "UP-JP-2025-002",
                "title": "EV battery testing Centre of Excellence (NITE/NLAB)",
                "sector": "EV & batteries",
                "district": "Lucknow",
                "region": "Central",
                "policy": "GCC Policy",
                "doc_type": "MoU",
                "amount": Decimal("4500000000"),
                "currency": "JPY",
                "rate_to_inr": Decimal("0.5712"),
                "rate_date": date(2025, 7, 30),
                "proposed_jobs": 300,
                "priority": "high",
                "next_action": "Site visit by NLAB engineers",
                "notes": "Technology transfer, applied research, testing infrastructure for clean mobility.",
            },
            (StageChange(Stage.PROPOSAL, date(2025, 11, 20), "Concept note shared"),),
        ),
        MouSeed(
            "magnets",
            "tanaka",
            {
                "ref": "UP-JP-2025-003",
                "title": "Near-net-shape rare-earth magnet plant",
                "sector": "Rare earth & magnets",
                "district": "Jhansi",
                "region": "Bundelkhand",
                "policy": "FDI & FCI Policy 2023",
                "doc_type": "MoU",
                "amount": Decimal("2000000000"),
                "currency": "JPY",
                "rate_to_inr": Decimal("0.5712"),
                "rate_date": date(2025, 7, 30),
                "proposed_jobs": 450,
                "next_action": "Ground-breaking ceremony date",
                "priority": "high",
                "notes": "NdFeB and SmCo magnets for clean energy, electric mobility and defence.",
            },
            (
                StageChange(Stage.PROPOSAL, date(2025, 9, 1), "Investment proposal received"),
                StageChange(
                    Stage.SIGNING, date(2025, 12, 5), "MoU signed", signed_on=date(2025, 12, 5)
                ),
                StageChange(
                    Stage.INVESTMENT,
                    date(2026, 6, 20),
                    "Land allotted at Jhansi node",
                    investment_inr=Decimal("1142400000"),
                    milestones={Milestone.LAND_ALLOTTED: date(2026, 6, 20)},
                ),
            ),
        ),
        MouSeed(
            "medtech",
            "asahi",
            {
                "ref": "UP-JP-2025-004",
                "title": "Minimally invasive medical devices unit",
                "sector": "Medical devices",
                "district": "Gautam Buddha Nagar",
                "region": "Western",
                "doc_type": "MoU",
                "policy": "Pharma and Medical Device Park",
                "amount": Decimal("350"),
                "currency": "INR",
                "proposed_jobs": 600,
                "next_action": "Plot options in the Medical Device Park",
                "notes": "Met at Nakanoshima Qross, Osaka.",
            },
            (StageChange(Stage.PROPOSAL, date(2026, 3, 2), "Detailed project report awaited"),),
        ),
        MouSeed(
            "incubation",
            "linkj",
            {
                "ref": "UP-JP-2025-005",
                "title": "Medtech innovation and start-up incubation network",
                "sector": "Life sciences",
                "district": "Lucknow",
                "region": "Central",
                "doc_type": "MoC",
                "priority": "medium",
                "next_action": "Propose a joint incubation call",
                "notes": "ライフサイエンス分野の連携",
            },
        ),
        MouSeed(
            "skills",
            "morabu",
            {
                "ref": "UP-JP-2025-006",
                "title": "Skill development and recruitment of skilled manpower from UP",
                "sector": "Skills & manpower",
                "district": "Kanpur Nagar",
                "region": "Central",
                "doc_type": "LoI",
                "priority": "low",
                "proposed_jobs": 200,
                "next_action": "Training curriculum from Morabu Hanshin",
                "notes": "कौशल विकास और तकनीकी आदान-प्रदान",
            },
            status=(Status.ON_HOLD, "Awaiting visa framework for skilled workers"),
        ),
    ]


MeetingSeed = tuple[str, str, date, str, list[str], list[str], list[str], list[str], str]


def meeting_seeds(today: date) -> list[MeetingSeed]:
    """(key, title, date, place, partners, contacts, officers, MoUs, what was discussed)"""
    return [
        (
            "kpia",
            "Meeting with KPIA leadership",
            date(2025, 7, 28),
            "Osaka",
            ["kpia"],
            ["hayashi"],
            ["awasthi", "anand", "singh"],
            ["bio-cluster"],
            "Novel drug development, diagnostics, medical devices and clinical research. UP presented "
            "the Pharma and Medical Device Park, the Semiconductor Policy and the FDI & FCI Policy 2023.",
        ),
        (
            "nite",
            "Visit to NITE and NLAB",
            date(2025, 7, 29),
            "Osaka",
            ["nite"],
            [],
            ["anand", "apar"],
            ["nlab"],
            "GCC Policy presented; technology transfer, applied research, Centres of Excellence, EV "
            "battery manufacturing and testing infrastructure.",
        ),
        (
            "qross",
            "Meetings at Nakanoshima Qross",
            date(2025, 7, 29),
            "Nakanoshima Qross, Osaka",
            ["asahi", "linkj"],
            [],
            ["anand"],
            ["medtech", "incubation"],
            "Medtech innovation and start-up incubation.",
        ),
        (
            "morabu",
            "Meeting with Morabu Hanshin",
            date(2025, 7, 29),
            "Osaka",
            ["morabu"],
            [],
            ["anand"],
            ["skills"],
            "Skill development, recruitment of skilled manpower from UP, technology exchange.",
        ),
        (
            "nlab-call",
            "Video call with NLAB on the testing protocol",
            today - timedelta(days=10),
            "Video call",
            ["nite"],
            [],
            ["singh"],
            ["nlab"],
            "Agreed the scope of the site visit.",
        ),
        (
            "kpia-call",
            "Call with KPIA on the cluster's first members",
            today - timedelta(days=4),
            "Call",
            ["kpia"],
            ["hayashi"],
            ["anand"],
            ["bio-cluster"],
            "Three member companies shortlisted.",
        ),
        (
            "tanaka",
            "Meeting with Tanaka Electric",
            date(2025, 7, 30),
            "Tokyo",
            ["tanaka"],
            ["tanaka-takeo"],
            ["awasthi", "anand", "singh"],
            ["magnets"],
            "Rare earth materials, semiconductors, precision equipment; near-net-shape magnet fabrication.",
        ),
    ]
