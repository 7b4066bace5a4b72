"""The per-exercise table of a mutation run, its JSON, and the progress bar."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: A mutant's fate, in the order of the table's columns.
VISIBLE, HIDDEN, EQUIVALENT, SURVIVED = "visible", "hidden", "equivalent", "survived"


@dataclass
class Outcome:
    lesson: str
    exercise: str
    id: str  # exercise:operator:site
    operator: str
    line: int
    fate: str  # VISIBLE, HIDDEN, EQUIVALENT or SURVIVED
    #: the failing tests' messages (killed), or what the deeper exploration found (survived)
    details: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class Row:
    lesson: str
    exercise: str
    mutants: int = 0
    visible: int = 0
    hidden: int = 0
    equivalent: int = 0
    survived: int = 0

    @property
    def visible_share(self) -> float | None:
        """Share of the non-equivalent mutants killed by a visible test."""
        wrong = self.mutants - self.equivalent
        return self.visible / wrong if wrong else None


def rows(outcomes: list[Outcome], exercises: list[tuple[str, str]]) -> list[Row]:
    """One row per (lesson, exercise), also for an exercise without mutants."""
    table = {key: Row(*key) for key in exercises}
    for o in outcomes:
        row = table.setdefault((o.lesson, o.exercise), Row(o.lesson, o.exercise))
        row.mutants += 1
        setattr(row, o.fate, getattr(row, o.fate) + 1)
    return list(table.values())


def markdown(table: list[Row]) -> str:
    """The table as docs/lessons.md shows it."""
    lines = ["| lesson | exercise | mutants | killed by a visible test | killed only by a hidden "
             "test | equivalent | survivors | visible share |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in table:
        share = "-" if r.visible_share is None else f"{r.visible_share:.0%}"
        lines.append(f"| {r.lesson} | `{r.exercise}` | {r.mutants} | {r.visible} | {r.hidden} | "
                     f"{r.equivalent} | {r.survived} | {share} |")
    return "\n".join(lines)


def print_table(table: list[Row], outcomes: list[Outcome]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title="Mutants per exercise")
    for name in ("lesson", "exercise", "mutants", "visible", "hidden only", "equivalent",
                 "survivors", "visible share"):
        t.add_column(name, justify="left" if name in ("lesson", "exercise") else "right")
    for r in table:
        share = "-" if r.visible_share is None else f"{r.visible_share:.0%}"
        t.add_row(r.lesson, r.exercise, str(r.mutants), str(r.visible), str(r.hidden),
                  str(r.equivalent), str(r.survived), share)
    console = Console(width=max(Console().width, 120))
    console.print(t)
    for o in outcomes:
        if o.fate == SURVIVED:
            console.print(f"[bold red]survivor[/] {o.id} (line {o.line}):", highlight=False)
            for d in o.details[:3]:
                console.print("    " + d.replace("\n", "\n    "), highlight=False, markup=False)


def write_json(path: Path, table: list[Row], outcomes: list[Outcome]) -> None:
    data = {"exercises": [asdict(r) for r in table], "mutants": [asdict(o) for o in outcomes]}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
