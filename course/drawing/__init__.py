"""Drawing: a trace (recorded or from the engine) as pictures and tables, with matplotlib.

Imports ``course.recording`` (for ``moments``) and nothing above it.

- ``palette``: every colour the course shows (pictures, tables and widget HTML);
- ``spans``: a trace as what a timeline draws (spans of holding and waiting, marks);
- ``timeline``: ``plot_timeline``; ``waitfor``: ``plot_wait_for``;
- ``table``: ``interleaving_table``, HTML in a notebook and plain text elsewhere;
- ``figures``: a figure as PNG bytes or an ``<img>`` tag, and IPython's display of bare figures;
- ``not_drawn``: what a drawing call gives in a grading kernel, which draws nothing (standard
  library only, like ``palette`` and ``table``: only the pictures import matplotlib).
"""
