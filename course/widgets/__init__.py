"""Widgets: the interactive views, with ipywidgets; the top of the package.

May import every other group.

- ``livedemo``: ``demo()``, sliders that re-run threaded code under the recorder and redraw it;
- ``demos``: ready-made threaded programs for live demos (``course.demos``);
- ``game_view``: ``scheduler()``, the "you are the scheduler" board over ``bridge.game``;
- ``fallback``: a widget's display data with a static picture beside it, for converted notebooks.
"""
