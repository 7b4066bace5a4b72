"""Layer 3, sync: the controlled primitives, one per file, and the patches that put them in place.

``base`` (what every primitive shares, and the registry), then one file per primitive: ``lock``,
``rlock``, ``semaphore`` (with ``BoundedSemaphore``), ``event``, ``condition``, ``barrier``;
``thread`` (start, join, current_thread) and ``clock`` (sleep and the virtual clock); and
``patching``, which installs all of them for a run from the registry alone. This layer imports
only :mod:`autograder.base` and :mod:`autograder.runtime`.

The registry: each line below imports one primitive's file, whose ``@primitive`` class is then
in :data:`autograder.sync.base.KINDS`. Adding a primitive is one new file here and one line
below (see docs/internals.md).
"""

from __future__ import annotations

from ..base._seal import seal
from . import barrier as barrier
from . import condition as condition
from . import event as event
from . import lock as lock
from . import rlock as rlock
from . import semaphore as semaphore

seal(__name__)  # the code under test cannot rewrite the grader
