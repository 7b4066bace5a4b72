"""deploy/classhub.py: the hub's settings, folders, token, groups and roles."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
sys.path.insert(0, str(DEPLOY))
import classhub  # noqa: E402
import roster  # noqa: E402


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("THREAD_SYNC_SRV", str(tmp_path / "srv"))
    monkeypatch.setenv("THREAD_SYNC_HUB_STATE", str(tmp_path / "state"))
    monkeypatch.delenv("THREAD_SYNC_FORMGRADER_TOKEN", raising=False)
    return classhub.Settings.from_environment()


def test_folders_are_made_and_nothing_is_overwritten(settings):
    classhub.prepare_folders(settings)
    mode = stat.S_IMODE(settings.exchange.stat().st_mode)
    assert mode & 0o777 == 0o777 and mode & stat.S_ISVTX
    lesson = settings.course_dir / "source" / "04_event" / "04_event.ipynb"
    assert lesson.exists()
    lesson.write_text("the instructor's edit")
    classhub.prepare_folders(settings)
    assert lesson.read_text() == "the instructor's edit"


def test_the_course_directory_gets_the_hubs_nbgrader_config(settings):
    from traitlets.config.loader import PyFileConfigLoader

    classhub.prepare_folders(settings)
    path = settings.course_dir / "nbgrader_config.py"
    config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    assert config.CourseDirectory.root == str(settings.course_dir)
    assert config.Exchange.root == str(settings.exchange)
    assert config.Exchange.path_includes_course is True
    assert config.CourseDirectory.db_url == f"sqlite:///{settings.course_dir}/gradebook.db"
    # nbgrader's log and grading day's class list are the course directory's, wherever it is.
    assert config.NbGrader.logfile == f"{settings.course_dir}/nbgrader.log"
    assert config.GradingDay.roster == f"{settings.course_dir}/roster.csv"
    assert config.GradingDay.pod_uids is False
    # The course's own settings are there too (the repository's nbgrader_config.py).
    course = PyFileConfigLoader("nbgrader_config.py", path=str(DEPLOY.parent)).load_config()
    assert config.GradingExecute.answer_timeout == course.GradingExecute.answer_timeout
    # Rewritten when the settings change; a config the hub did not write is refused.
    path.write_text(path.read_text().replace(str(settings.exchange), "/elsewhere"))
    classhub.prepare_folders(settings)
    assert "/elsewhere" not in path.read_text()
    path.write_text("c = get_config()\n")
    with pytest.raises(SystemExit, match="not the hub's"):
        classhub.prepare_folders(settings)


def test_the_course_directory_is_the_formgraders_alone(settings, monkeypatch):
    """Mode 700, and given to the Formgrader's account when the hub (root) makes it."""
    import os
    import pwd

    if os.geteuid() != 0:
        pytest.skip("needs root: the course directory is given to another account")
    nobody = pwd.getpwnam("nobody")
    monkeypatch.setattr(classhub, "grader_account", lambda s: nobody)
    classhub.prepare_folders(settings)
    for path in (settings.course_dir, settings.course_dir / "nbgrader_config.py",
                 settings.course_dir / "source" / "04_event" / "04_event.ipynb"):
        assert path.stat().st_uid == nobody.pw_uid, path
    assert stat.S_IMODE(settings.course_dir.stat().st_mode) == 0o700


def test_missing_accounts_are_named(settings):
    import pwd

    grader = [] if settings.grader_account in {p.pw_name for p in pwd.getpwall()} else [
        settings.grader_account]
    missing = classhub.missing_accounts(settings, {"root", "no-such-account-here"})
    assert missing == ["no-such-account-here", *grader]


def test_pod_uids_are_stable_and_apart():
    assert classhub.pod_uid("alan") == classhub.pod_uid("alan") >= classhub.POD_UID_BASE
    assert classhub.pod_uid("alan") != classhub.pod_uid("barbara")
    names = [f"s{i}" for i in range(20000)]
    clashes = classhub.pod_uid_clashes(names)
    assert clashes, "20000 names in 2**24 uids share some: the check must find them"
    assert all(classhub.pod_uid(a) == classhub.pod_uid(b) for a, b in clashes)


def test_the_formgrader_token_is_made_once_and_kept(settings, monkeypatch):
    token = classhub.formgrader_token(settings)
    assert len(token) == 64 and classhub.formgrader_token(settings) == token
    path = settings.state / "formgrader_api_token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv("THREAD_SYNC_FORMGRADER_TOKEN", "given")
    assert classhub.formgrader_token(settings) == "given"


def test_groups_and_roles(settings):
    people = roster.parse("username,role\nada,instructor\nalan,student\n")
    groups = classhub.groups(settings, people)
    assert groups["formgrade-thread-sync"]["users"] == ["ada", "grader-thread-sync"]
    assert groups["nbgrader-thread-sync"]["users"] == ["alan"]
    roles = {r["name"]: r for r in classhub.roles(settings)}
    # Only the instructors' group reaches the Formgrader service.
    granted = [r for r in roles.values() if "access:services!service=thread-sync" in r["scopes"]]
    assert [r.get("groups") for r in granted] == [["formgrade-thread-sync"]]
    # The Formgrader may change the students' group, and no other.
    writes = [s for s in roles["thread-sync-formgrader"]["scopes"] if s.startswith("groups")]
    assert writes == ["groups!group=nbgrader-thread-sync"]
    assert classhub.server_role(people, "ada") == "instructor"
    assert classhub.server_role(people, "alan") == "student"


def test_each_role_has_its_jupyter_settings():
    for role in ("student", "instructor", "formgrader"):
        first, common = classhub.config_path(role).split(":")
        assert Path(first) == DEPLOY / "jupyter" / role and Path(common).name == "common"
        assert (Path(first) / "jupyter_server_config.json").exists()
