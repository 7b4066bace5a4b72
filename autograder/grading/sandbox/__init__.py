"""The grading kernel, sandboxed and guarded: bubblewrap (``sandbox``), the tamper guard
(``guard``), the kernel manager that starts them (``kernel``), the failing interleaving's picture
in the kernel (``failure_pictures``) and the static scan of an answer (``scan``); docs/security.md.

Imports only ``base`` (and ``testkit``, which the guard seals with the engine)."""
