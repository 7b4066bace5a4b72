"""Concurrency mutation operators, written on ``ast`` (the list, with examples: docs/mutants.md).

After the ConMAn operators (Bradbury, Cordy, Dingel, "Mutation Operators for Concurrent Java",
Mutation 2006), for Python's ``threading``. An operator finds its *sites* in a module (the nodes
it can change, in ``ast.walk`` order) and makes one mutant per site: a changed copy of the tree.
A site whose change leaves the code as it was (the same ``ast.unparse``) makes no mutant.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

#: Calls whose removal is a mutant (RNA, RCXC, "remove a notify/set/release/join").
REMOVABLE_CALLS = ("notify", "notify_all", "set", "release", "join")
#: Constructors whose count argument changes by one (MSP for Semaphore, and Barrier's parties).
COUNTED = ("Semaphore", "BoundedSemaphore", "Barrier")


@dataclass(frozen=True)
class Operator:
    name: str
    doc: str
    #: the sites of a tree (nodes), in a deterministic order
    sites: Callable[[ast.AST], list[ast.AST]]
    #: changes one site of a tree in place (parents: child -> (parent, field, index));
    #: returns False when the change does not apply there
    change: Callable[[ast.AST, ast.AST, dict], bool]


@dataclass(frozen=True)
class Mutant:
    operator: str
    site: int  # the site's number, for that operator
    line: int  # the site's line in the original source
    source: str  # the mutated module, unparsed


def _parents(tree: ast.AST) -> dict[int, tuple[ast.AST, str, int | None]]:
    found: dict[int, tuple[ast.AST, str, int | None]] = {}
    for node in ast.walk(tree):
        for name, value in ast.iter_fields(node):
            if isinstance(value, list):
                for i, child in enumerate(value):
                    if isinstance(child, ast.AST):
                        found[id(child)] = (node, name, i)
            elif isinstance(value, ast.AST):
                found[id(value)] = (node, name, None)
    return found


def _replace(node: ast.AST, parents: dict, new: list[ast.stmt]) -> None:
    """Put the statements `new` where the statement `node` is (none: `pass`)."""
    parent, name, _ = parents[id(node)]
    body = getattr(parent, name)
    index = next(i for i, stmt in enumerate(body) if stmt is node)
    body[index:index + 1] = new
    if not body:
        body.append(ast.Pass())


def _method(call: ast.AST) -> str | None:
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _callee(call: ast.AST) -> str | None:
    """The called name: ``threading.Lock()`` -> ``Lock``, ``Lock()`` -> ``Lock``."""
    if not isinstance(call, ast.Call):
        return None
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _is_lock_with(node: ast.AST) -> bool:
    """A ``with`` on something other than a file (``open(...)``) or a helper's call."""
    if not isinstance(node, ast.With):
        return False
    return all(not isinstance(item.context_expr, ast.Call) or _callee(item.context_expr) in (
        "Lock", "RLock") for item in node.items)


def _walk(tree: ast.AST, keep: Callable[[ast.AST], bool]) -> list[ast.AST]:
    return [node for node in ast.walk(tree) if keep(node)]


# -- remove a synchronized block, an acquire/release pair, a call ------------------------------


def _remove_with(node, tree, parents) -> bool:
    _replace(node, parents, list(node.body))
    return True


def _is_call_stmt(node: ast.AST, names) -> bool:
    return isinstance(node, ast.Expr) and _method(node.value) in names


def _remove_pair(node, tree, parents) -> bool:
    """`x.acquire()` and the `x.release()` statements of the same function."""
    target = ast.unparse(node.value.func.value)
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    scope = next((n for n in ast.walk(tree) if isinstance(n, functions)
                  and any(s is node for s in ast.walk(n))), tree)
    releases = [n for n in ast.walk(scope) if _is_call_stmt(n, ("release",))
                and ast.unparse(n.value.func.value) == target]
    if not releases:
        return False
    for stmt in [node, *releases]:
        _replace(stmt, parents, [])
    return True


def _remove_call(node, tree, parents) -> bool:
    _replace(node, parents, [])
    return True


def _notify_all_to_notify(node, tree, parents) -> bool:
    node.func.attr = "notify"
    return True


# -- critical regions: shrink, shift, split, expand -------------------------------------------


def _region_sites(tree):
    return _walk(tree, lambda n: _is_lock_with(n) and len(n.body) >= 2)


def _shrink_first(node, tree, parents) -> bool:
    """The region's first statement moved before it."""
    first = node.body.pop(0)
    parent, name, index = parents[id(node)]
    getattr(parent, name).insert(index, first)
    return True


def _shrink_last(node, tree, parents) -> bool:
    """The region's last statement moved after it."""
    last = node.body.pop()
    parent, name, index = parents[id(node)]
    getattr(parent, name).insert(index + 1, last)
    return True


def _split(node, tree, parents) -> bool:
    """The region split in two halves, the lock released and taken again in between."""
    middle = len(node.body) // 2
    second = ast.With(items=copy.deepcopy(node.items), body=node.body[middle:])
    node.body = node.body[:middle]
    parent, name, index = parents[id(node)]
    getattr(parent, name).insert(index + 1, second)
    return True


def _neighbours(tree):
    return _walk(tree, _is_lock_with)


def _expand(node, tree, parents) -> bool:
    """The statement after the region moved into it (or, when none, the one before)."""
    parent, name, index = parents[id(node)]
    body = getattr(parent, name)
    if index + 1 < len(body):
        node.body.append(body.pop(index + 1))
        return True
    if index > 0 and not isinstance(body[index - 1], (ast.Return, ast.Raise)):
        node.body.insert(0, body.pop(index - 1))
        return True
    return False


def _shift(node, tree, parents) -> bool:
    """The region shifted down one statement: its first statement moves before it, the
    statement after it moves in."""
    parent, name, index = parents[id(node)]
    body = getattr(parent, name)
    if index + 1 >= len(body) or len(node.body) < 1:
        return False
    following = body.pop(index + 1)
    first = node.body.pop(0)
    node.body.append(following)
    body.insert(index, first)
    return True


# -- condition variables, nested locks, finally, counts, classes, timeouts --------------------


def _has_wait(node: ast.AST) -> bool:
    return any(_method(n) in ("wait", "wait_for") for n in ast.walk(node))


def _while_to_if(node, tree, parents) -> bool:
    _replace(node, parents, [ast.If(test=node.test, body=node.body, orelse=node.orelse)])
    return True


def _nested_sites(tree):
    """`with a, b:`; `with a:` whose body is `with b:`; `a.acquire()` followed by
    `b.acquire()`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.With) and len(node.items) >= 2:
            found.append(node)
        elif isinstance(node, ast.With) and len(node.items) == 1 and isinstance(
                node.body[0], ast.With) and len(node.body[0].items) == 1:
            found.append(node)
        for name in ("body", "orelse", "finalbody"):
            stmts = getattr(node, name, None)
            if isinstance(stmts, list):
                for a, b in zip(stmts, stmts[1:], strict=False):
                    if _is_call_stmt(a, ("acquire",)) and _is_call_stmt(b, ("acquire",)):
                        found.append(a)
    return found


def _exchange(node, tree, parents) -> bool:
    if isinstance(node, ast.With) and len(node.items) >= 2:
        node.items[0], node.items[1] = node.items[1], node.items[0]
    elif isinstance(node, ast.With):
        inner = node.body[0]
        node.items, inner.items = inner.items, node.items
    else:
        parent, name, index = parents[id(node)]
        body = getattr(parent, name)
        a, b = body[index].value.func, body[index + 1].value.func
        a.value, b.value = b.value, a.value
    return True


def _remove_finally(node, tree, parents) -> bool:
    """`try: body finally: cleanup` -> `body; cleanup` (no cleanup on an exception)."""
    if node.handlers:
        node.finalbody, rest = [], node.finalbody
        parent, name, index = parents[id(node)]
        getattr(parent, name)[index + 1:index + 1] = rest
        return True
    _replace(node, parents, [*node.body, *node.orelse, *node.finalbody])
    return True


def _count(delta: int):
    def change(node, tree, parents) -> bool:
        if node.args:
            node.args[0] = ast.BinOp(node.args[0], ast.Add() if delta > 0 else ast.Sub(),
                                     ast.Constant(abs(delta)))
            return True
        for kw in node.keywords:
            if kw.arg in ("value", "parties"):
                kw.value = ast.BinOp(kw.value, ast.Add() if delta > 0 else ast.Sub(),
                                     ast.Constant(abs(delta)))
                return True
        if delta > 0 and _callee(node) != "Barrier":  # Semaphore() counts 1
            node.args = [ast.Constant(1 + delta)]
            return True
        return False
    return change


def _rename(new: str):
    def change(node, tree, parents) -> bool:
        if isinstance(node.func, ast.Attribute):
            node.func.attr = new
        else:
            node.func.id = new
        return True
    return change


def _timeout_sites(tree):
    return _walk(tree, lambda n: isinstance(n, ast.Call) and (
        any(kw.arg == "timeout" for kw in n.keywords)
        or (_method(n) in ("wait", "join") and len(n.args) == 1)
        or (_method(n) == "acquire" and len(n.args) == 2)))


def _drop_timeout(node, tree, parents) -> bool:
    before = len(node.keywords)
    node.keywords = [kw for kw in node.keywords if kw.arg != "timeout"]
    if len(node.keywords) == before:
        node.args = node.args[:-1]
    return True


def _check_sites(tree):
    return [n for n in _walk(tree, _is_lock_with) if any(isinstance(s, ast.If) for s in n.body)]


def _check_outside(node, tree, parents) -> bool:
    """Check-then-act: the test of the region's first `if` evaluated before taking the lock."""
    test_if = next(s for s in node.body if isinstance(s, ast.If))
    flag = ast.Name("_checked_outside_the_lock", ast.Store())
    parent, name, index = parents[id(node)]
    getattr(parent, name).insert(index, ast.Assign(targets=[flag], value=test_if.test))
    test_if.test = ast.Name("_checked_outside_the_lock", ast.Load())
    return True


OPERATORS: tuple[Operator, ...] = (
    Operator("remove_with", "remove a `with lock:` (its body stays, unlocked)",
             lambda t: _walk(t, _is_lock_with), _remove_with),
    Operator("remove_acquire_release", "remove an `x.acquire()` and its `x.release()` calls",
             lambda t: _walk(t, lambda n: _is_call_stmt(n, ("acquire",))), _remove_pair),
    Operator("remove_call", "remove a `notify()`, `notify_all()`, `set()`, `release()` or "
             "`join()` statement",
             lambda t: _walk(t, lambda n: _is_call_stmt(n, REMOVABLE_CALLS)), _remove_call),
    Operator("notify_all_to_notify", "replace `notify_all()` with `notify()`",
             lambda t: _walk(t, lambda n: _method(n) == "notify_all"), _notify_all_to_notify),
    Operator("shrink_region_start", "shrink a critical region: its first statement moves before "
             "the `with`", _region_sites, _shrink_first),
    Operator("shrink_region_end", "shrink a critical region: its last statement moves after "
             "the `with`", _region_sites, _shrink_last),
    Operator("split_region", "split a critical region in two (the lock is released and taken "
             "again in the middle)", _region_sites, _split),
    Operator("expand_region", "expand a critical region over the statement after it (or before "
             "it)", _neighbours, _expand),
    Operator("shift_region", "shift a critical region down one statement", _neighbours, _shift),
    Operator("while_to_if", "the `while` around a `wait()` becomes an `if`",
             lambda t: _walk(t, lambda n: isinstance(n, ast.While) and _has_wait(n)),
             _while_to_if),
    Operator("exchange_locks", "exchange the two locks of a nested acquire (`with a, b:`, "
             "`with a:` / `with b:`, `a.acquire()` / `b.acquire()`)", _nested_sites, _exchange),
    Operator("remove_finally", "remove the `finally` around a release: the cleanup runs only "
             "when nothing raised",
             lambda t: _walk(t, lambda n: isinstance(n, ast.Try) and bool(n.finalbody)),
             _remove_finally),
    Operator("count_plus_one", "a Semaphore's, BoundedSemaphore's or Barrier's count + 1",
             lambda t: _walk(t, lambda n: _callee(n) in COUNTED), _count(+1)),
    Operator("count_minus_one", "a Semaphore's, BoundedSemaphore's or Barrier's count - 1",
             lambda t: _walk(t, lambda n: _callee(n) in COUNTED), _count(-1)),
    Operator("bounded_to_semaphore", "`BoundedSemaphore` becomes `Semaphore`",
             lambda t: _walk(t, lambda n: _callee(n) == "BoundedSemaphore"),
             _rename("Semaphore")),
    Operator("rlock_to_lock", "`RLock` becomes `Lock`",
             lambda t: _walk(t, lambda n: _callee(n) == "RLock"), _rename("Lock")),
    Operator("drop_timeout", "drop a timeout: the `timeout=` of a call, the timeout argument of "
             "`wait(t)`, `join(t)` or `acquire(blocking, t)`", _timeout_sites, _drop_timeout),
    Operator("check_outside_lock", "check-then-act: the test of an `if` in a critical region is "
             "evaluated before the lock is taken", _check_sites, _check_outside),
)

BY_NAME = {op.name: op for op in OPERATORS}


def mutate(source: str, operators=OPERATORS) -> Iterator[Mutant]:
    """Every mutant of `source` (a module) by these operators, each a distinct module."""
    tree = ast.parse(source)
    original = ast.unparse(tree)
    seen = {original}
    for op in operators:
        for site, node in enumerate(op.sites(tree)):
            line = getattr(node, "lineno", 0)
            changed = copy.deepcopy(tree)
            target = op.sites(changed)[site]
            if not op.change(target, changed, _parents(changed)):
                continue
            text = ast.unparse(ast.fix_missing_locations(changed))
            if text in seen:
                continue
            seen.add(text)
            yield Mutant(op.name, site, line, text)
