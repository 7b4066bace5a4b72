"""Per-submission wall time of ``nbgrader autograde``, taken by nbgrader's convert hooks.

nbgrader calls ``pre_convert_hook`` just before a submission is set up in the gradebook and
sanitized, and ``post_convert_hook`` once its notebooks are executed and their grades saved, so the
time between the two is everything the submission costs (kernel start, every cell, the grades).
The temporary course directory of :mod:`autograder.grading.checks.nbgrade` sets::

    c.Autograde.pre_convert_hook = "autograder.grading.plugins.timing.start"
    c.Autograde.post_convert_hook = "autograder.grading.plugins.timing.end"

and the environment variable ``AUTOGRADER_GRADING_TIMES`` names the JSON-lines file written.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

ENV = "AUTOGRADER_GRADING_TIMES"


def _student(notebooks) -> str:
    # Hooks get coursedir.student_id, which is "*" for a whole class; the submitted notebooks'
    # paths (submitted/<student>/<assignment>/<nb>.ipynb) name the student.
    for path in notebooks or []:
        parts = Path(path).parts
        if len(parts) >= 3:
            return parts[-3]
    return "?"


def cpu_stall() -> float | None:
    """Seconds (since boot) during which some runnable task waited for a CPU: Linux's pressure
    stall information (/proc/pressure/cpu, "some total"); None where it is not available."""
    try:
        with open("/proc/pressure/cpu", encoding="ascii") as f:
            for line in f:
                if line.startswith("some "):
                    return int(line.rsplit("total=", 1)[1]) / 1e6
    except (OSError, ValueError, IndexError):
        pass
    return None


def _mark(event: str, assignment, notebooks) -> None:
    target = os.environ.get(ENV)
    if not target:
        return
    t = os.times()
    record = {
        "event": event,
        "assignment": assignment,
        "student": _student(notebooks),
        "t": time.monotonic(),
        # nbgrader's own CPU time and its reaped children's (the submission's kernels)
        "cpu": t.user + t.system + t.children_user + t.children_system,
        # how long the machine's CPUs were contended (to tell a slow answer from a busy machine)
        "stall": cpu_stall(),
    }
    with open(target, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


def start(assignment=None, student=None, notebooks=None, **_):
    _mark("start", assignment, notebooks)


def end(assignment=None, student=None, notebooks=None, **_):
    _mark("end", assignment, notebooks)


def durations(path: str | Path, key: str = "t") -> dict[str, float]:
    """Seconds per student from a times file (the last start/end pair of each): wall time, or
    with key="cpu" the CPU time of nbgrader and of the submission's kernels, or with
    key="stall" the time the machine's CPUs were contended meanwhile."""
    starts, result = {}, {}
    path = Path(path)
    if not path.exists():
        return result
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get(key) is None:
            continue
        if record["event"] == "start":
            starts[record["student"]] = record[key]
        elif record["student"] in starts:
            result[record["student"]] = record[key] - starts.pop(record["student"])
    return result
