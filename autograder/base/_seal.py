"""Keep the code under test from rewriting the grader: sealed modules and classes.

``import autograder; autograder.explore = lambda *a, **k: ...`` in an answer cell would make every
test cell pass. The engine's modules and public classes refuse such assignments with a clear
error; they still load lazily (module globals are written through their dict, not setattr).
"""

from __future__ import annotations

import sys
import types
from typing import Any

_MESSAGE = ("the grader's {what} cannot be changed by the code under test "
            "(tried to set {name!r})")


class SealedModule(types.ModuleType):
    """A module whose attributes cannot be assigned or deleted from outside."""

    def __setattr__(self, name: str, value: Any) -> None:
        submodule = isinstance(value, types.ModuleType) and value.__name__ == (
            f"{self.__name__}.{name}")  # the import system recording a submodule
        if submodule or (name.startswith("__") and name.endswith("__")):
            super().__setattr__(name, value)
            return
        raise PermissionError(_MESSAGE.format(what=f"module {self.__name__}", name=name))

    def __delattr__(self, name: str) -> None:
        raise PermissionError(_MESSAGE.format(what=f"module {self.__name__}", name=name))


class Sealed(type):
    """A metaclass: once its module is sealed, the class's attributes cannot be replaced
    (decorators such as ``@dataclass`` may still finish the class before that)."""

    def __setattr__(cls, name: str, value: Any) -> None:
        if cls.__dict__.get("_sealed_"):
            raise PermissionError(_MESSAGE.format(what=f"class {cls.__name__}", name=name))
        super().__setattr__(name, value)

    def __delattr__(cls, name: str) -> None:
        if cls.__dict__.get("_sealed_"):
            raise PermissionError(_MESSAGE.format(what=f"class {cls.__name__}", name=name))
        super().__delattr__(name)


def seal(module_name: str) -> None:
    """Seal the module ``module_name`` (already imported) and the classes defined in it."""
    module = sys.modules[module_name]
    if isinstance(module, SealedModule):
        return
    for value in list(vars(module).values()):
        if isinstance(value, Sealed) and value.__module__ == module_name:
            type.__setattr__(value, "_sealed_", True)
    module.__class__ = SealedModule
