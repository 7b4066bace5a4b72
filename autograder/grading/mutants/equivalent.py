"""The committed list of equivalent mutants: ``tests/mutants/equivalent.toml``.

One table per exercise; each entry is a mutant's operator and site (``"split_region:1"``) with a
one-line ``reason`` and ``source``, the first 12 hex digits of the SHA-256 of the mutant's
source, so that an entry goes stale (and the test that keeps the file in sync fails) when the
solution changes::

    [readers_writers]
    "split_region:1" = { source = "0123456789ab", reason = "..." }

A surviving mutant counts as equivalent only when it is listed here with its current source and
the deeper exploration (:mod:`.deeper`) finds nothing wrong with it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import tomllib

PATH = Path("tests") / "mutants" / "equivalent.toml"


@dataclass(frozen=True)
class Entry:
    exercise: str
    key: str  # operator:site
    source: str
    reason: str

    @property
    def id(self) -> str:
        return f"{self.exercise}:{self.key}"


def fingerprint(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]


def load(path: Path) -> dict[str, Entry]:
    """Entries by mutant id (exercise:operator:site); a missing file lists none."""
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = {}
    for exercise, entries in data.items():
        for key, entry in entries.items():
            e = Entry(exercise, key, str(entry.get("source", "")), str(entry.get("reason", "")))
            found[e.id] = e
    return found


def listed(entries: dict[str, Entry], mutant_id: str, source: str) -> Entry | None:
    """The entry for this mutant, when it is listed with its current source."""
    entry = entries.get(mutant_id)
    if entry is None or entry.source != fingerprint(source):
        return None
    return entry
