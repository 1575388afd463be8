"""The gunicorn worker class of `scripts/web.sh`: uvicorn serving skincare.asgi (HTTP and WebSockets).

uvicorn-worker's class with the protocol choices the app needs: the sans-I/O `websockets` implementation for Channels,
no ASGI lifespan (Django's ASGI handler does not speak it; "auto" would log a warning at every start), and HTTP/1.1
keep-alive connections drained rather than cut when a worker goes away (DrainingHttpToolsProtocol), connections
spread over the worker processes by how many each holds (BalancedAcceptor, and ConnectionBoard.should_shed when they
drift apart), and each process warmed before its first connection (skincare.core.warmup). gunicorn passes its
--forwarded-allow-ips to uvicorn's proxy-headers handling, so only TRUSTED_PROXIES set the client's address.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import multiprocessing
import os
import socket
import sys
import time
from typing import Any

from gunicorn.arbiter import Arbiter
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import STARTUP_FAILURE, Server
from uvicorn_worker import UvicornWorker as _UvicornWorker

logger = logging.getLogger("uvicorn.error")


class DrainingHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, except that a worker going away (replaced after its --max-requests, or stopped)
    does not close an idle keep-alive connection under a client that may be sending its next request on it: that
    request was lost with a reset (the load bench counted them as read errors). The connection's next request is
    answered with `Connection: close` instead, and one that stays idle closes at the keep-alive timeout, as before.

    The same answer moves a connection off a process that holds more than its share for a while
    (ConnectionBoard.should_shed): its client connects again, and a less loaded process accepts it."""

    draining = False

    def shutdown(self) -> None:
        if self.cycle is None or self.cycle.response_complete:
            self.draining = True
            if self.timeout_keep_alive_task is None:  # a connection that has sent nothing yet: the same bound
                self.timeout_keep_alive_task = self.loop.call_later(
                    self.timeout_keep_alive, self.timeout_keep_alive_handler
                )
        else:
            self.cycle.keep_alive = False

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        if self.cycle is None:
            return
        self.cycle.transport = HeadWithBody(self.transport, self.cycle)  # type: ignore[assignment]
        if self.draining or BOARD.should_shed(len(self.server_state.connections)):
            self.cycle.keep_alive = False

    def on_response_complete(self) -> None:
        if self.cycle is not None and isinstance(self.cycle.transport, HeadWithBody):
            self.cycle.transport.flush()  # a HEAD request's answer: a head and no body
        super().on_response_complete()

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        BOARD.publish(len(self.server_state.connections))

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        BOARD.publish(len(self.server_state.connections))


class HeadWithBody:
    """A response cycle's view of its connection: the response head (uvicorn's first write once the response has
    started) is held until the body's first write, and both go out in one call on the transport (`writelines`).

    uvicorn writes the head and the body in two calls, each a send on the socket with the GIL held (uvloop writes
    at once where it can): 11% of the GIL-holding samples of a cached analysis/history answer, and two segments on
    the wire for one answer. An interim answer (100 Continue) is written before the response starts, at once."""

    __slots__ = ("_transport", "_cycle", "_held", "_head_seen")

    def __init__(self, transport, cycle) -> None:
        self._transport, self._cycle = transport, cycle
        self._held: bytes | None = None
        self._head_seen = False

    def write(self, data: bytes) -> None:
        if self._held is not None:
            self._transport.writelines((self._take(), data))
        elif not self._head_seen and self._cycle.response_started:
            self._head_seen = True
            self._held = data
        else:
            self._transport.write(data)

    def _take(self) -> bytes | None:
        held, self._held = self._held, None
        return held

    def flush(self) -> None:
        if self._held is not None:
            self._transport.write(self._take())

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str):  # is_closing, get_extra_info, ...: the connection's own
        return getattr(self._transport, name)


class ConnectionBoard:
    """How many connections each web process holds, in memory the processes share: made when this module is imported
    in gunicorn's master, inherited by every worker forked from it. A worker takes a slot (its pid and its count) when
    it starts serving, keeps its count current, and gives the slot up when it stops; a slot whose process died is
    taken again."""

    SLOTS = 64
    SHED_AFTER = 0.5  # seconds a process holds more than its share before it moves a connection off
    SHED_GAP = 0.05  # seconds between two connections moved off by one process

    def __init__(self) -> None:
        self._cells = multiprocessing.RawArray("q", 2 * self.SLOTS)  # pid, connections; pid 0: free
        self._lock = multiprocessing.Lock()
        self._slot: int | None = None
        self._uneven_since: float | None = None
        self._shed_at = 0.0

    @staticmethod
    def _alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)  # PermissionError: alive, as another user
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True

    def join(self) -> None:
        pid = os.getpid()
        with self._lock:
            for slot in range(self.SLOTS):
                owner = self._cells[2 * slot]
                if owner in (0, pid) or not self._alive(owner):
                    self._cells[2 * slot], self._cells[2 * slot + 1] = pid, 0
                    self._slot = slot
                    return
        self._slot = None  # more processes than slots: this one accepts as uvicorn would

    def leave(self) -> None:
        if self._slot is not None:
            self._cells[2 * self._slot] = 0
            self._slot = None

    def publish(self, connections: int) -> None:
        if self._slot is not None:
            self._cells[2 * self._slot + 1] = connections

    def fewest_elsewhere(self) -> int | None:
        """The fewest connections another live process holds; None where this process has no slot or is alone."""
        if self._slot is None:
            return None
        fewest = None
        for slot in range(self.SLOTS):
            pid = self._cells[2 * slot]
            if pid == 0 or slot == self._slot:
                continue
            count = self._cells[2 * slot + 1]
            if fewest is None or count < fewest[0]:
                fewest = (count, slot, pid)
        if fewest is not None and not self._alive(fewest[2]):
            self._cells[2 * fewest[1]] = 0  # killed without leaving: its slot is free, ask again
            return self.fewest_elsewhere()
        return None if fewest is None else fewest[0]

    def beyond_share(self, held: int, slack: int) -> bool:
        """Whether a process holding `held` connections holds more than the least loaded other live process, by at
        least `slack` plus a quarter of that one's count (so that 256 clients over four processes need not be 64
        each to the connection)."""
        fewest = self.fewest_elsewhere()
        return fewest is not None and held - fewest >= slack + fewest // 4

    def should_shed(self, held: int) -> bool:
        """Whether this process, holding `held` connections, should answer the request now arriving with
        `Connection: close` so that its client connects again, to a process holding fewer.

        Keep-alive clients stay where they first connected: a worker replaced after its --max-requests hands its
        clients to the others before its successor is up, and the successor got none of them (16 clients of the
        ingredient analysis at 12, 4, 0, 0 after two replacements, p50 twice what it was). A process ahead of
        the least loaded one by 2 or more (plus a quarter) for SHED_AFTER seconds moves one connection off at a
        time, at most one per SHED_GAP, until it is not: the spread comes back within one in about a second."""
        now = time.monotonic()
        if not self.beyond_share(held, slack=2):
            self._uneven_since = None
            return False
        if self._uneven_since is None:
            self._uneven_since = now
        if now - self._uneven_since < self.SHED_AFTER or now - self._shed_at < self.SHED_GAP:
            return False
        self._shed_at = now
        return True


BOARD = ConnectionBoard()


class BalancedAcceptor:
    """Accepts the connections of the listening socket every worker process shares while it holds no more than its
    share, and leaves them to the other processes while one of them holds fewer (by more than a quarter of theirs, at
    least 1; ConnectionBoard): the connections spread evenly over the processes.

    asyncio's and uvloop's own servers accept every pending connection at each wake-up: when 16 keep-alive clients
    connect at once, the first process awake takes most of them (9, 3, 2, 2 and 14, 2, 0, 0 over four processes in the
    load bench), and every request on them waits for that one process while the others idle: p99 at 16 connections
    was 707 ms against 81 ms when they were spread 5, 5, 3, 3. A process steps back DEFER_STEP seconds at a time, at
    most DEFER_TIMES times in a row, and then accepts anyway: a less loaded process that does not take the
    connection (busy, stopping, killed) delays it by a few milliseconds, never more. Where the counts are even (the
    usual case for short connections through a reverse proxy) every process accepts at once.

    Stands in for asyncio's Server in uvicorn's shutdown: `close()` stops accepting (and gives up the slot: a
    stopping process takes no more connections), the socket stays open for the other processes.
    """

    DEFER_STEP = 0.001
    DEFER_TIMES = 5
    BURST = 64  # connections accepted at most per wake-up (asyncio's server: its backlog)
    _RETRY = 1.0  # out of descriptors or memory: asyncio's own accept waits this long before trying again
    _REFRESH = 1.0  # the count is published at each change of an HTTP connection and at least this often

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        sock: socket.socket,
        protocol_factory,
        ssl,
        connections: set,
        board: ConnectionBoard = BOARD,
    ):
        self._loop, self._sock, self._factory, self._ssl = loop, sock, protocol_factory, ssl
        self._connections = connections  # this process's open connections (uvicorn's ServerState)
        self._board = board
        self._fd = sock.fileno()
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task] = set()
        self._closed = False
        self._deferred = 0
        self._deferred_at = 0.0
        sock.setblocking(False)
        board.join()
        self._refresh()
        self._listen()

    def held(self) -> int:
        return len(self._connections) + len(self._tasks)  # counting those still being set up

    def _refresh(self) -> None:
        if not self._closed:
            self._board.publish(self.held())
            self._loop.call_later(self._REFRESH, self._refresh)

    def _listen(self) -> None:
        self._timer = None
        if not self._closed:
            self._loop.add_reader(self._fd, self._accept)

    def _step_back(self, seconds: float) -> None:
        self._loop.remove_reader(self._fd)
        self._timer = self._loop.call_later(seconds, self._listen)

    def _ahead(self) -> bool:
        """Whether this process holds more connections than the least loaded other one, by more than a quarter of
        that one's (at least 1): within that, it accepts."""
        return self._board.beyond_share(self.held(), slack=1)

    def _should_leave_it(self) -> bool:
        now = self._loop.time()
        if now - self._deferred_at > 50 * self.DEFER_STEP:
            self._deferred = 0  # an earlier connection's wait, which another process ended
        if self._deferred >= self.DEFER_TIMES or not self._ahead():
            return False
        self._deferred += 1
        self._deferred_at = now
        return True

    def _accept(self) -> None:
        if self._should_leave_it():
            self._step_back(self.DEFER_STEP)
            return
        for _ in range(self.BURST):  # as many as keep it within its share: 256 clients connecting wait for no loop
            try:
                conn, _address = self._sock.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                self._deferred = 0
                return  # another process took it, or the client gave up
            except OSError as exc:
                if exc.errno not in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    raise
                logger.error("Cannot accept a connection (%s); trying again in %.0f s", exc, self._RETRY)
                self._step_back(self._RETRY)
                return
            self._deferred = 0
            conn.setblocking(False)
            task = self._loop.create_task(self._loop.connect_accepted_socket(self._factory, conn, ssl=self._ssl))
            self._tasks.add(task)
            task.add_done_callback(self._connected)
            self._board.publish(self.held())
            if self._ahead():
                return

    def _connected(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("A connection closed before it was set up: %s", task.exception())

    def close(self) -> None:
        self._closed = True
        self._board.leave()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._loop.remove_reader(self._fd)

    async def wait_closed(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


class BalancedServer(Server):
    """uvicorn's Server, serving gunicorn's sockets through BalancedAcceptor instead of loop.create_server."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        if sockets is None:
            await super().startup(sockets)
            return
        await self.lifespan.startup()
        if self.lifespan.should_exit:
            sys.exit(STARTUP_FAILURE)
        config = self.config

        def create_protocol(_loop: asyncio.AbstractEventLoop | None = None) -> asyncio.Protocol:
            return config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=self.server_state, app_state=self.lifespan.state, _loop=_loop
            )

        loop = asyncio.get_running_loop()
        self.servers = [  # type: ignore[assignment]
            BalancedAcceptor(loop, sock, create_protocol, config.ssl, self.server_state.connections) for sock in sockets
        ]
        self.started = True


class UvicornWorker(_UvicornWorker):
    CONFIG_KWARGS: dict[str, Any] = {
        "loop": "auto",
        "http": DrainingHttpToolsProtocol,
        "ws": "websockets-sansio",
        "lifespan": "off",
    }

    def run(self) -> None:
        """Warm the process (skincare.core.warmup: database and cache connections, the ingredient index) after the
        fork and before its first accept, so that no client of a new or replaced worker pays for it."""
        from skincare import asgi

        asgi.warm()
        super().run()

    async def _serve(self) -> None:  # uvicorn-worker's, with BalancedServer for uvicorn's Server
        self.config.app = self.wsgi
        server = BalancedServer(config=self.config)
        self._install_sigquit_handler()
        await server.serve(sockets=self.sockets)
        if not server.started:
            sys.exit(Arbiter.WORKER_BOOT_ERROR)
