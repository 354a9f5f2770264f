"""MoU Desk: track partnerships from a handshake abroad to money on the ground."""

__version__ = "0.1.0"
