"""What a failing test shows a student: a summary line naming the mistake, an aligned step table
of at most 40 rows (a longer one folded, with the count), calls read as calls, values when the
trace has them, and the timeline picture, also without a lock, labelled at least 10 px high."""

from __future__ import annotations

import itertools

import course_programs as prog
import pytest

from autograder import explore
from autograder.base.trace import Event, Trace, what_happened
from autograder.exploration import report

pytest.importorskip("matplotlib")

from course.bridge import failure_picture  # noqa: E402
from course.drawing.timeline import LABEL_PX  # noqa: E402


@pytest.fixture(scope="module")
def lost() -> object:
    result = explore(prog.tally_setup, [prog.tally_twenty, prog.tally_twenty], prog.tally_check)
    assert not result.ok
    return result


def test_the_summary_names_the_mistake(lost):
    first = lost.message.splitlines()[0]
    assert first.startswith("Lost update: T") and "update is lost" in first, first


def test_the_table_is_folded_aligned_and_short(lost):
    table = lost.message.split("what happened\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(table) <= report.MAX_ROWS, table
    assert all(len(line) <= report.LINE_CHARS for line in table), table
    bars = {line.index("| ") for line in table if "| " in line}
    assert len(bars) == 1, "the source column does not line up:\n" + "\n".join(table)
    assert any("appends to self.log" in line for line in table), table


def test_a_long_run_is_folded_with_its_count():
    events = [Event(step=i, thread=f"T{i % 3}", op="write", obj=f"s.x{i}", line=i,
                    source=f"s.x{i} = {i}") for i in range(1, 90)]
    table, steps = report.student_table(Trace(events=events, threads=["T0", "T1", "T2"]))
    rows = table.splitlines()[1:]
    assert steps == 89 and len(rows) <= report.MAX_ROWS
    assert any("more rows not shown" in row for row in rows), table


def test_calls_and_values_read_as_a_student_reads_them():
    def event(op: str, obj: str, source: str, value: str | None = None) -> Event:
        return Event(step=1, thread="T1", op=op, obj=obj, source=source, value=value)

    assert what_happened(event("write", "an object", "self.add(song)")) == "calls self.add(song)"
    assert what_happened(event("write", "s.log", "s.log.append(x)")) == "appends to s.log"
    assert what_happened(event("read", "self.value", "x = self.value", "1")) == \
        "reads self.value \u2192 1"
    assert what_happened(event("write", "self.value", "self.value = x + 1", "2")) == \
        "writes self.value = 2"


def test_the_picture_is_drawn_without_a_lock_with_readable_labels(lost):
    fig = failure_picture.figure(lost)
    assert fig is not None, "no picture for a lock-free interleaving"
    labels = [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("label")]
    assert labels, "the reads and writes are not labelled"
    px = min(t.get_fontsize() for t in labels) * failure_picture.DPI / 72
    assert px >= LABEL_PX, f"labels are {px:.1f} px high"
    numbers = {int(t.get_text()) for t in labels}
    steps = int(lost.message.split("The interleaving that shows it (", 1)[1].split()[0])
    assert max(numbers) <= steps, "the picture's step numbers are not the table's"
    shown = sorted(numbers)
    gaps = [b - a for a, b in itertools.pairwise(shown)]
    width = fig.get_size_inches()[0] * failure_picture.DPI * 0.8
    assert min(gaps) * width / steps >= 2 * LABEL_PX, "labels of neighbouring steps collide"


def test_every_step_is_labelled_at_40_steps():
    assert failure_picture.label_every(40, min(max(10.0, 0.3 * 40 + 3), 24.0)) == 1
