"""deploy/roster.py: the class roster, and the clear errors a broken one gets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "deploy"))
import roster  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "roster.example.csv"


def test_the_example_roster():
    r = roster.load(EXAMPLE)
    assert r.instructors == ["ada", "grace"]
    assert r.students == ["alan", "edsger", "barbara"]
    assert r.usernames == {"ada", "grace", "alan", "edsger", "barbara"}


def test_columns_in_any_order_spaces_blank_lines_and_case_of_role():
    r = roster.parse("role , username\nInstructor, ada\n\n student ,bob\n")
    assert r.instructors == ["ada"] and r.students == ["bob"]


def test_gradebook_csv_lists_students_for_nbgrader_db_student_import():
    r = roster.parse('username,role,first_name,last_name\nada,instructor,,\nbo,student,"B, O",Z\n')
    assert roster.gradebook_csv(r) == 'id,first_name,last_name,email\nbo,"B, O",Z,\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,role\nada,instructor\n", "missing: username"),
        ("username,role,age\nada,instructor,3\n", "unknown column"),
        ("username,role\nAda,instructor\n", "line 2: username 'Ada'"),
        ("username,role\nada,instructor\nbob+1,student\n", "line 3: username 'bob+1'"),
        ("username,role\nada,teacher\n", "line 2: role 'teacher'"),
        ("username,role\nada,instructor\nada,student\n", "line 3: 'ada' is already on line 2"),
        ("username,role\nada,instructor,extra\n", "more fields"),
        ("username,role\n", "lists nobody"),
        ("username,role\nbob,student\n", "no instructor"),
    ],
)
def test_a_broken_roster_is_refused_with_where_and_why(text, message):
    with pytest.raises(roster.RosterError, match=message.replace("+", r"\+")):
        roster.parse(text, "roster.csv")


def test_a_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(roster.RosterError, match="roster.example.csv"):
        roster.load(tmp_path / "nope.csv")


def test_the_command_checks_a_roster_and_writes_the_gradebooks_csv(tmp_path, capsys):
    assert roster.main([str(EXAMPLE)]) == 0
    assert "2 instructor(s), 3 student(s)" in capsys.readouterr().out
    assert roster.main([str(EXAMPLE), "--gradebook"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "id,first_name,last_name,email", "alan,Alan,Turing,alan@example.org",
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("username,role\nada,boss\n")
    assert roster.main([str(bad)]) == 1
    assert "line 2: role 'boss'" in capsys.readouterr().err
