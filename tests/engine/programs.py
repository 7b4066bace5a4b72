"""Small programs several engine tests run (a test file, so the engine traces it)."""

from __future__ import annotations

import threading
from types import SimpleNamespace


def two_locks() -> SimpleNamespace:
    """Fresh state with two locks, ``a`` and ``b``."""
    return SimpleNamespace(a=threading.Lock(), b=threading.Lock())


def ab(s: SimpleNamespace) -> None:
    """Take ``a``, then ``b``."""
    with s.a:
        with s.b:
            pass


def ba(s: SimpleNamespace) -> None:
    """Take ``b``, then ``a``: against :func:`ab`, the classic deadlock."""
    with s.b:
        with s.a:
            pass
