"""The MoUs screen: the filter bar over a table of every live MoU.

The first screenful is read at once so the table paints without waiting; the full list then
loads on a worker and replaces it. Sorting, filters and search work over the held rows.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mou_desk.domain.stages import Stage
from mou_desk.services.desk import Desk
from mou_desk.services.first_rows import first_rows
from mou_desk.services.listing import (
    MouFilter,
    MouRow,
    distinct_values,
    list_mous,
    matching_mou_ids,
)
from mou_desk.services.mou_grid import COLUMNS, RowFilter, sorted_both_ways, worth_searching
from mou_desk.services.mou_search import MouSearch
from mou_desk.ui import settings as keys
from mou_desk.ui.mous.filter_bar import FilterBar
from mou_desk.ui.mous.model import ID_ROLE, MouTableModel, Orders
from mou_desk.ui.mous.table import configure_mou_table
from mou_desk.ui.settings import Settings
from mou_desk.ui.tasks import TaskContext, TaskRunner

FIRST_PAGE = 200

#: rows, today, sectors, districts, officers and the search over them, loaded on a worker
Loaded = tuple[list[MouRow], date, list[str], list[str], list[str], MouSearch]


class MousView(QWidget):
    """Every MoU in a sortable, filterable table; opening one emits ``record_activated``."""

    record_activated = Signal(str, str)
    new_mou_requested = Signal()
    rows_loaded = Signal(int)
    mous_deleted = Signal(list)
    #: the filters and search as a services.listing.MouFilter (for the pipeline board)
    filter_applied = Signal(object)

    def __init__(self, desk: Desk, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mousView")
        self._desk = desk
        self._tasks = tasks
        self._loading = False
        self._search_text = ""
        self._officer_ids: dict[str, set[str]] = {}
        self._search: MouSearch | None = None  # answers searches once every MoU is loaded
        self.filter_bar = FilterBar()
        self.model = MouTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("mouTable")
        self.table.setModel(self.model)
        self._setup_table()
        self.count_label = QLabel()
        self.new_button = QPushButton(self.tr("New MoU"))
        self.new_button.setToolTip(self.tr("Create an MoU (Ctrl+N)"))
        self.open_button = QPushButton(self.tr("Open"))
        self.delete_button = QPushButton(self.tr("Move to Trash"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.filter_bar.filter_changed.connect(self._on_filter_bar_filter_changed)
        self.filter_bar.search_changed.connect(self._on_filter_bar_search_changed)
        self.table.activated.connect(self._on_table_activated)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_selection_changed)
        self.new_button.clicked.connect(self.new_mou_requested)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.delete_button.clicked.connect(self.delete_selected)
        self._delete_action = QAction(self.tr("Move to Trash"), self)
        self._delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self._delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self._delete_action)
        self.setTabOrder(self.filter_bar.search, self.table)
        self._load_first_page()
        self.refresh()

    def _setup_table(self) -> None:
        table = self.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_context_menu_requested)
        self._default_header_state = configure_mou_table(table)
        table.setSortingEnabled(True)

    # -- loading -------------------------------------------------------------------------------

    def _load_first_page(self) -> None:
        opened = self._desk.opened
        rows = first_rows(opened.url, FIRST_PAGE) if opened is not None else None
        if rows is None:
            rows = list_mous(self._desk.db, limit=FIRST_PAGE)
        self.model.set_rows(rows, today=self._desk.db.today())
        self._update_count()

    @Slot()
    def refresh(self) -> None:
        """Reload every live MoU on a worker; the table keeps showing the old rows meanwhile."""
        if self._loading:
            return
        self._loading = True
        db = self._desk.db

        officer_service = self._desk.officers

        def work(ctx: TaskContext) -> Loaded:
            rows = list_mous(db)
            ctx.raise_if_cancelled()
            ids: dict[str, set[str]] = {}
            for officer in officer_service.all():
                ids.setdefault(officer.label, set()).add(officer.id)
            self._officer_ids = ids
            search = MouSearch.load(db)
            officers = sorted({r.nodal_officer for r in rows if r.nodal_officer}, key=str.casefold)
            return (
                rows, db.today(), distinct_values(db, "sector"), distinct_values(db, "district"),
                officers, search,
            )  # fmt: skip

        self._tasks.run(
            work, self._on_rows_loaded, label=self.tr("Loading MoUs"), quiet=True,
            on_error=self._on_load_failed,
        )  # fmt: skip

    def _on_rows_loaded(self, result: Loaded) -> None:
        self._loading = False
        rows, today, sectors, districts, officers, search = result
        current = self.current_id()
        scroll = self.table.verticalScrollBar().value()
        self.filter_bar.set_choices(sectors, districts, officers)
        self._search = search
        self.model.set_rows(rows, today=today)
        self._apply_search(self._search_text)
        self._reselect(current, scroll)
        self._update_count()
        self.rows_loaded.emit(len(rows))
        self._work_out_orders(self.model.loaded_rows())

    def _work_out_orders(self, rows: list[MouRow]) -> None:
        """Every column's rows in both orders, on a worker: a header click then only swaps lists
        (about 18 MB at 100,000 MoUs: lists of references to the same rows)."""
        first = self.model.sort_state()[0]
        columns = [first] + [c for c in COLUMNS if c not in (first, "ref")]

        def work(ctx: TaskContext) -> Orders:
            orders: Orders = {"ref": (rows, rows[::-1])}  # loaded in reference order
            for column in columns:
                ctx.raise_if_cancelled()
                orders[column] = sorted_both_ways(rows, column)
            return orders

        self._tasks.run(
            work, lambda orders: self.model.set_orders(rows, orders), quiet=True,
            label=self.tr("Preparing sorting"),
        )  # fmt: skip

    def _on_load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self._tasks.report_error(exc)

    def set_thresholds(self, thresholds: dict[Stage, int]) -> None:
        self.model.set_thresholds(thresholds)
        self._update_count()

    # -- filters and search --------------------------------------------------------------------

    @Slot(object)
    def _on_filter_bar_filter_changed(self, flt: RowFilter) -> None:
        current = self.current_id()
        self.model.set_filter(flt)
        self._reselect(current, None)
        self._update_count()
        self.filter_applied.emit(self.mou_filter())

    @Slot(str)
    def _on_filter_bar_search_changed(self, text: str) -> None:
        current = self.current_id()
        self._apply_search(text)
        self._reselect(current, None)
        self._update_count()
        self.filter_applied.emit(self.mou_filter())

    def _apply_search(self, text: str) -> None:
        self._search_text = text
        if not text.strip():
            self.model.set_search_ids(None)
        elif worth_searching(text):
            self.model.set_search_ids(self._matching_ids(text))

    def _matching_ids(self, text: str) -> frozenset[str] | set[str]:
        if self._search is None:  # before the full load
            return matching_mou_ids(self._desk.db, text) or set()
        return self._search.matching_ids(text) or frozenset()

    def mou_filter(self) -> MouFilter:
        """The table's filters and search as the SQL filter other screens use."""
        flt = self.model.filter()
        officer_ids = frozenset(
            i for name in flt.officers for i in self._officer_ids.get(name, {name})
        )
        search = self._search_text if worth_searching(self._search_text) else ""
        return MouFilter(
            stages=flt.stages, statuses=flt.statuses, sectors=flt.sectors,
            districts=flt.districts, officer_ids=officer_ids, overdue=flt.overdue,
            stale=flt.stale, search=search,
        )  # fmt: skip

    def search(self, text: str) -> None:
        """Search now (as if typed and paused)."""
        self.filter_bar.search.setText(text)
        self.filter_bar.flush_search()

    def _update_count(self) -> None:
        shown, loaded = self.model.rowCount(), self.model.loaded_count()
        if self._loading and loaded >= FIRST_PAGE:
            text = self.tr("Loading all MoUs…")
        elif shown == loaded:
            text = self.tr("{0} MoUs").format(f"{loaded:,}")
        else:
            text = self.tr("{0} of {1} MoUs").format(f"{shown:,}", f"{loaded:,}")
        if self._search_text.strip() and not worth_searching(self._search_text):
            text += " · " + self.tr("type at least three letters to search")
        self.count_label.setText(text)

    # -- selection and actions -----------------------------------------------------------------

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return index.data(ID_ROLE)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [r.id for r in (self.model.row_at(n) for n in rows) if r is not None]

    def select_id(self, mou_id: str) -> bool:
        row = self.model.row_of(mou_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _reselect(self, mou_id: str | None, scroll: int | None) -> None:
        if mou_id is not None and self.model.row_of(mou_id) >= 0:
            self.select_id(mou_id)
        if scroll is not None:
            self.table.verticalScrollBar().setValue(scroll)

    @Slot()
    def _on_selection_changed(self) -> None:
        has = self.table.selectionModel().hasSelection()
        self.open_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        mou_id = index.data(ID_ROLE)
        if mou_id:
            self.record_activated.emit("mou", mou_id)

    @Slot()
    def _on_open_button_clicked(self) -> None:
        for mou_id in self.selected_ids()[:10]:
            self.record_activated.emit("mou", mou_id)

    @Slot()
    def delete_selected(self) -> None:
        """Move the selected MoUs to the Trash after asking."""
        ids = self.selected_ids()
        if not ids:
            return
        labels = [r.ref for r in (self.model.row_at(self.model.row_of(i)) for i in ids[:5]) if r]
        shown = ", ".join(labels) + ("…" if len(ids) > 5 else "")
        answer = QMessageBox.question(
            self,
            self.tr("Move to Trash"),
            self.tr(
                "Move {0} MoU(s) to the Trash?\n{1}\n\nThey can be restored from the Trash."
            ).format(len(ids), shown),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.delete_ids(ids)

    def delete_ids(self, ids: list[str]) -> None:
        service = self._desk.mous

        def work(ctx: TaskContext) -> list[str]:
            done = []
            for number, mou_id in enumerate(ids):
                ctx.raise_if_cancelled()
                service.delete(mou_id)
                done.append(mou_id)
                ctx.on_progress(number + 1, len(ids))
            return done

        self._tasks.run(work, self._on_deleted, label=self.tr("Moving MoUs to the Trash"))

    def _on_deleted(self, ids: list[str]) -> None:
        self.mous_deleted.emit(ids)
        self.refresh()

    @Slot(QPoint)
    def _on_table_context_menu_requested(self, pos: QPoint) -> None:
        if not self.selected_ids():
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), self._on_open_button_clicked)
        menu.addSeparator()
        menu.addAction(self._delete_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # -- columns -------------------------------------------------------------------------------

    @Slot(QPoint)
    def _on_header_context_menu_requested(self, pos: QPoint) -> None:
        self.column_menu().popup(self.table.horizontalHeader().mapToGlobal(pos))

    def column_menu(self) -> QMenu:
        """Show or hide columns; drag headers to reorder them."""
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for number, column in enumerate(COLUMNS):
            title = self.model.headerData(number, Qt.Orientation.Horizontal)
            action = menu.addAction(str(title))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(number))
            action.setEnabled(column not in ("ref", "title"))
            action.toggled.connect(lambda shown, n=number: self.table.setColumnHidden(n, not shown))
        menu.addSeparator()
        menu.addAction(self.tr("Reset columns"), self.reset_columns)
        return menu

    def reset_columns(self) -> None:
        if self._default_header_state is not None:
            self.table.horizontalHeader().restoreState(self._default_header_state)

    def save_state(self, settings: Settings) -> None:
        settings.set_layout("mous/header", self.table.horizontalHeader().saveState())
        column, descending = self.model.sort_state()
        settings.set(keys.MOUS_SORT, f"{column} {'desc' if descending else 'asc'}")

    def restore_state(self, settings: Settings) -> None:
        state = settings.layout("mous/header")
        if state is not None:
            header = self.table.horizontalHeader()
            header.restoreState(state)
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
