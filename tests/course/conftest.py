"""Shared set-up of the course package's tests: headless matplotlib, the repo on sys.path."""

from __future__ import annotations

import os
import sys
from pathlib import Path

try:
    import matplotlib
except ImportError:  # the recorder's tests need no matplotlib
    matplotlib = None
else:
    matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
os.environ.setdefault("MPLBACKEND", "Agg")
