"""Command groups that modules add to `manage.py rustok` from their `cli.py`.

    # apps/events/cli.py
    class EventsCommands(CommandGroup):
        name = "events"
        help = "..."

        def add_actions(self, actions):          # an argparse subparsers object
            status = actions.add_parser("status", help="...")
            ...

        def status(self, out, **options):       # one method per action ("dead-letters" → dead_letters)
            ...

    group = EventsCommands()

`out` is an Output: table and progress printing shared by every group.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_duration


class CommandGroup:
    """A group of actions under `rustok <name>`; subclasses add actions and handle them."""

    name = ""
    help = ""

    def add_actions(self, actions) -> None:
        raise NotImplementedError("a command group adds its actions")

    def run(self, out: Output, action: str, **options) -> None:
        getattr(self, action.replace("-", "_"))(out, **options)


class Output:
    """What a command prints: steps, tables and progress, to the command's stdout."""

    def __init__(self, command):
        self.command = command
        self.stdout = command.stdout
        self.style = command.style

    def line(self, text: str = "") -> None:
        self.stdout.write(text)

    def step(self, message: str) -> None:
        self.stdout.write(f"  · {message}")
        self.stdout.flush()

    def table(self, header: list[str], rows: list[list]) -> None:
        widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip()
            )

    def progress(self, label: str) -> Progress:
        return Progress(self, label)


class Progress:
    """A progress bar: redrawn in place on a terminal, a line per tenth of the way otherwise.

    Call it with (done, total); close() ends the bar with the elapsed time.
    """

    WIDTH = 30

    def __init__(self, out: Output, label: str):
        self.out = out
        self.label = label
        self.started = time.monotonic()
        self.tty = getattr(getattr(out.stdout, "_out", None), "isatty", lambda: False)()
        self.shown_tenth = -1
        self.last = (0, 0)

    def __call__(self, done: int, total: int) -> None:
        self.last = (done, total)
        fraction = 1.0 if total <= 0 else min(done / total, 1.0)
        if self.tty:
            filled = int(fraction * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.out.stdout.write(f"\r  {self.label} [{bar}] {done}/{total}", ending="")
            self.out.stdout.flush()
            return
        tenth = int(fraction * 10)
        if tenth != self.shown_tenth:
            self.shown_tenth = tenth
            self.out.stdout.write(f"  {self.label}: {done}/{total} ({fraction:.0%})")

    def close(self) -> None:
        done, total = self.last
        if self.tty:
            self.out.stdout.write("")
        self.out.stdout.write(f"  {self.label}: {done}/{total} in {time.monotonic() - self.started:.1f}s")


def parse_since(value: str) -> dt.datetime:
    """A point in time from an ISO date or datetime ("2026-11-01", "2026-11-01T10:00") or an age
    ("90m", "2h", "3d", or Django's "1 02:00:00")."""
    value = value.strip()
    units = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
    if value[:-1].isdigit() and value[-1:] in units:
        return timezone.now() - dt.timedelta(**{units[value[-1]]: int(value[:-1])})
    if (moment := parse_datetime(value)) is not None:
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)
    if (day := parse_date(value)) is not None:
        return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    if (age := parse_duration(value)) is not None:
        return timezone.now() - age
    raise CommandError(f"--since: '{value}' is neither a date, a datetime nor an age such as 2h or 3d.")
