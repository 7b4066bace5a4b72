"""The nbgrader plug-ins that ``nbgrader_config.py`` names: the grading executor (``execute``,
``guarded``), feedback (``feedback``, ``templates/``), manual review flags (``review``), deleted
test cells (``deleted_tests``) and per-submission timing (``timing``)."""
