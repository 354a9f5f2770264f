"""The mou-desk command: the desktop client with no command, scriptable commands otherwise."""
