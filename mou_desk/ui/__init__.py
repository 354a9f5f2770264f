"""The PySide6 desktop client: a thin layer over the services (see app.py, the composition root).

Screens are QWidget subclasses built as ``View(desk, tasks, parent=None)`` with a ``refresh()``
slot and a ``record_activated(record_type, record_id)`` signal. Long work goes through
``mou_desk.ui.tasks.TaskRunner``; settings are declared in ``mou_desk.ui.settings``.
"""

from mou_desk.ui import pyside_import_check

# First, before the UI's other modules are imported: each import after PySide6 is checked.
pyside_import_check.install()
