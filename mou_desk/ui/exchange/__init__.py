"""The Excel round trip in the desktop client: the import wizard and the export dialog."""
