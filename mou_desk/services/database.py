"""The unit of work every service call runs in: one transaction, who is acting, from where."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from mou_desk.domain.errors import DatabaseProblem
from mou_desk.storage.engine import WRITE_OPTION


@dataclass(frozen=True)
class Database:
    """An engine plus who is working (recorded in history) and where changes come from."""

    engine: Engine
    clerk: str = ""
    #: desktop, cli, workbook:<file name>, sync:<peer>
    origin: str = "desktop"
    _reader: sessionmaker[Session] = field(init=False, repr=False, compare=False)
    _writer: sessionmaker[Session] = field(init=False, repr=False, compare=False)

    def as_(self, clerk: str | None = None, origin: str | None = None) -> Database:
        return replace(
            self,
            clerk=self.clerk if clerk is None else clerk,
            origin=self.origin if origin is None else origin,
        )

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
        """One write transaction: committed at the end of the block, rolled back on error."""
        with _friendly_errors(), self._writer.begin() as session:
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
