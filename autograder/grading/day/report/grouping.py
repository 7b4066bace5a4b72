"""Wrong answers grouped by their failure: one group per exercise x verdict x answer lines.

A group's key is the exercise, the verdict (Lost update, Deadlock, Spinning, Exception, ...) and
the *shape* of the answer's lines the failure involved: each line normalised so that the same
mistake in differently named code lands in one group:

- identifiers the answer cell binds (its classes, functions, parameters, variables, the
  attributes it assigns and those its methods use on their own instance, ``self._lock`` or
  ``self.lock`` alike) become ``v1``, ``v2``, ... in the order they first appear in the line;
  an import alias becomes the name it stands for (``th.Lock()`` is ``threading.Lock()``);
- every other name stays: keywords, builtins, modules, the methods of the library's objects
  (``acquire``, ``release``, ``wait``, ``notify_all``, ``append``, ...), the given code's
  attributes the answer only reads;
- numbers become ``N``, strings ``S``, comments and spacing go.

Each line's shape is indented by how deep it is nested in its function (inside or outside a
``with lock:`` is often the mistake). The key holds the set of shapes (sorted by their text,
then depth: the order of a class's methods does not matter). A failure that involves no line
of the answer (a check of a returned value that failed) is told apart by the test cell that
failed and the first line of its message (the test's input and what the answer returned).

Groups are ordered largest first, then by exercise (notebook order), verdict and lines: the
same submissions always give the same groups, in the same order, with the same representative
(the member whose failing interleaving has the fewest steps, then the first student id).
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ...sandbox.failure_record import FAILED_CHECK
from .failures import NO_RECORD, Failure

_TOKEN = re.compile(r"""
    (?P<comment>\#.*)
  | (?P<string>[rRbBuUfF]{0,2}(?:"(?:\\.|[^"\\])*"?|'(?:\\.|[^'\\])*'?))
  | (?P<number>(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)
  | (?P<name>[^\W\d]\w*)
  | (?P<op>\*\*=|//=|>>=|<<=|->|:=|[-+*/%&|^@<>=!]=|\*\*|//|<<|>>|\S)
""", re.VERBOSE)
_KEEP = set(keyword.kwlist) | set(getattr(keyword, "softkwlist", [])) | set(dir(builtins))


@dataclass(frozen=True)
class Names:
    """What the answer cell binds (renamed), and its import aliases (name -> real name)."""

    bound: frozenset[str] = frozenset()
    aliases: tuple[tuple[str, str], ...] = ()


def names_of(source: str) -> Names:
    """The identifiers an answer cell binds, read with ``ast`` (none when it does not parse:
    then every name that is not a keyword or builtin counts as the student's)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return Names(frozenset({"*"}))
    bound: set[str] = set()
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.attr)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.asname and alias.asname != alias.name:
                    aliases[alias.asname] = alias.name.rsplit(".", 1)[-1] if isinstance(
                        node, ast.ImportFrom) else alias.name
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        if isinstance(node, ast.ClassDef):
            bound |= _own_attributes(node)
    bound -= set(aliases)
    return Names(frozenset(bound), tuple(sorted(aliases.items())))


def _own_attributes(klass: ast.ClassDef) -> set[str]:
    """The attributes a class's methods use on their own instance (``self.<name>``, whatever
    the first parameter is called): the student's state and methods."""
    found: set[str] = set()
    for method in klass.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or not (
                method.args.posonlyargs or method.args.args):
            continue
        me = (method.args.posonlyargs or method.args.args)[0].arg
        found |= {n.attr for n in ast.walk(method) if isinstance(n, ast.Attribute)
                  and isinstance(n.value, ast.Name) and n.value.id == me}
    return found


def normalise(line: str, names: Names) -> str:
    """A source line's shape (see the module's docstring): ``self._n += 1`` and
    ``self.count += 1`` are both ``v1.v2 += N``."""
    everything = "*" in names.bound
    aliases = dict(names.aliases)
    placeholder: dict[str, str] = {}
    out = []
    for m in _TOKEN.finditer(line):
        kind, text = m.lastgroup, m.group()
        if kind == "comment":
            break
        if kind == "string":
            out.append("S")
        elif kind == "number":
            out.append("N")
        elif kind == "name":
            if text in aliases:
                out.append(aliases[text])
            elif text in names.bound or (everything and text not in _KEEP):
                out.append(placeholder.setdefault(text, f"v{len(placeholder) + 1}"))
            else:
                out.append(text)
        else:
            out.append(text)
    return join(out)


def join(tokens: list[str]) -> str:
    """Tokens as one line, spaced the usual way (``v1.v2 += N``, ``v3.acquire()``)."""
    text = ""
    for i, token in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        tight = (not text or token in ".,:)]" or prev in ".([" or (
            token in "([" and (prev in ")]" or prev.isidentifier())
            and not keyword.iskeyword(prev)))
        text += token if tight else " " + token
    return text


@dataclass(frozen=True)
class Key:
    exercise: str
    verdict: str
    lines: tuple[str, ...]
    #: the failing test cell, when no line of the answer is involved ("" otherwise)
    test: str = ""


def depths(source: str) -> dict[int, int]:
    """Line number -> how deep its statement is nested in its function (or class, or the cell):
    0 for a function's own statements, 1 inside one ``with``, ``if``, ``for``, ``try`` ..."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    found: dict[int, int] = {}

    def visit(body: list[ast.stmt], depth: int) -> None:
        for stmt in body:
            for line in range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1):
                found.setdefault(line, depth)
            scope = isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            inner = 0 if scope else depth + 1
            for name in ("body", "orelse", "finalbody"):
                block = getattr(stmt, name, None)
                if isinstance(block, list):
                    for child in block:  # a nested block's lines are its own depth
                        for line in range(child.lineno, (child.end_lineno or child.lineno) + 1):
                            found.pop(line, None)
                    visit(block, inner)
            for handler in getattr(stmt, "handlers", []):
                for child in handler.body:
                    for line in range(child.lineno, (child.end_lineno or child.lineno) + 1):
                        found.pop(line, None)
                visit(handler.body, inner)
            for case in getattr(stmt, "cases", []):
                visit(case.body, inner)

    visit(tree.body, 0)
    return found


#: How a line's depth is shown in its shape: this many spaces per level.
INDENT = "    "


def key_of(failure: Failure, answer_source: str) -> Key:
    """The group a failure belongs to: each line's shape indented by its depth in its function
    (inside or outside a ``with lock:`` is the mistake, often)."""
    names, depth = names_of(answer_source), depths(answer_source)
    lines = {INDENT * depth.get(line.number, 0) + normalise(line.source, names)
             for line in failure.lines}
    shapes = tuple(sorted((line for line in lines if line.strip()),
                          key=lambda line: (line.lstrip(), line)))
    return Key(failure.exercise, failure.verdict, shapes, "" if shapes else check_of(failure))


_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
#: The longest check a key holds (the first line of a failed check's message).
MAX_CHECK = 300


def check_of(failure: Failure) -> str:
    """What tells apart failures that involve no line of the answer: the test cell, and for a
    failed check, the first line of its message (the test's input and what the answer returned:
    the same wrong function returns the same wrong value), object addresses left out."""
    if failure.verdict not in (FAILED_CHECK, NO_RECORD):
        return failure.test
    first = failure.message.strip().split("\n", 1)[0]
    return f"{failure.test}: {_ADDRESS.sub('0x...', ' '.join(first.split()))[:MAX_CHECK]}"


@dataclass
class Member:
    student: str
    failure: Failure
    #: the student's answer cell source (the lines are shown from it)
    answer: str = ""


@dataclass
class Group:
    key: Key
    members: list[Member] = field(default_factory=list)
    #: the classic mistake of the course's corpus the group matches ("" when none)
    mistake: str = ""

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def students(self) -> list[str]:
        return [m.student for m in self.members]

    @property
    def representative(self) -> Member:
        """The member whose failing run is the shortest (a picture is easiest to read then);
        among equals, the first student id."""
        return min(self.members, key=lambda m: (not m.failure.png, m.failure.steps or 10**9,
                                                m.student))

    @property
    def tests(self) -> list[tuple[str, int]]:
        """The failing test cells the members failed first, with how many did."""
        counts: dict[str, int] = {}
        for m in self.members:
            counts[m.failure.test] = counts.get(m.failure.test, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def group(wrong: Iterable[Member], order: list[str] | None = None,
          mistakes: dict[Key, str] | None = None) -> list[Group]:
    """Members (one per wrong answer) grouped by :func:`key_of`; largest first, then by
    exercise (in ``order``, the lesson's), verdict, lines and test; members by student id.
    A group whose key is in ``mistakes`` (:mod:`.classic`) is that classic mistake."""
    groups: dict[Key, Group] = {}
    for member in wrong:
        key = key_of(member.failure, member.answer)
        groups.setdefault(key, Group(key)).members.append(member)
    rank = {exercise: i for i, exercise in enumerate(order or [])}
    out = sorted(groups.values(), key=lambda g: (
        -g.size, rank.get(g.key.exercise, len(rank)), g.key.exercise, g.key.verdict,
        g.key.lines, g.key.test))
    for g in out:
        g.members.sort(key=lambda m: m.student)
        g.mistake = (mistakes or {}).get(g.key, "")
    return out
