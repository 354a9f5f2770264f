"""Use cases of MoU Desk as plain Python: one transaction per call, no Qt, plain results."""
