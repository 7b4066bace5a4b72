"""tests/hub: the end-to-end class's tests share one hub (a module fixture), so under
pytest-xdist's ``--dist loadgroup`` they go to one worker together (``xdist_group``)."""


def pytest_configure(config):
    # Known to pytest also when pytest-xdist, which defines it, is not installed.
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one xdist worker")
