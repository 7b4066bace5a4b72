"""The lesson checks and the answer corpora: ``checks`` (every lesson check), ``corpus`` (answers
with their expected grade), ``claims`` (prose about outputs), ``visible`` (self-study grading),
``run`` (a notebook run as nbgrader validates it) and ``nbgrade`` (real nbgrader runs)."""
