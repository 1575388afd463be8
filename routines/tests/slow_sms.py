"""An SMS backend for the worker-death live test: it records which process is sending, takes its time, then writes
the message to a file. A process killed during the pause never writes it."""

from __future__ import annotations

import os
import time
from pathlib import Path

from accounts.sms import BaseSmsBackend, SmsMessage


class SlowFileSmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        folder = Path(os.environ["SLOW_SMS_DIR"])
        (folder / f"sending-{os.getpid()}").write_text(message.to)
        time.sleep(float(os.environ.get("SLOW_SMS_SECONDS", "30")))
        with open(folder / "sent.txt", "a") as fh:
            fh.write(f"{message.to}\t{message.body}\n")
