"""The web workers' accept (skincare.core.server): connections spread over the processes by how many each holds."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

from skincare.core.server import BalancedAcceptor, ConnectionBoard


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _other(board: ConnectionBoard, slot: int, pid: int, connections: int) -> None:
    board._cells[2 * slot], board._cells[2 * slot + 1] = pid, connections


def test_the_board_gives_each_process_a_slot_and_takes_back_a_dead_ones():
    board = ConnectionBoard()
    _other(board, 0, _dead_pid(), 7)  # killed without leaving
    _other(board, 1, os.getppid(), 3)
    board.join()
    assert board._slot == 0 and board._cells[0] == os.getpid()  # the dead process's slot
    board.publish(5)
    assert board.fewest_elsewhere() == 3  # not its own
    _other(board, 2, _dead_pid(), 0)
    assert board.fewest_elsewhere() == 3  # a dead process with fewer is not waited for, and its slot is freed
    assert board._cells[4] == 0
    board.leave()
    assert board._cells[0] == 0 and board.fewest_elsewhere() is None


def _accepting(others: int, held: int) -> tuple[int, bool]:
    """A client connects to an acceptor holding `held` connections while another live process holds `others`:
    (how many times it stepped back before accepting, whether it accepted)."""
    board = ConnectionBoard()
    _other(board, 1, os.getppid(), others)
    listener = socket.create_server(("127.0.0.1", 0))
    steps = []
    accepted = asyncio.Event()

    class Protocol(asyncio.Protocol):
        def connection_made(self, transport):
            accepted.set()

    async def run() -> bool:
        loop = asyncio.get_running_loop()
        acceptor = BalancedAcceptor(loop, listener, Protocol, None, {object() for _ in range(held)}, board=board)
        step_back = acceptor._step_back
        acceptor._step_back = lambda seconds: (steps.append(seconds), step_back(seconds))
        client = socket.create_connection(listener.getsockname())
        try:
            await asyncio.wait_for(accepted.wait(), 5)
            return True
        finally:
            acceptor.close()
            await acceptor.wait_closed()
            client.close()

    try:
        done = asyncio.run(run())
    finally:
        listener.close()
        board.leave()
    return len(steps), done


def test_a_process_with_no_more_connections_than_the_others_accepts_at_once():
    assert _accepting(others=3, held=3) == (0, True)


def test_a_busier_process_leaves_the_connection_a_few_times_then_takes_it():
    """Nobody else took it (the other process here is not listening): accepted anyway, after DEFER_TIMES steps."""
    assert _accepting(others=0, held=4) == (BalancedAcceptor.DEFER_TIMES, True)


def _shedding_board(others: int) -> ConnectionBoard:
    board = ConnectionBoard()
    _other(board, 1, os.getppid(), others)
    board.join()
    return board


def test_a_process_ahead_by_two_moves_connections_off_only_after_a_while_and_one_at_a_time():
    board = _shedding_board(others=3)
    board.SHED_AFTER, board.SHED_GAP = 0.2, 0.1
    try:
        assert board.should_shed(5) is False  # uneven since now: not yet
        time.sleep(0.25)
        assert board.should_shed(5) is True
        assert board.should_shed(5) is False  # the next one waits SHED_GAP
        time.sleep(0.15)
        assert board.should_shed(5) is True
    finally:
        board.leave()


def test_a_process_within_its_share_keeps_its_connections_and_unevenness_starts_over():
    board = _shedding_board(others=3)
    board.SHED_AFTER, board.SHED_GAP = 0.2, 0.0
    try:
        assert board.should_shed(4) is False  # one over the least loaded: its share
        assert board.should_shed(5) is False
        time.sleep(0.25)
        assert board.should_shed(4) is False  # even again: the wait starts over
        assert board.should_shed(5) is False
        assert board._uneven_since is not None
    finally:
        board.leave()
    many = _shedding_board(others=64)
    many.SHED_AFTER = 0.0
    try:
        assert many.should_shed(64 + 17) is False  # 256 clients over four: a quarter of slack
        assert many.should_shed(64 + 18) is True
    finally:
        many.leave()


def test_a_process_alone_never_sheds():
    board = ConnectionBoard()
    board.join()
    board.SHED_AFTER = 0.0
    try:
        assert board.should_shed(100) is False
    finally:
        board.leave()
