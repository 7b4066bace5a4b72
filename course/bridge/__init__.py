"""The bridge to the engine: the engine's runs (``autograder``) made into what a lesson shows.

Imports ``course.recording`` and ``course.drawing``; no widgets.

- ``counterexample``: ``counterexample()`` and ``walk()``, an interleaving replayed step by step on
  the engine's manual scheduler, with its timeline, table and wait-for graph;
- ``game``: the logic of "you are the scheduler" (``SchedulerGame``, the goals), with no widgets;
- ``failure_picture``: the failing interleaving's timeline above a failing test's message
  (registered with ``autograder.exploration.report.on_failure`` by ``import course``).
"""
