"""Turn the dashboard's buckets into chart bars with their figures written out."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from mou_desk.domain.money import format_crore, format_grouped_indian
from mou_desk.domain.stages import Stage
from mou_desk.services.dashboard import Bucket
from mou_desk.ui.charts import STAGE_COLORS, Bar

NONE_KEY = "(none)"  # what services.dashboard calls a blank sector or district


def _mous(count: int) -> str:
    if count == 1:
        return QCoreApplication.translate("DashboardFigures", "1 MoU")
    return QCoreApplication.translate("DashboardFigures", "{n} MoUs").format(
        n=format_grouped_indian(count)
    )


def stage_bars(buckets: list[Bucket]) -> list[Bar]:
    """The funnel: band width by the number of MoUs, ₹ crore written beside it."""
    bars = []
    for index, bucket in enumerate(buckets):
        stage = Stage(bucket.key)
        bars.append(
            Bar(
                key=stage.value,
                label=stage.label,
                value=bucket.count,
                text=f"{_mous(bucket.count)}\n{format_crore(bucket.proposed_inr)}",
                tooltip=QCoreApplication.translate(
                    "DashboardFigures", "Show the MoUs at {stage}"
                ).format(stage=stage.label),
                color=STAGE_COLORS[index % len(STAGE_COLORS)],
            )
        )
    return bars


def bucket_bars(buckets: list[Bucket], top: int) -> tuple[list[Bar], list[Bucket]]:
    """The ``top`` buckets by ₹ (then by count) as bars, and the buckets left over."""
    ranked = sorted(buckets, key=lambda b: (-b.proposed_inr, -b.count, b.key))
    by_money = any(b.proposed_inr for b in ranked)
    shown, rest = ranked[:top], ranked[top:]
    bars = []
    for bucket in shown:
        key = "" if bucket.key == NONE_KEY else bucket.key
        label = key or QCoreApplication.translate("DashboardFigures", "(not set)")
        figure = format_crore(bucket.proposed_inr)
        bars.append(
            Bar(
                key=key or NONE_KEY,
                label=label,
                value=bucket.proposed_inr if by_money else bucket.count,
                text=f"{figure} · {_mous(bucket.count)}",
                tooltip=QCoreApplication.translate(
                    "DashboardFigures", "Show the MoUs of {name}"
                ).format(name=label),
            )
        )
    return bars, rest
