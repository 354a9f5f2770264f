"""One window per database: a second launch brings the first window forward instead.

The first process takes a lock file and listens on a local socket (a named pipe on Windows),
both named from the database's URL and the user. A later process that cannot take the lock
connects, sends its arguments and exits. The lock file settles races between two launches
made at the same moment; a lock left by a crashed process is stale and taken over.
"""

from __future__ import annotations

import os
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QLockFile, QObject, Signal, Slot

if TYPE_CHECKING:  # QtNetwork loads after the first frame (listen) or only to forward
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

_CONNECT_MS = 2000
_LOCK_WAIT_MS = 200


def _database_url(path_or_url: str | Path) -> str:
    # As storage.engine.database_url, without loading SQLAlchemy before the window shows.
    text = str(path_or_url)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve()).replace("\\", "/")


def _user() -> str:
    """Who runs this process: the user id where there is one (no name lookup, which can load
    the system's name-service modules: milliseconds at every start), else the login name."""
    if hasattr(os, "getuid"):
        return str(os.getuid())
    import getpass  # Windows: the USERNAME variable

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def instance_key(path_or_url: str | Path) -> str:
    """The socket and lock name for a database: the same file gives the same key."""
    data = f"{_user()}\n{_database_url(path_or_url)}".encode()
    # Two CRCs make a 64-bit name: plenty to tell one clerk's databases apart (and zlib loads
    # in no time, unlike hashlib's OpenSSL, before the first frame).
    digest = f"{zlib.crc32(data):08x}{zlib.crc32(data[::-1]):08x}"
    return f"mou-desk-{digest}"


class SingleInstance(QObject):
    """Owns the lock and the server in the first process; forwards from later ones."""

    #: another launch asked this one to show itself; carries its arguments
    activation_requested = Signal(list)

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._lock = QLockFile(str(Path(QDir.tempPath()) / f"{key}.lock"))
        self._lock.setStaleLockTime(0)  # only a dead owner makes it stale, never age
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytearray] = {}

    def acquire(self, *, listen: bool = True) -> bool:
        """True if this process is the first; it then listens for later launches (at once,
        or when ``listen()`` is called, e.g. after the first frame).
        """
        if not self._lock.tryLock(_LOCK_WAIT_MS):
            return False
        return self.listen() if listen else True

    def listen(self) -> bool:
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None:
            return True
        QLocalServer.removeServer(self.key)  # a socket file left by a crash (Unix)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.key):
            self._lock.unlock()
            return False
        server.newConnection.connect(self._on_server_new_connection)
        self._server = server
        return True

    def forward(self, arguments: list[str]) -> bool:
        """Ask the first process to come forward; False if it did not answer."""
        from PySide6.QtCore import QThread
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        # The first process listens from its first frame on: a launch in between waits for it.
        deadline = time.monotonic() + _CONNECT_MS * 2 / 1000
        while True:
            socket.connectToServer(self.key)
            if socket.waitForConnected(_CONNECT_MS // 8):
                break
            socket.abort()
            if time.monotonic() > deadline:
                return False
            QThread.msleep(100)
        import json  # only when there is a message: not on every start

        socket.write(json.dumps(arguments).encode("utf-8") + b"\n")
        if socket.bytesToWrite():
            socket.waitForBytesWritten(_CONNECT_MS)
        ok = socket.bytesToWrite() == 0
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(_CONNECT_MS)
        return ok

    def release(self) -> None:
        for connection in list(self._buffers):
            connection.abort()
        self._buffers.clear()
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    @Slot()
    def _on_server_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            self._buffers[connection] = bytearray()
            connection.readyRead.connect(self._on_connection_ready_read)
            connection.disconnected.connect(self._on_connection_disconnected)
            if connection.bytesAvailable():
                self._read(connection)

    def _read(self, connection: QLocalSocket) -> None:
        buffer = self._buffers.get(connection)
        if buffer is None:
            return
        buffer.extend(bytes(connection.readAll().data()))
        while b"\n" in buffer:
            line, _, rest = bytes(buffer).partition(b"\n")
            buffer[:] = rest
            self._deliver(line)

    @Slot()
    def _on_connection_ready_read(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        connection = self.sender()
        if isinstance(connection, QLocalSocket):
            self._read(connection)

    @Slot()
    def _on_connection_disconnected(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        connection = self.sender()
        if isinstance(connection, QLocalSocket):
            self._read(connection)
            self._buffers.pop(connection, None)
            connection.deleteLater()

    def _deliver(self, payload: bytes) -> None:
        import json

        try:
            arguments = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            arguments = []
        if not isinstance(arguments, list):
            arguments = []
        self.activation_requested.emit([str(a) for a in arguments])
