"""Errors a clerk can act on. Each message says what is wrong and what to do.

The desktop's first frame imports this module (through the dates and stages it shows), so it
declares no dataclass: each costs about 0.7 ms to create (see tests/ui/test_start_imports.py).
"""

from __future__ import annotations

from typing import Any, NamedTuple


class DeskError(Exception):
    """Base of every error MoU Desk shows to a person instead of a traceback."""

    exit_code = 1


class ValidationError(DeskError):
    """A value or a combination of values breaks a rule; ``problems`` maps field -> message."""

    def __init__(self, problems: dict[str, str] | str) -> None:
        if isinstance(problems, str):
            problems = {"": problems}
        self.problems = problems
        text = "; ".join(f"{k}: {v}" if k else v for k, v in problems.items())
        super().__init__(text)


class UsageError(DeskError):
    """The command was given something it cannot use (exit code 2)."""

    exit_code = 2


class NotFoundError(DeskError):
    def __init__(self, what: str, key: str) -> None:
        super().__init__(f"No {what} with id or reference {key!r} was found.")
        self.what = what
        self.key = key


class FieldConflict(NamedTuple):
    """One field edited on both sides: what I typed, what is saved now, what it was before."""

    field: str
    mine: Any
    theirs: Any
    original: Any


class ConflictError(DeskError):
    """A save was based on an old version and touches fields someone else changed since."""

    def __init__(
        self,
        record_type: str,
        record_id: str,
        label: str,
        conflicts: list[FieldConflict],
        current_version: int,
    ) -> None:
        self.record_type = record_type
        self.record_id = record_id
        self.label = label
        self.conflicts = conflicts
        self.current_version = current_version
        names = ", ".join(c.field for c in conflicts) or "the record"
        super().__init__(
            f"{record_type} {label} was changed by someone else while you edited it "
            f"({names}). Reload it, or choose for each field which value to keep."
        )


class DatabaseProblem(DeskError):
    """The database cannot be opened as it is; the message says why and what to do."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class PassphraseProblem(DatabaseProblem):
    """The file is encrypted (or is no database) and no passphrase, or a wrong one, was given:
    the desktop asks for the passphrase again instead of giving up."""


class PermissionDenied(DeskError):
    """The clerk's role does not allow this action."""
