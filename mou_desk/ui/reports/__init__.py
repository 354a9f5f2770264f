"""The report dialog: choose a PDF status report, write it on a worker, open it."""
