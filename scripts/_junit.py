"""What scripts/test reads from pytest's JUnit XML reports (standard library only).

    python scripts/_junit.py counts REPORT          "PASSED FAILED SKIPPED" (0 0 0 if unreadable)
    python scripts/_junit.py suites LABEL=REPORT... one line per suite (tests/<folder> or a
                                                    top-level test file): its tests and their time
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import defaultdict


def _root(path: str) -> ET.Element | None:
    try:
        return ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None


def counts(path: str) -> tuple[int, int, int]:
    """(passed, failed or errored, skipped) over every test suite of the report."""
    root = _root(path)
    if root is None:
        return 0, 0, 0
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = failed = skipped = 0
    for suite in suites:
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return tests - failed - skipped, failed, skipped


def suite_of(classname: str) -> str:
    """``tests.engine.test_kernel`` -> ``tests/engine``; ``tests.test_bench`` -> the file."""
    parts = classname.split(".")
    if len(parts) >= 2 and parts[0] == "tests":
        if parts[1].startswith("test_"):
            return f"tests/{parts[1]}.py"
        return f"tests/{parts[1]}"
    return parts[0] or "?"


def suites(path: str) -> dict[str, tuple[int, float]]:
    """suite -> (number of test cases, seconds they took, summed over the workers)."""
    found: dict[str, list[float]] = defaultdict(list)
    root = _root(path)
    for case in [] if root is None else root.iter("testcase"):
        found[suite_of(case.get("classname", ""))].append(float(case.get("time", 0) or 0))
    return {name: (len(times), sum(times)) for name, times in sorted(found.items())}


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "counts":
        print(*counts(argv[1]))
        return 0
    if len(argv) >= 2 and argv[0] == "suites" and all("=" in a for a in argv[1:]):
        print(f"{'run':<14} {'suite':<28} {'tests':>6} {'test time':>10}")
        for arg in argv[1:]:
            label, path = arg.split("=", 1)
            for name, (n, seconds) in suites(path).items():
                print(f"{label:<14} {name:<28} {n:>6} {seconds:>9.0f}s")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
