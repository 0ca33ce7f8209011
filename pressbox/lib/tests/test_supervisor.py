"""The supervisor behind `pressbox serve`: two children, stopped and reloaded together."""

import os
import signal
import subprocess
import sys
import time

from pressbox.lib.supervisor import Supervisor

# A child that notes each start and each signal in a file, and exits 0 when told to.
CHILD = """
import os, signal, sys, time
log = sys.argv[1]
def note(what):
    with open(log, "a") as f:
        f.write(what + "\\n")
def stop(signum, frame):
    note(signal.Signals(signum).name)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGHUP, lambda signum, frame: note("SIGHUP"))
note("started")
time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 60)
sys.exit(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
"""

SUPERVISOR = """
import sys
from pressbox.lib.supervisor import Supervisor
child = [sys.executable, "-c", sys.argv[1]]
server = child + sys.argv[2:3] + sys.argv[4:6]
worker = child + sys.argv[3:4] + sys.argv[6:8]
sys.exit(Supervisor(server=server, worker=worker, poll=0.05).run())
"""


def supervise(tmp_path, server_args=(), worker_args=()):
    server_log, worker_log = tmp_path / "server.log", tmp_path / "worker.log"
    argv = [sys.executable, "-c", SUPERVISOR, CHILD, str(server_log), str(worker_log)]
    process = subprocess.Popen([*argv, *server_args, *worker_args])
    return process, server_log, worker_log


def lines(path, count, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = path.read_text().split() if path.exists() else []
        if len(found) >= count:
            return found
        time.sleep(0.05)
    return path.read_text().split() if path.exists() else []


def test_sigterm_stops_both_and_exits_0(tmp_path):
    process, server_log, worker_log = supervise(tmp_path)
    lines(server_log, 1), lines(worker_log, 1)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    assert lines(server_log, 2) == ["started", "SIGTERM"]
    assert lines(worker_log, 2) == ["started", "SIGTERM"]


def test_sigint_reaches_the_web_server_once(tmp_path):
    process, server_log, worker_log = supervise(tmp_path)
    lines(server_log, 1), lines(worker_log, 1)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    assert lines(server_log, 2) == ["started", "SIGINT"]
    assert lines(worker_log, 2) == ["started", "SIGTERM"]


def test_sighup_reloads_the_server_and_restarts_the_worker(tmp_path):
    process, server_log, worker_log = supervise(tmp_path)
    lines(server_log, 1), lines(worker_log, 1)
    process.send_signal(signal.SIGHUP)
    assert lines(server_log, 2) == ["started", "SIGHUP"]
    assert lines(worker_log, 3) == ["started", "SIGTERM", "started"]
    assert process.poll() is None
    process.terminate()
    assert process.wait(timeout=10) == 0


def test_a_worker_that_dies_stops_the_server_and_serve_fails(tmp_path):
    process, server_log, worker_log = supervise(tmp_path, ("60", "0"), ("2", "3"))
    assert process.wait(timeout=10) == 1
    assert lines(server_log, 2) == ["started", "SIGTERM"]


def test_a_server_that_dies_stops_the_worker_and_serve_fails(tmp_path):
    process, server_log, worker_log = supervise(tmp_path, ("2", "0"))
    assert process.wait(timeout=10) == 1
    assert lines(worker_log, 2) == ["started", "SIGTERM"]


def test_periodic_work_runs_at_start_and_then_every_period():
    calls = []
    server = [sys.executable, "-c", "import time; time.sleep(0.5)"]
    Supervisor(server=server, worker=None, periodic=lambda: calls.append(1), period=0.2).run()
    assert 2 <= len(calls) <= 4


def test_children_stop_when_the_supervisor_is_killed(tmp_path):
    process, server_log, worker_log = supervise(tmp_path)
    lines(server_log, 1), lines(worker_log, 1)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert lines(server_log, 2) == ["started", "SIGTERM"]
    assert lines(worker_log, 2) == ["started", "SIGTERM"]
