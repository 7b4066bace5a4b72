"""course.drawing.not_drawn: in a grading kernel (COURSE_PICTURES=off) the lessons' drawing calls
give a one-line note, import neither matplotlib nor ipywidgets, and run no live demo; elsewhere they
draw as always."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from autograder.grading.sandbox import kernel
from course.drawing import not_drawn

#: Run in a fresh interpreter from a file (the engine does not trace code compiled from a
#: string): what a lesson's cells call, and what that imported.
PROBE = r"""
import json, sys, threading
from types import SimpleNamespace
import course
from course import Demo, counterexample, demo, plot_timeline, plot_wait_for, scheduler

ran = []
def fresh():
    return SimpleNamespace(n=0)
def add(s):
    s.n += 1
bug = counterexample(fresh, [add, add], lambda s: s.n == 2)
shown = [repr(plot_timeline(bug.trace, title="t")), repr(plot_wait_for(holds={}, waits={})),
         repr(demo(lambda threads: ran.append(threads), threads=(1, 4, 2))),
         repr(Demo(lambda threads: ran.append(threads), threads=(1, 4, 2))),
         repr(scheduler(fresh, {"A": add, "B": add})),
         repr(bug.timeline()), repr(bug.wait_for())]
print(json.dumps({
    "shown": shown, "html": bug._repr_html_(), "table": str(bug.table()), "ran": ran,
    "imported": sorted(m for m in ("matplotlib", "ipywidgets") if m in sys.modules),
    "plot_timeline": f"{plot_timeline.__module__}.{plot_timeline.__name__}",
}))
"""


def _probe(where, pictures: str | None) -> dict:
    script = where / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != not_drawn.ENV}
    if pictures is not None:
        env[not_drawn.ENV] = pictures
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_in_a_grading_kernel_nothing_is_drawn_and_nothing_heavy_imported(tmp_path):
    got = _probe(tmp_path, not_drawn.OFF)
    assert len(got["shown"]) == 7
    for note in got["shown"]:
        assert note.endswith("not drawn while the notebook is graded; run this cell in your "
                             "own notebook to see it)"), note
    assert got["shown"][0].startswith("(the timeline:")
    assert got["shown"][4].startswith("(the scheduler board:")
    assert got["ran"] == []  # a live demo's program is not even run
    assert got["imported"] == []
    # the interleaving itself is still found and told: its message and its step table
    assert "not drawn while the notebook is graded" in got["html"]
    assert "<img" not in got["html"] and "<table" in got["html"]
    assert "step" in got["table"]


def test_everywhere_else_everything_is_drawn(tmp_path):
    got = _probe(tmp_path, None)
    assert not any("not drawn" in note for note in got["shown"])
    assert got["plot_timeline"] == "course.drawing.timeline.plot_timeline"
    assert "matplotlib" in got["imported"] and "ipywidgets" in got["imported"]
    assert "<img" in got["html"]
    assert _probe(tmp_path, "on")["plot_timeline"] == "course.drawing.timeline.plot_timeline"


def test_the_grading_kernel_sets_the_variable_the_course_reads():
    # the grader does not import the course: the two spell the variable each on their own
    assert (kernel.PICTURES_ENV, kernel.PICTURES_OFF) == (not_drawn.ENV, not_drawn.OFF)
    assert kernel.GradingKernelManager().pictures is False


def test_the_palette_spells_matplotlibs_colormaps():
    """The step table's colours, spelled without matplotlib, are matplotlib's tab10 and tab20."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    from course.drawing import palette

    for name, spelled in (("tab10", palette.TAB10), ("tab20", palette.TAB20)):
        cmap = colormaps[name]
        assert spelled == tuple(to_hex(cmap(i)) for i in range(cmap.N)), name
