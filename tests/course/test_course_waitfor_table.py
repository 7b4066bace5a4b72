"""The wait-for graph and the interleaving table."""

from __future__ import annotations

import course_synth as cs
from matplotlib.colors import to_hex
from matplotlib.patches import FancyArrowPatch

from course.drawing.palette import ALERT
from course.drawing.table import interleaving_table
from course.drawing.waitfor import plot_wait_for
from course.recording.moments import find_cycle, moment


def gids(fig, prefix: str) -> dict[str, object]:
    ax = fig.axes[0]
    return {a.get_gid(): a for a in [*ax.patches, *ax.texts]
            if a.get_gid() and a.get_gid().startswith(prefix)}


def test_wait_for_graph_of_a_deadlock():
    fig = plot_wait_for(cs.deadlock())
    assert set(gids(fig, "node|")) == {"node|thread|T1", "node|thread|T2", "node|obj|L1",
                                       "node|obj|L2"}
    edges = gids(fig, "edge|")
    assert set(edges) == {"edge|holds|L1|T1", "edge|holds|L2|T2", "edge|waits|T1|L2",
                          "edge|waits|T2|L1"}
    assert all(isinstance(e, FancyArrowPatch) for e in edges.values())
    assert all(to_hex(e.get_edgecolor()) == ALERT for e in edges.values())
    assert edges["edge|waits|T1|L2"].get_linestyle() == "--"
    assert "deadlock" in fig.axes[0].get_title(loc="left")


def test_wait_for_graph_of_a_moment_without_cycle():
    fig = plot_wait_for(cs.contended(), at=3)
    edges = gids(fig, "edge|")
    assert set(edges) == {"edge|holds|L1|T1", "edge|waits|T2|L1"}
    assert all(to_hex(e.get_edgecolor()) != ALERT for e in edges.values())
    assert fig.axes[0].get_title(loc="left") == "Wait-for graph after step 3"
    later = plot_wait_for(cs.contended(), at=5)
    assert set(gids(later, "edge|")) == {"edge|holds|L1|T2"}


def test_wait_for_graph_from_holds_and_waits():
    holds = {"A": "T1", "B": "T2", "C": "T3", "D": "T4"}
    waits = {"T1": "B", "T2": "C", "T3": "A", "T4": "A"}
    fig = plot_wait_for(holds=holds, waits=waits)
    edges = gids(fig, "edge|")
    red = {g for g, e in edges.items() if to_hex(e.get_edgecolor()) == ALERT}
    assert red == {"edge|waits|T1|B", "edge|holds|B|T2", "edge|waits|T2|C", "edge|holds|C|T3",
                   "edge|waits|T3|A", "edge|holds|A|T1"}
    assert to_hex(edges["edge|waits|T4|A"].get_edgecolor()) != ALERT
    assert to_hex(edges["edge|holds|D|T4"].get_edgecolor()) != ALERT


def test_find_cycle_and_moment():
    assert find_cycle({"a": ["T"]}, {"T": "a"}) is not None
    assert find_cycle({"a": ["T1"]}, {"T2": "a"}) is None
    cyc = find_cycle({"a": ["T1"], "b": ["T2"]}, {"T1": "b", "T2": "a"}, ["T2", "T1"])
    assert [(w.thread, w.obj, w.holder) for w in cyc] == [("T2", "a", "T1"), ("T1", "b", "T2")]
    m = moment(cs.deadlock().events)
    assert m.holders == {"L1": ["T1"], "L2": ["T2"]}
    assert m.waiting == {"T1": "L2", "T2": "L1"}
    assert m.holding() == {"T1": ["L1"], "T2": ["L2"]}


def test_semaphore_release_by_another_thread_frees_a_permit():
    rows = [("A", "acquire", "S1"), ("B", "release", "S1")]
    assert moment(cs.make(rows).events).holders == {}


def test_table_rows_and_state():
    trace = cs.contended()
    table = interleaving_table(trace, states={3: {"x": 1}})
    assert [r.step for r in table.rows] == [1, 2, 3, 4, 5, 6, 7]  # "start" left out
    first = table.rows[0]
    assert (first.thread, first.line, first.source) == ("T1", 11, "line 11")
    assert first.operation == "acquires L1" and first.state == "L1: T1"
    assert table.rows[1].operation == "waits for L1 (not available)"
    assert table.rows[2].state == "x = 1  |  L1: T1"
    assert table.rows[4].state == "L1: T2"
    assert table.rows[-1].operation == "finishes"


def test_table_renders_as_text_and_html():
    table = interleaving_table(cs.deadlock(), title="The deadlock")
    text = str(table)
    assert text.splitlines()[0] == "The deadlock"
    assert "waits for L2 (not available)" in text
    html = table._repr_html_()
    assert html.startswith("<table") and "The deadlock" in html
    assert html.count("<tr>") == len(table.rows) + 1
    assert "color:#d62728" in html  # the blocking steps stand out


def test_long_tables_leave_out_the_middle():
    rows = [("T", "acquire", "L1"), ("T", "release", "L1")] * 200
    table = interleaving_table(cs.make(rows), max_rows=20)
    assert len(table) == 20 and table.omitted == 380
    assert "380 steps not shown" in str(table)
    assert "380 steps not" in table._repr_html_()


def test_recorded_runs_show_milliseconds():
    import threading

    from course.recording.recorder import record

    with record() as rec:
        lock = threading.Lock()
        with lock:
            pass
    table = interleaving_table(rec.trace)
    assert table.timed and all(r.ms is not None and r.ms >= 0 for r in table.rows)
    assert str(table).splitlines()[0].split()[0] == "ms"
    assert "<th style" in table._repr_html_() and ">ms</th>" in table._repr_html_()
    assert not interleaving_table(cs.contended()).timed


def test_table_numbers_rows_and_collapses_a_spin():
    from autograder.base.trace import Event, Trace

    events = [Event(1, "T1", "start")]
    events += [Event(i, "T1", "read", obj="flag", line=7, source="while flag:")
               for i in range(2, 40)]
    events += [Event(40, "T2", "write", obj="flag", line=9, source="flag = False")]
    table = interleaving_table(Trace(events=events, threads=["T1", "T2"]))
    assert [r.step for r in table.rows] == [1, 39]
    text = table.to_text()
    assert text.count("while flag:") == 1
    assert "this step repeats 37 more time(s), steps 2-38 (a loop)" in text
    assert "(a loop)" in table._repr_html_()
