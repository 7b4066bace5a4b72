"""The class report as one static HTML page: no script, no web font, no CDN; the pictures are
inlined (base64 PNG), the students' feedback linked by relative path. Every text that comes from
a submission or the gradebook (names, ids, code, messages) is escaped."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from .. import state
from .grouping import Group
from .model import ClassReport, Student
from .plot import score_png

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0; }
td, th { border: 1px solid #ddd; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.n { text-align: right; }
section.group { border: 1px solid #ccc; border-radius: 6px; padding: .2em 1em 1em;
  margin: 1em 0; }
section.group h3 { margin-bottom: .3em; }
.mistake { background: #fff3cd; border: 1px solid #e0c36a; border-radius: 4px;
  padding: .1em .5em; }
.verdict { color: #b71c1c; }
pre { background: #f7f7f7; padding: .6em; overflow-x: auto; white-space: pre-wrap;
  font-size: .85em; }
code { background: #f3f3f3; padding: 0 .2em; }
img { max-width: 100%; }
.students a { margin-right: .6em; white-space: nowrap; }
.note { color: #555; font-size: .9em; }
"""

HOW = ("A group is one exercise &times; one verdict &times; the lines of the answer the failure "
       "involved (the student-code lines the failing interleaving ran, or its traceback went "
       "through), each line normalised: the names the answer cell binds (its own attributes "
       "too) become <code>v1</code>, <code>v2</code>, ... in the order they appear in the "
       "line, numbers <code>N</code> and strings <code>S</code>; library methods, keywords and "
       "builtins stay; each line is indented by its depth in its function (inside or outside "
       "a lock). A failure that involves no line of the answer is told apart by its test cell "
       "and the first line of its message. An answer's failure is its first failing test "
       "cell's. Groups are ordered largest first; flagged submissions are listed below, not "
       "grouped. A classic mistake is named when a tagged answer of the course's corpus fails "
       "with the same key.")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _student_link(s: Student | None, student: str) -> str:
    if s is not None and s.feedback:
        href = "/".join(quote(part, safe="") for part in s.feedback.split("/"))
        return f'<a href="{_e(href)}">{_e(student)}</a>'
    return _e(student)


def _group(n: int, g: Group, by_id: dict[str, Student]) -> str:
    rep = g.representative
    f = rep.failure
    title = (f"#{n} &middot; {_e(g.key.exercise)} &middot; <span class=verdict>"
             f"{_e(g.key.verdict)}</span> &middot; {g.size} student{'s' if g.size > 1 else ''}")
    parts = [f'<section class="group" id="group-{n}"><h3>{title}</h3>']
    if g.mistake:
        parts.append(f'<p>Classic mistake: <span class="mistake">{_e(g.mistake)}</span></p>')
    tests = ", ".join(f"<code>{_e(t)}</code>" + (f" ({k})" if g.size > 1 else "")
                      for t, k in g.tests)
    parts.append(f"<p>First failing test: {tests}</p>")
    if g.key.lines:
        shape = "\n".join(g.key.lines)
        actual = "\n".join(f"{line.number:>4}  {line.source}" for line in f.lines)
        parts.append("<p>The answer's lines involved, normalised (the group's key):</p>"
                     f"<pre>{_e(shape)}</pre><p>As {_e(rep.student)} wrote them:</p>"
                     f"<pre>{_e(actual)}</pre>")
    else:
        parts.append("<p class=note>No line of the answer is involved: the test's check of "
                     "what the answer did failed.</p>")
    links = " ".join(_student_link(by_id.get(m.student), m.student) for m in g.members)
    parts.append(f'<p class="students">Students: {links}</p>')
    parts.append(f"<p>Representative: {_e(rep.student)}</p>")
    if f.png:
        parts.append(f'<img src="data:image/png;base64,{f.png}" alt="timeline of the failing '
                     f'interleaving of {_e(rep.student)}">')
    if f.message:
        parts.append(f"<pre>{_e(f.message)}</pre>")
    parts.append("</section>")
    return "\n".join(parts)


def _table(headers: list[str], rows: list[list[str]], numeric: tuple[int, ...] = ()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(
        f"<td class=n>{c}</td>" if i in numeric else f"<td>{c}</td>" for i, c in enumerate(r))
        + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _people(title: str, students: list[Student], what: str) -> str:
    if not students:
        return f"<h2>{_e(title)}</h2><p class=note>None.</p>"
    rows = [[_student_link(s, s.student), _e(s.name), _e(what(s))] for s in students]
    return f"<h2>{_e(title)} ({len(students)})</h2>" + _table(["student", "name", ""], rows)


def render(report: ClassReport) -> str:
    """The whole page."""
    by_id = {s.student: s for s in report.students}
    submitted = [s for s in report.students if s.state != state.MISSING]
    counts = ", ".join(f"{sum(1 for s in report.students if s.state == k)} {k}"
                       for k in state.STATES if any(s.state == k for s in report.students))
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{_e(report.lesson)}: class report</title><style>{STYLE}</style></head>",
           f"<body><h1>{_e(report.lesson)}: what the class got wrong</h1>",
           f"<p>{len(report.students)} student(s), {len(submitted)} submission(s): "
           f"{_e(counts)}.</p>"]
    rows = [[f"<code>{_e(e.id)}</code>", str(report.right(e.id)), str(report.wrong(e.id)),
             str(sum(1 for g in report.groups if g.key.exercise == e.id))]
            for e in report.exercises]
    out.append(_table(["exercise", "right", "wrong", "groups"], rows, (1, 2, 3)))
    out.append(f"<h2>Wrong answers, grouped by failure ({len(report.groups)} groups)</h2>"
               f"<p class=note>{HOW}</p>")
    if not report.groups:
        out.append("<p class=note>No wrong answer.</p>")
    index = [[f'<a href="#group-{n}">#{n}</a>', f"<code>{_e(g.key.exercise)}</code>",
              _e(g.key.verdict), str(g.size), _e(g.mistake)]
             for n, g in enumerate(report.groups, 1)]
    if index:
        out.append(_table(["group", "exercise", "verdict", "students", "classic mistake"],
                          index, (3,)))
    out += [_group(n, g, by_id) for n, g in enumerate(report.groups, 1)]
    png = score_png(report)
    out.append("<h2>Score distribution per exercise</h2>")
    out.append(f'<img src="data:image/png;base64,{png}" alt="score distribution per exercise">'
               if png else "<p class=note>No scores yet.</p>")
    out.append(_people("Flagged for review", report.in_state(state.FLAGGED), lambda s: s.why))
    out.append(_people("Unreadable submissions", report.in_state(state.UNREADABLE),
                       lambda s: s.why))
    out.append(_people("Not graded (a grader failure)", report.in_state(state.NOT_GRADED),
                       lambda s: s.why))
    out.append(_people("Late", report.late, lambda s: f"{s.minutes_late:.0f} min late"))
    out.append(_people("Missing (no submission)", report.in_state(state.MISSING),
                       lambda s: "no submission"))
    out.append("</body></html>\n")
    return "\n".join(out)
