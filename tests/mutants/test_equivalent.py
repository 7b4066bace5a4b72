"""tests/mutants/equivalent.toml names only current mutants, each with a one-line reason."""

from __future__ import annotations

from pathlib import Path

from autograder.grading.base import lessons
from autograder.grading.mutants import equivalent, solutions

REPO = Path(__file__).resolve().parents[2]
COURSE = lessons.Course.at(REPO)
ENTRIES = equivalent.load(REPO / equivalent.PATH)


def current_mutants() -> dict[str, solutions.ExerciseMutant]:
    return {m.id: m for lesson in COURSE.lessons() for m in solutions.of_lesson(COURSE, lesson)}


def test_the_file_exists_and_parses():
    assert (REPO / equivalent.PATH).is_file()
    assert isinstance(ENTRIES, dict)


def stale(entries: dict[str, equivalent.Entry]) -> list[str]:
    """What is wrong with the entries: unknown mutants, changed sources, missing reasons."""
    mutants = current_mutants()
    problems = []
    for entry in entries.values():
        if entry.id not in mutants:
            problems.append(f"no mutant {entry.id} of the current solution (the solution or the "
                            "operators changed): run the analysis again and update the entry")
            continue
        fingerprint = equivalent.fingerprint(mutants[entry.id].source)
        if entry.source != fingerprint:
            problems.append(f"{entry.id} is listed for source {entry.source}, but the mutant is "
                            f"now {fingerprint}: check it is still equivalent, update the entry")
        if not entry.reason.strip() or "\n" in entry.reason:
            problems.append(f"{entry.id} needs a one-line reason")
    return problems


def test_every_entry_names_a_current_mutant_with_a_reason():
    problems = stale(ENTRIES)
    assert not problems, f"{equivalent.PATH}:\n" + "\n".join(problems)


def test_a_stale_entry_is_reported():
    entries = {"counter:remove_with:0": equivalent.Entry("counter", "remove_with:0", "0" * 12,
                                                         "why"),
               "counter:remove_with:9": equivalent.Entry("counter", "remove_with:9", "", "")}
    problems = stale(entries)
    assert len(problems) == 2, problems
    assert "now" in problems[0] and "no mutant counter:remove_with:9" in problems[1]


def test_fingerprint_tells_sources_apart():
    assert equivalent.fingerprint("a") != equivalent.fingerprint("b")
    assert len(equivalent.fingerprint("a")) == 12


def test_listed_requires_the_current_source(tmp_path):
    path = tmp_path / "equivalent.toml"
    path.write_text(f'[counter]\n"remove_with:0" = {{ source = "{equivalent.fingerprint("x")}", '
                    'reason = "why"}\n', encoding="utf-8")
    entries = equivalent.load(path)
    assert equivalent.listed(entries, "counter:remove_with:0", "x").reason == "why"
    assert equivalent.listed(entries, "counter:remove_with:0", "y") is None
    assert equivalent.listed(entries, "counter:remove_with:1", "x") is None
