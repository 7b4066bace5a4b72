"""The grading commands' progress bar (grading day's, the mutation analysis'): count, elapsed
time and ETA."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console


@contextmanager
def progress(total: int, what: str, console: Console | None = None
             ) -> Iterator[Callable[[int], None]]:
    """A rich progress bar of ``total`` steps described by ``what``; yields advance(n=1)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("elapsed"), TimeElapsedColumn(), TextColumn("ETA"),
                  TimeRemainingColumn(), console=console, transient=False) as bar:
        task = bar.add_task(what, total=total)
        yield lambda n=1: bar.advance(task, n)
