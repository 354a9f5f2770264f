"""Workbook and PDF exchange: Qt-free readers and writers with progress and cancel callbacks."""
