"""The desktop face of offline replicas: the status bar's replica line, the Sync menu, and
the conflicts dialog (the services are in mou_desk.services.sync)."""

from __future__ import annotations

from mou_desk.ui.sync.controller import SyncUi, install_sync

__all__ = ["SyncUi", "install_sync"]
