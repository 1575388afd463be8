"""The web workers' accept (skincare.core.server): connections spread over the processes by how many each holds."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys

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
