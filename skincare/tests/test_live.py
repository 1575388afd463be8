import time

import pytest


@pytest.mark.live
def test_a_real_worker_process_runs_a_queued_task(live_worker, settings):
    """Given a worker process on the broker, when a task is queued, then the worker runs it."""
    from skincare.core.tasks import ping

    ping.delay("x")
    # The worker's own log is the evidence: it received the task and it succeeded.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        log = open(live_worker.log_path).read()
        if "core.ping" in log and "succeeded" in log:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the worker did not run the task:\n" + open(live_worker.log_path).read()[-3000:])
    assert "Task core.ping" in log
