"""The unit of work every service call runs in: one transaction, who is acting, from where.

Roles are enforced here, at the one place every save passes through: ``write()`` checks, in
its own transaction, that the clerk may make changes (``mou_desk.services.access``) and raises
``PermissionDenied`` for a viewer. ``role`` tells the UI what the clerk may do (to grey out
buttons); it is read afresh each time, so a role granted or revoked counts at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from mou_desk.domain.errors import DatabaseProblem
from mou_desk.services.access import check_can_write, role_of
from mou_desk.storage.engine import WRITE_OPTION
from mou_desk.storage.models.access import Role


@dataclass(frozen=True)
class Database:
    """An engine plus who is working (recorded in history) and where changes come from."""

    engine: Engine
    clerk: str = ""
    #: desktop, cli, workbook:<file name>, sync:<peer>
    origin: str = "desktop"
    #: the role to act with instead of the one registered for ``clerk``: for work the program
    #: does on its own behalf, e.g. pulling the shared database's changes into a viewer's
    #: replica (``db.with_role(Role.ADMIN)``). None (the default): the clerks table decides.
    acting_role: Role | None = None
    _reader: sessionmaker[Session] = field(init=False, repr=False, compare=False)
    _writer: sessionmaker[Session] = field(init=False, repr=False, compare=False)

    def as_(self, clerk: str | None = None, origin: str | None = None) -> Database:
        return replace(
            self,
            clerk=self.clerk if clerk is None else clerk,
            origin=self.origin if origin is None else origin,
        )

    def with_role(self, role: Role | None) -> Database:
        """The same database acting with ``role`` whatever the clerks table says (None: undo)."""
        return replace(self, acting_role=role)

    @property
    def role(self) -> Role:
        """What the clerk may do now: viewer, clerk or admin (see mou_desk.services.access)."""
        return role_of(self)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def __post_init__(self) -> None:
        writer = self.engine.execution_options(**{WRITE_OPTION: True})
        object.__setattr__(self, "_reader", sessionmaker(self.engine, expire_on_commit=False))
        object.__setattr__(self, "_writer", sessionmaker(writer, expire_on_commit=False))

    @contextmanager
    def read(self) -> Iterator[Session]:
        with _friendly_errors(), self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed at the end of the block, rolled back on error.

        Refuses with ``PermissionDenied`` before anything is written when the clerk is a viewer.
        """
        with _friendly_errors(), self._writer.begin() as session:
            check_can_write(session, self.clerk, self.acting_role)
            yield session

    def today(self) -> date:
        return date.today()


@contextmanager
def _friendly_errors() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        message = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        if "locked" in message or "busy" in message:
            raise DatabaseProblem(
                "The database stayed busy with another clerk's save for too long. "
                "Try again in a moment.",
                exit_code=1,
            ) from exc
        if "readonly" in message or "read-only" in message:
            raise DatabaseProblem(
                "The database file cannot be written (read-only). Ask IT for write access.",
                exit_code=1,
            ) from exc
        raise DatabaseProblem(f"The database could not be used: {message}.", exit_code=1) from exc
