"""Recording: what real threads do with real primitives, as an ``autograder.base.trace.Trace``.

Standard library only (plus the engine's trace data model): importing ``course`` imports this
group at once, and it must not pull in matplotlib or ipywidgets.

- ``recorder``: ``record()``, ``Recorder``, ``label()``: swaps the ``threading`` factories for
  recording ones inside a ``with`` block and builds the trace;
- ``wrappers``: the recording ``Lock``, ``RLock``, ``Semaphore``, ``BoundedSemaphore``, ``Event``
  and ``Condition`` around the real ones;
- ``moments``: what a trace means at a moment (who holds what, who waits for what, wait-for
  cycles), shared by the recorder and by the pictures.
"""
