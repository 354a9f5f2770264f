"""The pipeline board: MoUs by stage under the MoU table's filter, a bounded number per column.

A column never holds more cards than a person can scan; the rest are counted so the board can
say how many more there are. The cards come from the same query as the MoU table
(``list_mous``), so a filter means the same thing in both places.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from mou_desk.domain.stages import DEFAULT_STALE_DAYS, Stage, Status, days_in_stage, is_stale
from mou_desk.services.database import Database
from mou_desk.services.listing import MouFilter, MouRow, list_mous

#: cards shown per column before "and N more — narrow the filter"
DEFAULT_CARDS_PER_STAGE = 200


@dataclass(frozen=True)
class Card:
    row: MouRow
    days_in_stage: int
    stale: bool


@dataclass(frozen=True)
class StageColumn:
    stage: Stage
    count: int
    proposed_paise: int
    cards: list[Card]

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


def card_for(row: MouRow, today: date, thresholds: Mapping[Stage, int]) -> Card:
    stale = is_stale(Stage(row.stage), Status(row.status), row.last_activity_on, today, thresholds)
    return Card(row, days_in_stage(row.stage_since, today), stale)


def board(
    db: Database,
    flt: MouFilter | None = None,
    *,
    per_stage: int = DEFAULT_CARDS_PER_STAGE,
    thresholds: Mapping[Stage, int] = DEFAULT_STALE_DAYS,
) -> list[StageColumn]:
    """One column per stage; the cards longest in their stage first (they need attention)."""
    today = db.today()
    rows = list_mous(db, flt or MouFilter(), order_by="stage_since", thresholds=thresholds)
    counts = {s: 0 for s in Stage}
    paise = {s: 0 for s in Stage}
    cards: dict[Stage, list[Card]] = {s: [] for s in Stage}
    for row in rows:
        stage = Stage(row.stage)
        counts[stage] += 1
        paise[stage] += row.proposed_paise or 0
        if len(cards[stage]) < per_stage:
            cards[stage].append(card_for(row, today, thresholds))
    return [StageColumn(s, counts[s], paise[s], cards[s]) for s in Stage]
