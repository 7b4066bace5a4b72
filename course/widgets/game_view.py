"""The "you are the scheduler" widget: a thin ipywidgets view over :class:`SchedulerGame`.

    scheduler(setup, {"A": worker, "B": worker}, goal=lost_update(lambda s: s.count < 2))

One column per thread (its code, the current line marked, what it did last, a button to step
it and one to run it on to its next interesting step), the shared variables and lock owners (the
one just read or written marked), Undo / Reset / "Show me", the goal, what the last click did and
a timeline of the run so far. Without a widget frontend the same board remains as static HTML.
Symbols are plain text characters that DejaVu Sans has (no emoji font needed).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from course.bridge.game import Goal, SchedulerGame, Threads
from course.drawing import palette as colours
from course.drawing.figures import img_html, png
from course.drawing.palette import ALERT, palette
from course.drawing.timeline import plot_timeline
from course.widgets.fallback import mimebundle
from course.widgets.picture import Picture, revive_line

#: Button and status symbols: plain text characters in DejaVu Sans (no emoji font needed).
STEP, SKIP, DONE = "\u25b6", "\u25b6\u25b6", "\u2713"

CODE_STYLE = ("font-family:monospace;font-size:12px;line-height:1.45;margin:0;"
              "white-space:pre;overflow-x:auto")


class SchedulerView:
    """The widgets of one board; every button goes through the game, then :meth:`refresh`."""

    def __init__(self, game: SchedulerGame, *, timeline: bool = True, dpi: float = 80,
                 graded: bool = False) -> None:
        self.game = game
        #: A graded puzzle's board: "Show me" gives only the start of the engine's answer until
        #: the board has reached the goal (the student's own schedule, or their clicks).
        self.graded = graded
        self.solved = False
        self.show_timeline = timeline
        self.dpi = dpi
        self.colours = palette(game.names)
        self.buttons = {n: widgets.Button(description=f"{STEP} {n}", tooltip=f"{n} takes one step",
                                          layout=widgets.Layout(width="auto"))
                        for n in game.names}
        self.skip_buttons = {
            n: widgets.Button(description=f"{SKIP} {n}", layout=widgets.Layout(width="auto"),
                              tooltip=f"{n} runs on to its next lock operation or shared write")
            for n in game.names}
        for name, button in self.buttons.items():
            button.on_click(lambda _b, name=name: self.step(name))
        for name, button in self.skip_buttons.items():
            button.on_click(lambda _b, name=name: self.skip(name))
        self.codes = {n: widgets.HTML() for n in game.names}
        self.states = {n: widgets.HTML() for n in game.names}
        self.undo_button = widgets.Button(description="Undo", icon="undo")
        self.reset_button = widgets.Button(description="Reset", icon="refresh")
        self.solve_button = widgets.Button(description="Show me",
                                           tooltip="Replay the engine's shortest way there")
        self.undo_button.on_click(lambda _b: self.undo())
        self.reset_button.on_click(lambda _b: self.reset())
        self.solve_button.on_click(lambda _b: self.solve())
        self.status = widgets.HTML()
        self.answer = ""  # what "Show me" said, until the next move
        self.variables = widgets.HTML()
        self.log = widgets.HTML()
        self.image = Picture("timeline of the run so far")
        columns = [
            widgets.VBox([self.states[n], self.codes[n],
                          widgets.HBox([self.buttons[n], self.skip_buttons[n]])],
                         layout=widgets.Layout(border=f"2px solid {self.colours[n]}",
                                               padding="4px", margin="2px", min_width="220px"))
            for n in game.names
        ]
        self.widget = widgets.VBox([
            self.status,
            widgets.HBox(columns, layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.variables]),
            widgets.HBox([self.undo_button, self.reset_button, self.solve_button]),
            self.log,
            *([self.image.widget] if timeline else []),
            revive_line(),
        ])
        self.refresh()

    # -- actions ----------------------------------------------------------------------------------
    def step(self, name: str) -> None:
        """What a thread's button does."""
        self.answer = ""
        if name in self.game.runnable():
            self.game.step(name)
        self.refresh()

    def skip(self, name: str) -> None:
        """What a thread's skip button does: on to its next lock operation or shared write."""
        self.answer = ""
        self.game.skip(name)
        self.refresh()

    def undo(self) -> None:
        self.answer = ""
        self.game.undo()
        self.refresh()

    def reset(self) -> None:
        self.answer = ""
        self.game.reset()
        self.refresh()

    def solve(self) -> None:
        """Replay the engine's answer on the board, or say why there is none; on a graded
        board that has not reached the goal yet, only the answer's first steps."""
        game = self.game
        if self.graded and not self.solved:
            made = game.show_start()
            if made:
                self.answer = (f"The engine's first {made} steps, played on the board: "
                               + " → ".join(game.history) + ". This puzzle is graded, so the "
                               "rest is yours; once your own schedule reaches the goal, Show me "
                               "replays the engine's whole answer.")
                self.refresh()
                return
        if game.show_solution():
            self.answer = (f"The engine's way there, in {len(game.history)} steps: "
                           + " → ".join(game.history))
        elif game.impossible:
            runs = f" ({game.searched_runs} runs)" if game.searched_runs else ""
            self.answer = ("No schedule exists that reaches the goal: the engine ran every "
                           "interleaving"
                           f"{runs}, and in none of them does it happen.")
        else:
            self.answer = ("The engine found no schedule reaching the goal within its budget "
                           "(it did not try every interleaving).")
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw every part of the board from the game."""
        game = self.game
        if game.reached:  # by the student's moves or schedule (a hint stops before the goal)
            self.solved = True
        runnable = set(game.runnable())
        for name in game.names:
            self.buttons[name].disabled = name not in runnable
            self.skip_buttons[name].disabled = name not in runnable or game.reached
            self.codes[name].value = self._code_html(name)
            self.states[name].value = self._thread_html(name)
        self.variables.value = self._variables_html()
        self.status.value = self._status_html()
        self.undo_button.disabled = not game.moves
        self.log.value = self._log_html()
        if self.show_timeline:
            self.image.value = png(plot_timeline(game.trace, width=9.0, dpi=self.dpi))

    def _status_html(self) -> str:
        game = self.game
        colour = colours.SUCCESS if game.reached else (
            ALERT if game.session.outcome == "deadlock" else colours.TEXT)
        icon = f"{DONE} " if game.reached else ""
        out = (f"<div style='font-size:14px;color:{colour};font-weight:bold'>{icon}"
               f"{html.escape(game.status())}</div>")
        if game.said:
            out += (f"<div style='font-size:13px'>Just now (step {len(game.said)}): "
                    f"<b>{html.escape(game.last_move())}</b></div>")
        if self.answer:
            answer = html.escape(self.answer, quote=False)
            out += f"<div style='font-size:13px'><i>{answer}</i></div>"
        return out

    def _thread_html(self, name: str) -> str:
        status = self.game.thread_status(name)
        colour = ALERT if status.startswith("blocked") else colours.STATUS
        last = next((m for m in reversed(self.game.said) if m.thread == name), None)
        did = (f"<br><span style='color:{colours.SOFT};font-size:12px'>last: "
               f"{html.escape('; '.join(last.said))}</span>" if last and last.said else "")
        return (f"<b style='color:{self.colours[name]}'>{html.escape(name)}</b> "
                f"<span style='color:{colour}'>{html.escape(status)}</span>{did}")

    def _code_html(self, name: str) -> str:
        rows = []
        lines = self.game.code(name)
        marked = any(c.current for c in lines)
        for c in lines:
            text = html.escape(c.text) or " "
            if c.current:
                rows.append(f"<span style='background:{colours.HIGHLIGHT};font-weight:bold'>"
                            f"▶ {c.number:>3} {text}</span>")
            else:
                rows.append(f"<span style='color:{colours.SOFT}'>  {c.number:>3} {text}</span>")
        where = self.game.where(name)
        if not marked and where:
            rows.append(f"<span style='color:{colours.FAINT}'>  ↳ {html.escape(where)}</span>")
        return f"<pre style='{CODE_STYLE}'>" + "\n".join(rows) + "</pre>"

    def _variables_html(self) -> str:
        shared = self.game.variables()
        holders = self.game.holders()
        touched = {e.obj.split(".")[-1]: e.op for e in (self.game.moves[-1] if self.game.moves
                                                        else []) if e.op in ("read", "write")
                   and e.obj}
        marks = {"read": f"background:{colours.READ_HIGHLIGHT}",
                 "write": f"background:{colours.HIGHLIGHT}"}
        cells = [f"<span style='{marks.get(touched.get(k, ''), '')}'><b>{html.escape(k)}</b> = "
                 f"<code>{html.escape(v)}</code></span>" for k, v in shared.items()]
        cells += [f"<b>{html.escape(k)}</b> held by {html.escape(v)}"
                  for k, v in holders.items()]
        return ("<div style='font-size:13px'>Shared state: " + (" · ".join(cells) or "—")
                + "</div>")

    def _log_html(self) -> str:
        said = self.game.said
        if not said:
            return ""
        first = len(said) - min(len(said), 6)
        text = "<br>".join(f"{first + i + 1}. <b>{html.escape(m.thread)}</b> "
                           f"{html.escape('; then '.join(m.said))}"
                           for i, m in enumerate(said[first:]))
        return f"<div style='font-size:12px;color:{colours.SOFT}'>Last steps:<br>{text}</div>"

    # -- static fallback -------------------------------------------------------------------------
    def static_html(self) -> str:
        """The board as plain HTML (what nbconvert and feedback show)."""
        cols = "".join(
            f"<td style='vertical-align:top;border:2px solid {self.colours[n]};padding:4px'>"
            f"{self._thread_html(n)}{self._code_html(n)}</td>" for n in self.game.names)
        picture = img_html(self.image.value, "timeline") if self.image.value else ""
        return (self._status_html() + f"<table><tr>{cols}</tr></table>" + self._variables_html()
                + self._log_html() + picture)

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, Any]:
        return mimebundle(self.widget, html=self.static_html(), text=self.game.status())


def scheduler(setup: Callable[[], Any] | None, threads: Threads, goal: Goal | None = None, *,
              invariant: Callable[[Any], Any] | None = None,
              show: Callable[[Any], Any] | None = None, timeline: bool = True,
              graded: bool = False) -> SchedulerView:
    """The "you are the scheduler" board for ``threads`` (see :class:`SchedulerGame`).
    ``graded=True`` for a puzzle whose schedule is graded: "Show me" then replays only the
    start of the engine's answer, until the board has reached the goal."""
    game = SchedulerGame(setup, threads, goal, invariant=invariant, show=show)
    return SchedulerView(game, timeline=timeline, graded=graded)
