"""A small supervisor: the web server and the task worker as one command.

`pressbox serve` starts granian and `pressbox db_worker` side by side and stays their
parent, so one command is still enough to run a site (docs/email.md):

- SIGINT and SIGTERM are passed on (the worker finishes the task at hand, granian its
  requests); a second one forces both, as a second Ctrl+C does.
- SIGHUP reloads: granian respawns its workers gracefully, and the task worker is
  restarted once its current task is done.
- If either child exits on its own, the other is stopped and `serve` exits non-zero,
  so a process manager (systemd, Docker) restarts the whole.
- `periodic` (the hourly housekeeping) is called every `period` seconds.

Children run in their own process groups, so a Ctrl+C at the terminal reaches them
once, through here; on Linux they are also told to stop if this process is killed.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from types import FrameType

logger = logging.getLogger(__name__)

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
PR_SET_PDEATHSIG = 1


def stop_with_parent() -> None:  # pragma: no cover  (runs in the child, between fork and exec)
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Supervisor:
    def __init__(
        self,
        *,
        server: list[str],
        worker: list[str] | None,
        periodic: Callable[[], object] | None = None,
        period: float = 3600,
        stop_timeout: float = 30,
        poll: float = 0.2,
    ) -> None:
        self.server_argv, self.worker_argv = server, worker
        self.periodic, self.period = periodic, period
        self.stop_timeout, self.poll = stop_timeout, poll
        self.signals: list[int] = []
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.stopping_since: float | None = None
        self.failed = False
        self.reloading_worker = False
        self.next_periodic = time.monotonic()

    def run(self) -> int:
        """Start both, watch them until both have exited; the exit status for `serve`."""
        previous = {sig: signal.signal(sig, self.on_signal) for sig in FORWARDED}
        try:
            self.server = self.start(self.server_argv)
            if self.worker_argv:
                self.worker = self.start(self.worker_argv)
            while self.running():
                self.step()
                time.sleep(self.poll)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.kill_all()
        return self.exit_status()

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.signals.append(signum)  # acted on in step(), outside the handler

    def start(self, argv: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(argv, process_group=0, preexec_fn=stop_with_parent)  # noqa: S603

    def running(self) -> bool:
        return any(child is not None and child.poll() is None for child in self.children())

    def children(self) -> list[subprocess.Popen[bytes] | None]:
        return [self.server, self.worker]

    def step(self) -> None:
        while self.signals:
            self.handle(self.signals.pop(0))
        assert self.server is not None
        if self.worker is not None and self.worker.poll() is not None and self.reloading_worker:
            self.reloading_worker = False
            self.worker = self.start(self.worker_argv or [])
        if self.stopping_since is None:
            self.watch()
        elif time.monotonic() - self.stopping_since > self.stop_timeout:
            logger.warning(
                "Stopping took longer than %d s; killing what is left.", self.stop_timeout
            )
            self.kill_all()

    def handle(self, signum: int) -> None:
        assert self.server is not None
        if signum == signal.SIGHUP and self.stopping_since is None:
            logger.info("Reloading: the web server respawns its workers, the task worker restarts.")
            self.send(self.server, signal.SIGHUP)
            if self.worker is not None and not self.reloading_worker:
                self.reloading_worker = True
                self.send(self.worker, signal.SIGTERM)
            return
        if signum == signal.SIGHUP:
            return
        if self.stopping_since is None:
            self.stopping_since = time.monotonic()
        self.reloading_worker = False
        self.send(self.server, signum)
        if self.worker is not None:
            self.send(self.worker, signal.SIGTERM)

    def watch(self) -> None:
        """Stop the other child when one exits unexpectedly; run the periodic job."""
        assert self.server is not None
        if self.server.poll() is not None:
            self.fail(f"The web server exited unexpectedly (status {self.server.returncode}).")
        elif self.worker is not None and self.worker.poll() is not None:
            self.fail(f"The task worker exited unexpectedly (status {self.worker.returncode}).")
        elif self.periodic is not None and time.monotonic() >= self.next_periodic:
            self.next_periodic = time.monotonic() + self.period
            try:
                self.periodic()
            except Exception:
                logger.exception("The periodic housekeeping could not be queued; will try again.")

    def fail(self, reason: str) -> None:
        logger.error("%s Stopping Pressbox.", reason)
        self.failed = True
        self.stopping_since = time.monotonic()
        for child in self.children():
            if child is not None:
                self.send(child, signal.SIGTERM)

    def send(self, child: subprocess.Popen[bytes], signum: int) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    def kill_all(self) -> None:
        for child in self.children():
            if child is not None and child.poll() is None:
                child.kill()
                child.wait()

    def exit_status(self) -> int:
        if self.failed:
            return 1
        # Stopped on request: granian and the worker exit 0 after a signal.
        clean = {0, -signal.SIGINT, -signal.SIGTERM}
        codes = [child.returncode for child in self.children() if child is not None]
        return 0 if all(code in clean for code in codes) else 1
