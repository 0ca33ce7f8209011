"""The progress report long commands print: a bar redrawn in place on a terminal, plain
lines (`12/40 posts`) otherwise, so a log file stays readable."""

from __future__ import annotations

from django.core.management.base import OutputWrapper

BAR_WIDTH = 30
REDRAWS = 100  # at most this many redraws of the bar over a whole run


class ProgressBar:
    """Called as `progress(done, total)` or `progress(done, total, label)`.

    Off a terminal it writes `done/total <label or noun>`, every time when `plain_lines`
    is None, else about `plain_lines` times over the run (and always for the last).
    """

    def __init__(self, out: OutputWrapper, noun: str, *, plain_lines: int | None = None):
        self.out, self.noun, self.plain_lines = out, noun, plain_lines
        self.tty = out.isatty()

    def __call__(self, done: int, total: int, label: str = "") -> None:
        last = done >= total
        if not self.tty:
            if last or self.plain_lines is None or done % self._step(total, self.plain_lines) == 0:
                self.out.write(f"{done}/{total} {label or self.noun}")
            return
        if not last and done % self._step(total, REDRAWS):
            return
        filled = BAR_WIDTH * min(done, total) // max(total, 1)
        bar = "#" * filled + " " * (BAR_WIDTH - filled)
        self.out.write(f"\r[{bar}] {done}/{total}", ending="\n" if last else "")
        self.out.flush()

    @staticmethod
    def _step(total: int, times: int) -> int:
        return max(1, total // times)
