"""``python -m autograder.grading.bench``: the grading-day benchmark (:mod:`.grading_day`)."""

from .grading_day import main

raise SystemExit(main())
