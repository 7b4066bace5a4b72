"""Widgets leave a picture where no widget manager runs: nbgrader's HTML (feedback) shows the
board's and the demo's static fallback, never an empty widget view."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbconvert = pytest.importorskip("nbconvert")
pytest.importorskip("ipywidgets")

from traitlets.config.loader import PyFileConfigLoader  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"


def demo_output() -> tuple[dict, str]:
    """A live demo's display data, as a kernel sends it, and its widget's model id."""
    from course import demo

    shown = demo(lambda threads=2: f"ran {threads} threads", threads=(1, 4, 2))
    bundle = shown._repr_mimebundle_()
    return bundle, bundle[VIEW]["model_id"]


def notebook_with(bundle: dict, model_id: str) -> object:
    """A notebook whose one output is ``bundle`` and which kept the widget's state (as nbclient
    stores it when nbgrader autogrades)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("demo(...)")
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
    nb.cells = [cell]
    nb.metadata["widgets"] = {STATE: {"version_major": 2, "version_minor": 0,
                                      "state": {model_id: {"model_name": "VBoxModel",
                                                           "model_module": "@jupyter-widgets/"
                                                           "controls",
                                                           "model_module_version": "2.0.0",
                                                           "state": {}}}}}
    return nb


def test_the_bundle_carries_fallbacks() -> None:
    bundle, _ = demo_output()
    assert VIEW in bundle and "image/png" in bundle and "text/html" in bundle
    assert "ran 2 threads" in bundle["text/plain"]


def test_feedback_html_shows_the_fallback_not_an_empty_widget() -> None:
    from nbconvert import HTMLExporter

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    bundle, model_id = demo_output()
    html, _ = HTMLExporter(config=config, template_name="classic").from_notebook_node(
        notebook_with(bundle, model_id))
    assert "ran 2 threads" in html  # the fallback's text
    assert "data:image/png;base64," in html  # and its timeline
    assert f'"model_id": "{model_id}"' not in html  # no widget view to render


def test_without_the_setting_nbconvert_picks_the_empty_widget_view() -> None:
    """What the setting in nbgrader_config.py is for (if nbconvert changes, this says so)."""
    from nbconvert import HTMLExporter

    bundle, model_id = demo_output()
    html, _ = HTMLExporter(template_name="classic").from_notebook_node(
        notebook_with(bundle, model_id))
    assert model_id in html and "ran 2 threads" not in html
