"""Make concurrency visible: record real runs, draw timelines and wait-for graphs, widgets."""
