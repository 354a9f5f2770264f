"""Hand-over without a connection: the two halves of a sync carried in files.

A two-way exchange, the online sync cut in the middle:

1. on the laptop, ``export_changes(replica, "trip.mousync")`` writes what changed since the last
   sync, with the base values each change was made on (the same outbox an online sync sends);
2. on the shared database, ``import_file(shared, "trip.mousync")`` applies it through the same
   plan/apply and writes the answer, ``trip.answer.mousync``: upstream's present state of every
   record the laptop sent and of everything in its scope that changed upstream since;
3. back on the laptop, ``import_file(replica, "trip.answer.mousync")`` takes the answer in
   exactly as an online sync takes its reply, and only then marks the records synced.

Until the answer is taken in, the laptop's changes count as not synced: exporting again sends
them again, and upstream, finding it holds them already, changes nothing. An answer taken in
twice, or after a newer sync, changes nothing either (records upstream has answered for more
recently are skipped). Conflicts are kept and decided on the laptop, as online.

The file: gzip-compressed JSON lines. The first line names the format and its version, the
kind ("changes" or "answer"), the database it comes from and the one it is for; the last line
counts the lines, so a truncated file is refused instead of half applied. It is written to
``FILE.partial`` and renamed into place when complete.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from mou_desk.domain.errors import UsageError
from mou_desk.services.desk import Desk
from mou_desk.services.sync.absorb import absorb
from mou_desk.services.sync.accept import accept
from mou_desk.services.sync.bundle import (
    Decision,
    InRecord,
    Outbox,
    OutRecord,
    Reply,
    row_from_json,
    row_to_json,
)
from mou_desk.services.sync.engine import SyncResult, display_name, replica_name, result_of
from mou_desk.services.sync.outbox import build_outbox
from mou_desk.services.sync.state import database_id, mark_peer, read_peer, safe_url
from mou_desk.services.sync.tables import table_of
from mou_desk.storage.base import utcnow
from mou_desk.storage.models import ChangeLogEntry, ClerkRole, StageEvent
from mou_desk.storage.models.access import Role

FORMAT = "mou-desk-sync"
VERSION = 1
SUFFIX = ".mousync"
CHANGES = "changes"
ANSWER = "answer"
KNOWN_CHUNK = 5_000


@dataclass(frozen=True)
class Exported:
    path: Path
    records: int


@dataclass(frozen=True)
class Imported:
    kind: str  # CHANGES: applied here, answer written; ANSWER: taken in (a sync's result)
    answer: Path | None = None
    pushed: dict[str, int] | None = None
    result: SyncResult | None = None
    problems: tuple[str, ...] = ()


def answer_path(path: Path) -> Path:
    stem = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem
    return path.with_name(f"{stem}.answer{SUFFIX}")


def export_changes(desk: Desk, path: Path) -> Exported:
    """Write the replica's changes since the last sync to a sync file."""
    with desk.db.read() as session:
        replica_id = database_id(session.connection())
    outbox = build_outbox(desk.db, replica_name(desk, replica_id))
    _write(path, _outbox_lines(outbox), CHANGES, outbox.source_id, outbox.target_id)
    with desk.db.with_role(Role.ADMIN).write() as session:  # the program's own bookkeeping
        mark_peer(session.connection(), last_exported_at=utcnow())
    return Exported(path, len(outbox.records))


def import_file(
    desk: Desk,
    path: Path,
    answer: Path | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Imported:
    """Apply a sync file: a replica's changes (on upstream) or the answer (on the replica)."""
    header, items = _read(path)
    meta: dict[str, Any] = next((i["meta"] for i in items if "meta" in i), {})
    if header["kind"] == CHANGES:
        outbox = _outbox_of(header, items)
        target = answer or answer_path(path)
        _check_answer_place(path, target)
        reply = accept(desk.db, outbox, is_cancelled=is_cancelled)
        name = display_name(str(desk.opened.url if desk.opened else desk.db.engine.url))
        lines = _reply_lines(reply, safe_url(name))
        _write(target, lines, ANSWER, reply.source_id, reply.target_id)
        return Imported(CHANGES, target, reply.pushed, problems=tuple(reply.problems))
    with desk.db.read() as session:
        if read_peer(session.connection()) is None:
            raise UsageError(
                f"{path.name} is the answer to a replica's changes: apply it on that replica, "
                "not on this database (which is not a replica). Nothing was changed."
            )
    reply = _reply_of(header, items)
    name = str(meta.get("name") or "upstream")
    absorbed = absorb(desk.db, reply, origin=f"sync:{name}", is_cancelled=is_cancelled)
    result = result_of(name, reply, absorbed)
    return Imported(ANSWER, result=result, problems=result.problems)


# ---------------------------------------------------------------------------------- writing


def _check_answer_place(changes: Path, answer: Path) -> None:
    """Refuse before anything is applied when the answer could not be written afterwards."""
    answer = answer.expanduser()
    if answer.resolve() == changes.expanduser().resolve():
        raise UsageError(
            f"The answer cannot replace the file it answers ({changes}); choose another name "
            "for it. Nothing was applied."
        )
    probe = answer.with_name(answer.name + ".partial")
    try:
        probe.open("wb").close()
    except OSError as exc:
        raise UsageError(
            f"The answer cannot be written to {answer.parent} ({exc.strerror}); choose another "
            "place for it. Nothing was applied."
        ) from exc
    probe.unlink(missing_ok=True)


def _outbox_lines(outbox: Outbox) -> Iterator[dict[str, Any]]:
    yield {"meta": {"name": outbox.name, "clerk": outbox.clerk, "filter": outbox.filter_json}}
    for record in outbox.records:
        yield {"record": [record.record_type, record.record_id, record.values, record.base]}
    known = list(outbox.known.items())
    for start in range(0, len(known), KNOWN_CHUNK):
        yield {"known": dict(known[start : start + KNOWN_CHUNK])}
    for d in outbox.decisions:
        yield {"decision": [d.record_id, d.field, d.choice, d.mine, d.theirs]}
    yield from _history_lines(outbox.stage_events, outbox.change_log, outbox.blobs)
    yield {"have_blobs": sorted(outbox.have_blobs)}


def _reply_lines(reply: Reply, name: str) -> Iterator[dict[str, Any]]:
    yield {"meta": {"name": name, "pushed": reply.pushed, "renumbered": reply.renumbered}}
    for record in reply.records:
        yield {"record": [record.record_type, record.record_id, record.version, record.values]}
    for record_id, values in reply.sent.items():
        yield {"sent": [record_id, values]}
    yield from _history_lines(reply.stage_events, reply.change_log, reply.blobs)
    roles = table_of(ClerkRole)
    for row in reply.roles:
        yield {"role": row_to_json(roles, row)}
    for problem in reply.problems:
        yield {"problem": problem}


def _history_lines(
    events: list[dict[str, Any]], log: list[dict[str, Any]], blobs: dict[str, bytes]
) -> Iterator[dict[str, Any]]:
    for row in events:
        yield {"event": row_to_json(table_of(StageEvent), row)}
    for row in log:
        yield {"log": row_to_json(table_of(ChangeLogEntry), row)}
    for sha, data in blobs.items():
        yield {"blob": [sha, base64.b64encode(data).decode("ascii")]}


def _write(
    path: Path, lines: Iterator[dict[str, Any]], kind: str, source: str, target: str
) -> None:
    path = path.expanduser()
    partial = path.with_name(path.name + ".partial")
    header = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "source": source,
        "target": target,
        "made_at": utcnow().isoformat(),
    }
    count = 0
    try:
        with gzip.open(partial, "wt", encoding="utf-8") as out:
            _line(out, header)
            for item in lines:
                _line(out, item)
                count += 1
            _line(out, {"end": count})
        partial.replace(path)
    except OSError as exc:
        with suppress(OSError):  # in a folder that cannot be written there is nothing to remove
            partial.unlink(missing_ok=True)
        raise UsageError(
            f"The sync file {path} could not be written ({exc.strerror}); choose another place "
            "for it."
        ) from exc


def _line(out: TextIO, item: dict[str, Any]) -> None:
    out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")


# ---------------------------------------------------------------------------------- reading


def read_kind(path: Path) -> str | None:
    """CHANGES or ANSWER from a sync file's first line; None when it is not one (applying the
    file checks it whole and says what is wrong)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as source:
            header = json.loads(source.readline())
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return None
    kind = header.get("kind")
    return kind if kind in (CHANGES, ANSWER) else None


def _read(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as source:
            lines = [json.loads(line) for line in source if line.strip()]
    except FileNotFoundError as exc:
        raise UsageError(f"{path} does not exist.") from exc
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path} is not a MoU Desk sync file, or it is damaged ({exc}).") from exc
    if not lines or not isinstance(lines[0], dict) or lines[0].get("format") != FORMAT:
        raise UsageError(f"{path} is not a MoU Desk sync file.")
    header = lines[0]
    if int(header.get("version", 0)) > VERSION:
        raise UsageError(
            f"{path} was written by a newer MoU Desk (sync file version {header['version']}); "
            "install it to read this file."
        )
    end = lines[-1].get("end") if isinstance(lines[-1], dict) else None
    if end != len(lines) - 2:
        raise UsageError(f"{path} is incomplete (cut off while it was written or copied).")
    if header.get("kind") not in (CHANGES, ANSWER):
        raise UsageError(f"{path} is a sync file of an unknown kind ({header.get('kind')}).")
    return header, lines[1:-1]


def _outbox_of(header: dict[str, Any], items: list[dict[str, Any]]) -> Outbox:
    meta: dict[str, Any] = next((i["meta"] for i in items if "meta" in i), {})
    outbox = Outbox(
        source_id=header["source"],
        target_id=header["target"],
        name=str(meta.get("name") or "replica"),
        clerk=str(meta.get("clerk") or ""),
        made_at=datetime.fromisoformat(header["made_at"]),
        filter_json=str(meta.get("filter") or "{}"),
    )
    for item in items:
        if "record" in item:
            outbox.records.append(OutRecord(*item["record"]))
        elif "known" in item:
            outbox.known.update(item["known"])
        elif "decision" in item:
            outbox.decisions.append(Decision(*item["decision"]))
        elif "have_blobs" in item:
            outbox.have_blobs = set(item["have_blobs"])
        else:
            _history_item(item, outbox.stage_events, outbox.change_log, outbox.blobs)
    return outbox


def _reply_of(header: dict[str, Any], items: list[dict[str, Any]]) -> Reply:
    meta: dict[str, Any] = next((i["meta"] for i in items if "meta" in i), {})
    reply = Reply(
        source_id=header["source"],
        target_id=header["target"],
        made_at=datetime.fromisoformat(header["made_at"]),
        pushed=dict(meta.get("pushed") or {}),
        renumbered=[(old, new) for old, new in meta.get("renumbered") or []],
    )
    for item in items:
        if "record" in item:
            reply.records.append(InRecord(*item["record"]))
        elif "sent" in item:
            reply.sent[item["sent"][0]] = item["sent"][1]
        elif "role" in item:
            reply.roles.append(row_from_json(table_of(ClerkRole), item["role"]))
        elif "problem" in item:
            reply.problems.append(str(item["problem"]))
        else:
            _history_item(item, reply.stage_events, reply.change_log, reply.blobs)
    return reply


def _history_item(
    item: dict[str, Any],
    events: list[dict[str, Any]],
    log: list[dict[str, Any]],
    blobs: dict[str, bytes],
) -> None:
    if "event" in item:
        events.append(row_from_json(table_of(StageEvent), item["event"]))
    elif "log" in item:
        log.append(row_from_json(table_of(ChangeLogEntry), item["log"]))
    elif "blob" in item:
        sha, data = item["blob"]
        blobs[sha] = base64.b64decode(data)
