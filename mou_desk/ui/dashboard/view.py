"""The dashboard: the portfolio at a glance, and what needs doing, each item a link."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.dates import format_date
from mou_desk.domain.money import format_crore, format_grouped_indian
from mou_desk.domain.stages import DEFAULT_STALE_DAYS, Stage
from mou_desk.services.dashboard import Bucket, Dashboard, dashboard
from mou_desk.services.desk import Desk
from mou_desk.services.listing import MouFilter, MouRow
from mou_desk.ui.charts import BarChart, FunnelChart
from mou_desk.ui.dashboard.figures import NONE_KEY, bucket_bars, stage_bars
from mou_desk.ui.records.related import RelatedList
from mou_desk.ui.records.table_model import Column

OVERDUE = QColor("#b00020")
TOP_SECTORS = 10
TOP_DISTRICTS = 12


def _partner(row: MouRow) -> str:
    return f"{row.lead_partner} · {row.stage.capitalize()}"


def _blank(key: str) -> str:
    return "" if key == NONE_KEY else key


class Tile(QFrame):
    """A headline figure with its caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.figure = QLabel("—", self)
        font = self.figure.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.figure.setFont(font)
        self.caption = QLabel(caption, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.figure)
        layout.addWidget(self.caption)

    def set_figure(self, text: str) -> None:
        self.figure.setText(text)


def _group(title: str, content: QWidget, note: QLabel | None = None) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.addWidget(content)
    if note is not None:
        layout.addWidget(note)
    if isinstance(content, BarChart):
        layout.addStretch(1)
    return box


class DashboardView(QWidget):
    """Figures by stage, sector and district; overdue and coming follow-ups; stale MoUs.

    Clicking a follow-up or an MoU emits ``record_activated``; clicking a bar emits
    ``filter_requested`` with the MouFilter that lists the MoUs behind it.
    """

    record_activated = Signal(str, str)
    filter_requested = Signal(object)  # MouFilter

    def __init__(self, desk: Desk, tasks: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.tasks = tasks
        self.thresholds: Mapping[Stage, int] = DEFAULT_STALE_DAYS
        self.data: Dashboard | None = None
        self._generation = 0

        self.status = QLabel(self)
        self.tiles = {
            "mous": Tile(self.tr("MoUs")),
            "proposed": Tile(self.tr("Proposed investment")),
            "realised": Tile(self.tr("Realised investment")),
            "jobs": Tile(self.tr("Jobs proposed")),
            "real_jobs": Tile(self.tr("Jobs realised")),
        }
        self.funnel = FunnelChart()
        self.sectors = BarChart()
        self.districts = BarChart()
        self.sector_note = QLabel()
        self.district_note = QLabel()
        self.overdue = RelatedList(self._followup_columns(OVERDUE), "followup")
        self.upcoming = RelatedList(self._followup_columns(None), "followup")
        self.stale = RelatedList(
            [
                Column(self.tr("Ref"), lambda r: r.ref),
                Column(self.tr("Title"), lambda r: r.title, tooltip=lambda r: r.title),
                Column(self.tr("Lead partner"), lambda r: r.lead_partner, tooltip=_partner),
                Column(self.tr("Last activity"), lambda r: r.last_activity_on),
            ],
            "mou",
        )
        for related in (self.overdue, self.upcoming, self.stale):
            related.open_on_single_click()
            related.stretch_column(1)
            related.setMinimumHeight(170)
            related.record_activated.connect(self.record_activated)
        self.funnel.bar_clicked.connect(self._on_funnel_bar_clicked)
        self.sectors.bar_clicked.connect(self._on_sectors_bar_clicked)
        self.districts.bar_clicked.connect(self._on_districts_bar_clicked)

        self.overdue_box = _group(self.tr("Overdue follow-ups"), self.overdue)
        self.upcoming_box = _group(self.tr("Follow-ups due in the next 14 days"), self.upcoming)
        self.stale_box = _group(self.tr("Stale MoUs (no activity for too long)"), self.stale)
        tiles = QHBoxLayout()
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        grid = QGridLayout()
        grid.addWidget(_group(self.tr("Pipeline: MoUs and ₹ crore by stage"), self.funnel), 0, 0)
        grid.addWidget(self.overdue_box, 0, 1)
        grid.addWidget(
            _group(self.tr("Proposed investment by sector"), self.sectors, self.sector_note), 1, 0
        )
        grid.addWidget(self.upcoming_box, 1, 1)
        grid.addWidget(
            _group(self.tr("Proposed investment by district"), self.districts, self.district_note),
            2,
            0,
        )
        grid.addWidget(self.stale_box, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.addWidget(self.status)
        page_layout.addLayout(tiles)
        page_layout.addLayout(grid)
        page_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.refresh()

    def _followup_columns(self, color: QColor | None) -> list[Column]:
        paint = (lambda _r: color) if color is not None else None
        return [
            Column(self.tr("Due"), lambda r: r.due_on, paint),
            Column(self.tr("What to do"), lambda r: r.title, paint, lambda r: r.title),
            Column(self.tr("MoU"), lambda r: r.mou_ref, paint),
            Column(self.tr("Owner"), lambda r: r.owner, paint),
        ]

    def set_thresholds(self, thresholds: Mapping[Stage, int]) -> None:
        """Stale thresholds (days without activity per stage) from the settings."""
        self.thresholds = dict(thresholds)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Compute the figures again (off the GUI thread when a task runner is given)."""
        self._generation += 1
        generation = self._generation
        db, thresholds = self.desk.db, self.thresholds

        def work(_ctx: object = None) -> Dashboard:
            return dashboard(db, thresholds=thresholds)

        def done(result: Dashboard) -> None:
            if generation == self._generation:  # a later refresh supersedes this one
                self.show_dashboard(result)

        if self.tasks is None:
            done(work())
            return
        self.status.setText(self.tr("Updating…"))
        self.tasks.run(work, done, label=self.tr("Updating the dashboard"), quiet=True)

    def show_dashboard(self, data: Dashboard) -> None:
        self.data = data
        self.status.setText(self.tr("As on {date}").format(date=format_date(self.desk.db.today())))
        self.tiles["mous"].set_figure(format_grouped_indian(data.total.count))
        self.tiles["proposed"].set_figure(format_crore(data.total.proposed_inr))
        self.tiles["realised"].set_figure(format_crore(data.realised_inr))
        self.tiles["jobs"].set_figure(format_grouped_indian(data.proposed_jobs))
        self.tiles["real_jobs"].set_figure(format_grouped_indian(data.realised_jobs))
        self.funnel.set_bars(stage_bars(data.by_stage))
        self._fill(self.sectors, self.sector_note, data.by_sector, TOP_SECTORS, self.tr("sectors"))
        self._fill(
            self.districts,
            self.district_note,
            data.by_district,
            TOP_DISTRICTS,
            self.tr("districts"),
        )
        self.overdue.set_rows(data.overdue)
        self.upcoming.set_rows(data.upcoming)
        self.stale.set_rows(data.stale)
        self.overdue_box.setTitle(self.tr("Overdue follow-ups ({n})").format(n=len(data.overdue)))
        self.upcoming_box.setTitle(
            self.tr("Follow-ups due in the next 14 days ({n})").format(n=len(data.upcoming))
        )
        self.stale_box.setTitle(
            self.tr("Stale MoUs: no activity for too long ({n})").format(
                n=format_grouped_indian(data.stale_count)
            )
        )

    def _fill(
        self, chart: BarChart, note: QLabel, buckets: list[Bucket], top: int, noun: str
    ) -> None:
        bars, rest = bucket_bars(buckets, top)
        chart.set_bars(bars)
        if rest:
            count = sum(b.count for b in rest)
            amount = sum((b.proposed_inr for b in rest), Decimal(0))
            note.setText(
                self.tr("and {n} more {noun}: {count} MoUs, {amount}").format(
                    n=len(rest),
                    noun=noun,
                    count=format_grouped_indian(count),
                    amount=format_crore(amount),
                )
            )
            note.show()
        else:
            note.hide()

    @Slot(str)
    def _on_funnel_bar_clicked(self, key: str) -> None:
        self.filter_requested.emit(MouFilter(stages=frozenset({key})))

    @Slot(str)
    def _on_sectors_bar_clicked(self, key: str) -> None:
        self.filter_requested.emit(MouFilter(sectors=frozenset({_blank(key)})))

    @Slot(str)
    def _on_districts_bar_clicked(self, key: str) -> None:
        self.filter_requested.emit(MouFilter(districts=frozenset({_blank(key)})))
