"""Output claims: prose that says what a code cell's output shows, checked on the executed notebook.

A code cell whose output the prose describes ("the albums come out torn", "the engine reports the
lock order") carries the tag ``output-claim`` and, in its metadata, what the output must show::

    "metadata": {"tags": ["output-claim"],
                 "output_claim": {"says": "the engine reports a lock-order cycle",
                                  "match": "lock order", "no_match": "every interleaving passed"}}

``match`` and ``no_match`` are regular expressions (``re.search``, case-insensitive, ``^`` and
``$`` matching at line ends, over the
text of the cell's outputs: stdout, stderr and the text form of results and displays); each may
also be a list, every one of which must (or must not) be found. ``says`` is what the prose claims,
quoted in the failure. The lesson checks run every source notebook once; these claims are checked
on that run (docs/lessons.md).
"""

from __future__ import annotations

import re

from nbformat import NotebookNode

TAG = "output-claim"
KEY = "output_claim"
_FLAGS = re.IGNORECASE | re.MULTILINE


def output_text(cell: NotebookNode) -> str:
    """Everything a code cell's outputs say, as text. Consecutive outputs of one stream are one
    text, as a notebook shows them: a kernel may send a line in pieces (``print(a, b)`` from a
    thread, its two writes flushed apart on a busy machine), and no line break is added between
    them."""
    parts: list[str] = []
    previous = None
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        stream = out.get("name") if kind == "stream" else None
        if stream is not None and stream == previous:
            parts[-1] += out.get("text", "")
            continue
        previous = stream
        if kind == "stream":
            parts.append(out.get("text", ""))
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            parts.append(data.get("text/plain", ""))
            if "text/html" in data:
                parts.append(re.sub(r"<[^>]+>", " ", data["text/html"]))
        elif kind == "error":
            parts.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "\n".join(parts)


def _patterns(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def spec_problems(nb: NotebookNode) -> list[str]:
    """Claims that are malformed: a tag without a claim, a claim without a tag or a pattern."""
    problems = []
    for index, cell in enumerate(nb.cells):
        tagged = TAG in cell.get("metadata", {}).get("tags", [])
        claim = cell.get("metadata", {}).get(KEY)
        if not tagged and claim is None:
            continue
        where = f"cell {index}"
        if cell.cell_type != "code":
            problems.append(f"{where}: only a code cell can carry an output claim")
        elif tagged != (claim is not None):
            problems.append(f"{where}: the tag {TAG!r} and the metadata {KEY!r} go together")
        elif not isinstance(claim, dict) or not claim.get("says") or not (
            _patterns(claim.get("match")) or _patterns(claim.get("no_match"))
        ):
            problems.append(f"{where}: {KEY} needs 'says' and a 'match' or 'no_match' pattern")
        else:
            for pattern in _patterns(claim.get("match")) + _patterns(claim.get("no_match")):
                try:
                    re.compile(pattern)
                except re.error as error:
                    problems.append(f"{where}: bad pattern {pattern!r}: {error}")
    return problems


def problems(executed: NotebookNode) -> list[str]:
    """Where an executed notebook's outputs contradict what its prose claims they show."""
    found = spec_problems(executed)
    if found:
        return found
    for index, cell in enumerate(executed.cells):
        claim = cell.get("metadata", {}).get(KEY)
        if claim is None:
            continue
        text = output_text(cell)
        shown = text.strip()[-800:] or "(no output)"
        for pattern in _patterns(claim.get("match")):
            if not re.search(pattern, text, _FLAGS):
                found.append(f"cell {index}: the prose says {claim['says']!r}, but the output "
                             f"does not match {pattern!r}. The output:\n{shown}")
        for pattern in _patterns(claim.get("no_match")):
            if re.search(pattern, text, _FLAGS):
                found.append(f"cell {index}: the prose says {claim['says']!r}, but the output "
                             f"matches {pattern!r}. The output:\n{shown}")
    return found


def count(nb: NotebookNode) -> int:
    return sum(KEY in cell.get("metadata", {}) for cell in nb.cells)
