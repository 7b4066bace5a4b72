"""The class roster: who may log in to the hub, and who is an instructor.

A roster is a CSV file with a header line and one row per person::

    username,role,first_name,last_name,email
    ada,instructor,Ada,Lovelace,ada@example.org
    alan,student,Alan,Turing,

``username`` is the hub login name; ``role`` is ``student`` or ``instructor``; the other columns
are optional and go to the gradebook (``nbgrader db student import``) for students. Standard
library only: ``jupyterhub_config.py`` imports this module.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROLES = ("student", "instructor")
REQUIRED_COLUMNS = ("username", "role")
OPTIONAL_COLUMNS = ("first_name", "last_name", "email")
# JupyterHub lowercases login names; nbgrader puts student ids in file names and rejects "+" and
# "*"; Kubernetes escapes the rest. Keep names to what every part of the stack takes as it is.
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


class RosterError(ValueError):
    """The roster file cannot be used as it is; the message says where and why."""


@dataclass(frozen=True)
class Person:
    username: str
    role: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


@dataclass(frozen=True)
class Roster:
    people: tuple[Person, ...]

    @property
    def students(self) -> list[str]:
        return [p.username for p in self.people if p.role == "student"]

    @property
    def instructors(self) -> list[str]:
        return [p.username for p in self.people if p.role == "instructor"]

    @property
    def usernames(self) -> set[str]:
        return {p.username for p in self.people}


def parse(text: str, source: str = "<roster>") -> Roster:
    """The roster in CSV text; raises RosterError naming the line of the first problem."""
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RosterError(
            f"{source}: the header line must name the columns {', '.join(REQUIRED_COLUMNS)} "
            f"(and optionally {', '.join(OPTIONAL_COLUMNS)}); missing: {', '.join(missing)}"
        )
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise RosterError(f"{source}: unknown column(s) {', '.join(unknown)}")
    reader.fieldnames = header
    people: list[Person] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise RosterError(f"{source}, line {line}: more fields than columns in the header")
        values = {k: (v or "").strip() for k, v in row.items()}
        if not any(values.values()):
            continue
        name, role = values["username"], values["role"].lower()
        if not USERNAME.fullmatch(name):
            raise RosterError(
                f"{source}, line {line}: username {name!r} must be 1-64 lowercase letters, digits,"
                " '.', '_' or '-', starting with a letter or digit"
            )
        if role not in ROLES:
            raise RosterError(
                f"{source}, line {line}: role {values['role']!r} of {name!r} must be one of "
                f"{', '.join(ROLES)}"
            )
        if name in seen:
            raise RosterError(
                f"{source}, line {line}: {name!r} is already on line {seen[name]}"
            )
        seen[name] = line
        people.append(
            Person(name, role, *(values.get(c, "") for c in OPTIONAL_COLUMNS))
        )
    if not people:
        raise RosterError(f"{source}: the roster lists nobody")
    if not any(p.role == "instructor" for p in people):
        raise RosterError(f"{source}: the roster has no instructor (role 'instructor')")
    return Roster(tuple(people))


def load(path: str | Path) -> Roster:
    """The roster in the CSV file at path (UTF-8)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(
            f"roster file {path} does not exist (copy deploy/roster.example.csv and set "
            "THREAD_SYNC_ROSTER to it)"
        ) from None
    return parse(text, str(path))


def gradebook_csv(roster: Roster) -> str:
    """The students as the CSV that ``nbgrader db student import`` reads (column ``id`` first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *OPTIONAL_COLUMNS])
    for p in roster.people:
        if p.role == "student":
            writer.writerow([p.username, p.first_name, p.last_name, p.email])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """``python deploy/roster.py ROSTER [--gradebook]``: check a roster before the hub reads it
    (a summary, or the error and exit status 1); with --gradebook, print its students as the CSV
    that ``nbgrader db student import`` reads."""
    import argparse

    parser = argparse.ArgumentParser(prog="python deploy/roster.py", description=main.__doc__)
    parser.add_argument("roster", help="the roster's CSV file")
    parser.add_argument(
        "--gradebook", action="store_true",
        help="print the students for `nbgrader db student import` instead of a summary",
    )
    args = parser.parse_args(argv)
    try:
        r = load(args.roster)
    except RosterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.gradebook:
        print(gradebook_csv(r), end="")
    else:
        print(f"{args.roster}: {len(r.instructors)} instructor(s), {len(r.students)} student(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
