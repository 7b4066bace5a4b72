"""course.contents: a notebook's language_info completed as its kernel will report it, only then."""

from __future__ import annotations

import sys

from course import contents

REPORTED = contents.kernel_language_info()


def test_the_release_stub_is_completed_for_the_servers_own_python() -> None:
    for argv in (["python", "-m", "ipykernel_launcher"], [sys.executable, "-m", "ipykernel"]):
        assert contents.completed({"language_info": {"name": "python"}}, argv) == REPORTED
    assert REPORTED["version"] == sys.version.split()[0]


def test_anything_else_is_served_as_it_is() -> None:
    stub = {"language_info": {"name": "python"}}
    assert contents.completed(stub, None) is None  # no such kernel
    assert contents.completed(stub, ["/opt/other/bin/python3.99", "-m", "ipykernel"]) is None
    saved = {"language_info": dict(REPORTED, version="3.10.0")}  # saved by another kernel
    assert contents.completed(saved, ["python"]) is None
    other = {"language_info": {"name": "julia"}}
    assert contents.completed(other, ["python"]) is None
    assert contents.completed({"language_info": dict(REPORTED)}, ["python"]) is None
