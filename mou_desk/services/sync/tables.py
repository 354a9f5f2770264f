"""Small helpers shared by the sync modules: typed tables, id lists in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Table

#: ids per IN (...) list: well under SQLite's and PostgreSQL's limits on parameters
CHUNK = 900
T = TypeVar("T")


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(items)
    while part := list(islice(iterator, size)):
        yield part


def table_of(model: type[Any]) -> Table:
    """A model's table, typed as one."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
