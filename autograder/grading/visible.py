"""``python -m autograder.grading.visible``, the documented command for self-study grading: the
module is :mod:`autograder.grading.checks.visible`."""

import sys

from .checks.visible import main

if __name__ == "__main__":
    sys.exit(main())
