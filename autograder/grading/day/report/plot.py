"""The score distribution of each exercise, as one PNG (matplotlib, no display needed)."""

from __future__ import annotations

import base64
import io

from .model import ClassReport


def score_png(report: ClassReport) -> str:
    """Base64 PNG: one bar chart per exercise, how many students earned each score; "" when
    nobody has a score. The same scores always give the same bytes (no date, no software)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    shown = [e for e in report.exercises
             if any(s.scores.get(e.id) is not None for s in report.students)]
    if not shown:
        return ""
    columns = min(3, len(shown))
    rows = (len(shown) + columns - 1) // columns
    fig = Figure(figsize=(3.6 * columns, 2.4 * rows), dpi=90)
    axes = fig.subplots(rows, columns, squeeze=False)
    for ax in axes.flat[len(shown):]:
        ax.set_visible(False)
    for ax, exercise in zip(axes.flat, shown, strict=False):
        scores = [s.scores[exercise.id] for s in report.students
                  if s.scores.get(exercise.id) is not None]
        values = sorted({round(float(v), 2) for v in scores} | {0.0, float(exercise.points)})
        counts = [sum(1 for v in scores if round(float(v), 2) == x) for x in values]
        colours = ["#2e7d32" if x == exercise.points else "#c62828" if x == 0 else "#f9a825"
                   for x in values]
        ax.bar([f"{x:g}" for x in values], counts, color=colours)
        ax.set_title(f"{exercise.id} (of {exercise.points:g})", fontsize=10)
        ax.set_xlabel("points", fontsize=8)
        ax.set_ylabel("students", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode()
