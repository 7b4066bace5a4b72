"""A static scan of an answer cell (Python's ``ast``) for constructs no honest answer needs.

:func:`scan` returns one :class:`Finding` per suspicious construct, with its line and a reason
keyword (``REASONS``). It reads the code, it never runs it. The scan does not decide a grade: a
flagged submission is graded as usual and marked for manual review
(:mod:`autograder.grading.plugins.review`). It is the backstop of the tamper guard, which cannot
stop every in-process attack (docs/security.md): the constructs such an attack needs (``gc``,
frames, ``ctypes``, writes to ``sys.modules`` or ``builtins``) are exactly what is flagged here.

IPython syntax (``%magic``, ``!command``) is first turned into Python by IPython's own
transformer (when IPython is installed), so ``!cat ../source/...`` is seen as the shell call it is.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

#: Reason keywords, and what each covers.
REASONS = {
    "grader": "changes the grader (the autograder package)",
    "modules": "writes to sys.modules",
    "builtins": "changes or shadows builtins (__builtins__, builtins.*, __import__, str, type...)",
    "imports": "changes how modules are imported (sys.meta_path, sys.path_hooks, importlib)",
    "ipython": "uses IPython's machinery (get_ipython, set_custom_exc, showtraceback, events, "
               "input or AST transformers)",
    "introspection": "reaches into the interpreter (gc, inspect, frames, __subclasses__, "
                     "__globals__, type.__setattr__)",
    "ctypes": "uses ctypes or cffi",
    "threading": "replaces threading/time entry points or the tracing hooks",
    "output": "replaces sys.stdout, sys.stderr or the display/exception hooks",
    "files": "reads or lists files outside the submission (absolute or parent paths, the "
             "course's folders, the gradebook)",
    "process": "runs other programs, signals or exits the process",
    "network": "uses the network",
    "dynamic": "runs code built at run time (exec, eval, compile, __import__)",
}

_MODULE_REASONS = {
    "ctypes": "ctypes", "_ctypes": "ctypes", "cffi": "ctypes",
    "gc": "introspection", "inspect": "introspection",
    "subprocess": "process", "pty": "process", "multiprocessing": "process",
    "socket": "network", "urllib": "network", "http": "network", "requests": "network",
    "ftplib": "network", "smtplib": "network", "xmlrpc": "network", "ssl": "network",
    "sqlite3": "files", "shelve": "files", "dbm": "files",
    "importlib": "imports", "IPython": "ipython", "ipykernel": "ipython",
}
#: Attribute names that only the interpreter's internals or IPython's machinery have.
_ATTR_REASONS = {
    "f_globals": "introspection", "f_locals": "introspection", "f_back": "introspection",
    "f_builtins": "introspection", "f_code": "introspection", "tb_frame": "introspection",
    "gi_frame": "introspection", "cr_frame": "introspection", "ag_frame": "introspection",
    "__globals__": "introspection", "__code__": "introspection", "__closure__": "introspection",
    "__subclasses__": "introspection", "__builtins__": "builtins",
    "_getframe": "introspection", "_current_frames": "introspection",
    "set_custom_exc": "ipython", "showtraceback": "ipython", "_showtraceback": "ipython",
    "showsyntaxerror": "ipython", "input_transformers_cleanup": "ipython",
    "input_transformers_post": "ipython", "ast_transformers": "ipython",
    "input_transformer_manager": "ipython", "display_formatter": "ipython",
    "meta_path": "imports", "path_hooks": "imports", "path_importer_cache": "imports",
}
#: Names of builtins that tests use: binding one at the top level of a cell shadows it.
SHADOWED = frozenset({
    "type", "isinstance", "issubclass", "str", "int", "float", "bool", "object", "len", "print",
    "repr", "getattr", "setattr", "hasattr", "AssertionError", "Exception", "BaseException",
    "ValueError", "KeyError", "RuntimeError", "TypeError", "super", "all", "any", "sorted",
    "set", "frozenset", "list", "dict", "tuple", "callable", "iter", "__import__",
    "__build_class__", "__builtins__", "abs", "round", "min", "max", "sum", "range", "zip",
})
#: Module attribute writes and the reason they are flagged (by the module's name).
_WRITE_REASONS = {
    "autograder": "grader", "builtins": "builtins", "__builtins__": "builtins",
    "threading": "threading", "_thread": "threading", "time": "threading", "queue": "threading",
    "importlib": "imports", "IPython": "ipython",
}
_SYS_WRITES = {
    "modules": "modules", "meta_path": "imports", "path_hooks": "imports", "path": "imports",
    "stdout": "output", "stderr": "output", "displayhook": "output", "excepthook": "output",
    "settrace": "threading", "setprofile": "threading",
}
_SYS_CALLS = {"settrace": "threading", "setprofile": "threading", "_getframe": "introspection",
              "setswitchinterval": "threading", "exit": "process"}
_MUTATORS = frozenset({"append", "insert", "extend", "remove", "pop", "clear", "update",
                       "setdefault", "popitem", "__setitem__", "__delitem__", "register",
                       "unregister"})
_PATH_CALLS = frozenset({
    "open", "io.open", "os.open", "os.listdir", "os.scandir", "os.walk", "os.stat",
    "glob.glob", "glob.iglob", "pathlib.Path", "Path", "os.chdir", "shutil.copy",
    "shutil.copyfile", "shutil.copytree", "shutil.rmtree", "os.remove", "os.unlink",
})
_PATH_WORDS = ("gradebook", "source/", "submitted", "autograded", "nbgrader", ".ipynb",
               "/etc/", "/root", "/home")
_PROCESS_CALLS = frozenset({
    "os.system", "os.popen", "os.fork", "os.kill", "os.killpg", "os._exit", "os.abort",
    "signal.signal", "signal.pthread_kill", "signal.setitimer", "signal.alarm",
})


@dataclass(frozen=True)
class Finding:
    line: int
    reason: str  # a key of REASONS
    detail: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.detail} ({self.reason})"


def python_source(source: str) -> str:
    """The cell's source with IPython syntax (magics, shell escapes) turned into Python."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython is part of the notebook stack
        return source
    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - an odd cell is scanned as it is
        return source


def scan(source: str) -> list[Finding]:
    """The suspicious constructs of a cell's source, in line order (none if it does not parse)."""
    try:
        tree = ast.parse(python_source(source))
    except (SyntaxError, ValueError):
        return []
    visitor = _Scanner()
    visitor.visit(tree)
    visitor.top_level(tree)
    unique = {(f.line, f.reason, f.detail): f for f in visitor.found}
    return sorted(unique.values(), key=lambda f: (f.line, f.reason, f.detail))


def reasons(findings: list[Finding]) -> list[str]:
    """The distinct reason keywords of some findings, in order of first appearance."""
    return list(dict.fromkeys(f.reason for f in findings))


def summary(findings: list[Finding], limit: int = 5) -> str:
    """One line: the reasons and the first few findings."""
    shown = "; ".join(str(f) for f in findings[:limit])
    more = f"; and {len(findings) - limit} more" if len(findings) > limit else ""
    return f"{', '.join(reasons(findings))}: {shown}{more}"


class _Scanner(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[Finding] = []
        self.aliases: dict[str, str] = {}  # local name -> dotted module or object name

    def flag(self, node: ast.AST, reason: str, detail: str) -> None:
        self.found.append(Finding(getattr(node, "lineno", 0), reason, detail))

    # -- names -----------------------------------------------------------------------------

    def dotted(self, node: ast.AST) -> str | None:
        """``a.b.c`` with import aliases resolved (``import sys as s``: ``s.modules`` ->
        ``sys.modules``); a subscript or call keeps its base's name."""
        parts = []
        while True:
            if isinstance(node, ast.Attribute):
                parts.append(node.attr)
                node = node.value
            elif isinstance(node, (ast.Subscript, ast.Call)):
                node = node.value if isinstance(node, ast.Subscript) else node.func
            elif isinstance(node, ast.Name):
                parts.append(self.aliases.get(node.id, node.id))
                break
            else:
                return None
        return ".".join(reversed(parts))

    # -- imports ---------------------------------------------------------------------------

    def _module(self, node: ast.AST, name: str) -> None:
        top = name.split(".")[0]
        reason = _MODULE_REASONS.get(name) or _MODULE_REASONS.get(top)
        if reason:
            self.flag(node, reason, f"imports {name}")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(node, alias.name)
            if alias.asname:
                self.aliases[alias.asname] = alias.name
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self._module(node, module)
        for alias in node.names:
            self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
            full = f"{module}.{alias.name}"
            if module == "sys" and alias.name in ("modules", "_getframe", "meta_path"):
                self.flag(node, _SYS_WRITES.get(alias.name) or "introspection",
                          f"imports {full}")
            if module == "builtins" and alias.name in ("__import__", "__build_class__"):
                self.flag(node, "builtins", f"imports {full}")
        self.generic_visit(node)

    # -- writes ----------------------------------------------------------------------------

    def _write(self, node: ast.AST, target: ast.AST, verb: str) -> None:
        name = self.dotted(target)
        if name is None:
            return
        parts = name.split(".")
        if isinstance(target, ast.Attribute) and target.attr == "__class__":
            self.flag(node, "introspection", f"{verb} {name}")
        if isinstance(target, ast.Subscript):
            base = self.dotted(target.value) or ""
            if base.endswith("__dict__") or isinstance(target.value, ast.Call) and (
                    isinstance(target.value.func, ast.Name) and target.value.func.id == "vars"):
                if not base.startswith("self."):
                    self.flag(node, "introspection", f"{verb} {base}[...] directly")
        if parts[0] == "sys" and len(parts) > 1 and parts[1] in _SYS_WRITES:
            self.flag(node, _SYS_WRITES[parts[1]], f"{verb} {name}")
        elif parts[0] in _WRITE_REASONS and (len(parts) > 1 or isinstance(target, ast.Subscript)):
            self.flag(node, _WRITE_REASONS[parts[0]], f"{verb} {name}")
        elif parts[0] == "__builtins__":
            self.flag(node, "builtins", f"{verb} {name}")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            for t in _targets(target):
                self._write(node, t, "assigns")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._write(node, node.target, "changes")
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._write(node, node.target, "assigns")
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._write(node, target, "deletes")
        self.generic_visit(node)

    # -- uses ------------------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "get_ipython":
            self.flag(node, "ipython", "calls get_ipython()")
        elif node.id == "__builtins__":
            self.flag(node, "builtins", "uses __builtins__")
        elif node.id == "__import__":
            self.flag(node, "dynamic", "uses __import__")
        elif node.id in ("exec", "eval", "compile") and isinstance(node.ctx, ast.Load):
            self.flag(node, "dynamic", f"uses {node.id}()")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        reason = _ATTR_REASONS.get(node.attr)
        if reason:
            self.flag(node, reason, f"uses .{node.attr}")
        if node.attr == "__dict__" and _watched_module(self.dotted(node.value)):
            self.flag(node, "introspection", f"uses {self.dotted(node.value)}.__dict__")
        if node.attr in ("parent", "parents") and isinstance(node.value, ast.Attribute) and (
                node.value.attr in ("parent", "parents")):
            self.flag(node, "files", "walks up the folders (.parent.parent)")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and (
                ".." in node.value.replace("...", "") and "/" in node.value
                or any(word in node.value for word in _PATH_WORDS)):
            self.flag(node, "files", f"names the path {node.value[:60]!r}")

    def visit_Call(self, node: ast.Call) -> None:
        name = self.dotted(node.func) or ""
        parts = name.split(".")
        if parts[0] == "sys" and len(parts) == 2 and parts[1] in _SYS_CALLS:
            self.flag(node, _SYS_CALLS[parts[1]], f"calls {name}()")
        if name in ("threading.settrace", "threading.setprofile", "threading.settrace_all_threads"):
            self.flag(node, "threading", f"calls {name}()")
        if parts[0] == "get_ipython" and parts[-1] in ("system", "getoutput", "system_piped",
                                                         "system_raw"):
            self.flag(node, "process", "runs a shell command (!command)")
        if name in _PROCESS_CALLS or parts[0] == "os" and len(parts) == 2 and (
                parts[1].startswith(("exec", "spawn", "posix_spawn"))):
            self.flag(node, "process", f"calls {name}()")
        if name == "vars" and node.args and _watched_module(self.dotted(node.args[0])):
            self.flag(node, "introspection", f"uses vars({self.dotted(node.args[0])})")
        if name in ("type.__setattr__", "object.__setattr__", "type.__delattr__",
                    "object.__delattr__"):
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Name) and first.id in ("self", "cls")):
                self.flag(node, "introspection", f"calls {name}() on another object")
        if name in ("setattr", "delattr") and node.args:
            owner = self.dotted(node.args[0]) or ""
            top = owner.split(".")[0]
            if top in _WRITE_REASONS or top == "sys":
                self.flag(node, _WRITE_REASONS.get(top, "modules"), f"calls {name}({owner}, ...)")
        if parts[-1] in _MUTATORS and len(parts) >= 2:
            owner = ".".join(parts[:-1])
            owner_parts = owner.split(".")
            if owner_parts[0] == "sys" and len(owner_parts) > 1 and (
                    owner_parts[1] in _SYS_WRITES):
                self.flag(node, _SYS_WRITES[owner_parts[1]], f"calls {name}()")
            elif owner.endswith("events") and parts[-1] in ("register", "unregister"):
                self.flag(node, "ipython", f"calls {name}()")
            elif owner_parts[0] in ("builtins", "__builtins__"):
                self.flag(node, "builtins", f"calls {name}()")
        if name in _PATH_CALLS or parts[-1] in ("read_text", "read_bytes", "iterdir", "glob",
                                                 "rglob") and len(parts) > 1:
            self._path_args(node, name)
        if name in ("os.getcwd", "pathlib.Path.cwd", "Path.cwd", "os.path.expanduser",
                    "pathlib.Path.home", "Path.home"):
            self.flag(node, "files", f"calls {name}()")
        self.generic_visit(node)

    def _path_args(self, node: ast.Call, name: str) -> None:
        for arg in node.args[:1]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and (
                    arg.value.startswith(("/", "~")) or ".." in arg.value):
                self.flag(node, "files", f"calls {name}({arg.value[:60]!r})")

    # -- the cell's top level ----------------------------------------------------------------

    def top_level(self, tree: ast.Module) -> None:
        """Names bound at the top level of the cell that shadow builtins the tests use."""
        for stmt in tree.body:
            for name, node in _bound_names(stmt):
                if name in SHADOWED:
                    self.flag(node, "builtins", f"shadows the builtin {name}")


def _watched_module(name: str | None) -> bool:
    """A module whose namespace the tests rely on (the grader, builtins, sys, threading...)."""
    return bool(name) and (name.split(".")[0] in _WRITE_REASONS or name.split(".")[0] == "sys")


def _targets(target: ast.AST):
    if isinstance(target, (ast.Tuple, ast.List)):
        for item in target.elts:
            yield from _targets(item)
    elif isinstance(target, ast.Starred):
        yield from _targets(target.value)
    else:
        yield target


def _bound_names(stmt: ast.stmt):
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield stmt.name, stmt
    elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            for t in _targets(target):
                if isinstance(t, ast.Name):
                    yield t.id, stmt
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        for alias in stmt.names:
            bound = alias.asname or alias.name.split(".")[0]
            if bound != "*":
                yield bound, stmt
    elif isinstance(stmt, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
        for child in ast.iter_child_nodes(stmt):
            if isinstance(child, ast.stmt):
                yield from _bound_names(child)
        for handler in getattr(stmt, "handlers", []):
            for child in handler.body:
                yield from _bound_names(child)
