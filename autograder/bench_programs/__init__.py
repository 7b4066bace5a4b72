"""The benchmark's programs, one module per program, each a real ``.py`` file.

Both engines trace the code they run by its file, and frontrun skips code whose file name starts
with ``<`` (``exec``'d strings), so every program lives in its own module here. Each module
defines:

``setup()``
    Fresh shared state for one execution.
``threads``
    The thread bodies: a list of callables, each taking the state.
``invariant(state)``
    Raises ``AssertionError`` (or returns ``False``) when the final state is wrong; ``None``
    when the program has no invariant (a deadlock program: the failure is not finishing).
``EXPECTED``
    ``"ok"`` for a correct program, otherwise the failure an engine should report:
    ``"invariant"``, ``"exception"`` or ``"deadlock"``.

Locks are made inside ``setup()`` through ``threading.Lock()`` (never ``from threading import
Lock`` at import time), so a lock always has the type in force when the state is built: the real
one for our engine (which swaps real primitives it finds in the state for its own), frontrun's
cooperative one while frontrun's ``patch_locks()`` is in force.

Listed in the order the benchmark runs them.
"""

PROGRAMS = (
    "unlocked_counter",
    "two_lock_deadlock",
    "locked_counter",
    "transfer_abba",
    "bounded_buffer_if",
    "bounded_buffer_while",
    "semaphore_three",
    "readers_writers",
    "dining_philosophers_3",
    "dining_philosophers_4",
    "dining_philosophers_5",
)
