"""Submissions only as oneself: grading day refuses a submission made in another student's name.

nbgrader's exchange names a submission ``inbound/<student>+<lesson>+<timestamp>[+<random>]`` and
takes the student id from the submitting command line, which any student can change
(``nbgrader submit --student=<other>``). What a student cannot change is who owns the files they
write: on a hub where each student is a Unix account (docs/hub.md), a submission's folder and
files belong to the account that submitted it. Before ``nbgrader collect``, :func:`refuse` moves
every submission whose files are not all owned by the student it claims to be (or that holds a
symbolic link, which ``collect`` would follow as the grader into files the student cannot read)
out of the exchange into ``.grading-day/refused/<lesson>/`` of the course, so that it is never
collected, graded or given the claimed student's score; the student's own submissions are
collected as usual. Each refusal is written to ``.grading-day/refused/<lesson>.json``, from which
:func:`flags` gives the claimed student's status its reason, run after run.

On Kubernetes there are no accounts to look up: each student's pod runs as a uid of its own,
:func:`pod_uid` of the name (deploy/z2jh/hub_config.py gives it), which the course's settings
ask for with ``c.GradingDay.pod_uids = True``. Otherwise a claimed student with no account on
this machine cannot be checked (a course without per-student accounts), and such submissions are
left alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .config import CourseError

#: Pods' uids (pod_uid) start here, above any system's accounts and the Formgrader's 1000.
POD_UID_BASE = 100_000

#: Under the course root: refused submissions, and their ledger per lesson.
REFUSED_DIR = Path(".grading-day") / "refused"


@dataclass(frozen=True)
class Refusal:
    """One submission refused: its folder's name in the exchange, who it claims to be, why."""

    folder: str
    claimed: str
    reason: str
    when: str = ""


def account_uid(name: str) -> int | None:
    """The uid of the Unix account ``name``, or None when there is none."""
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None


def pod_uid(name: str) -> int:
    """The uid of ``name``'s pod on Kubernetes: the same in deploy/classhub.py (pod_uid)."""
    return POD_UID_BASE + int.from_bytes(hashlib.sha256(name.encode()).digest()[:3], "big")


def account_name(uid: int) -> str:
    """The Unix account of ``uid``, or ``uid N`` when it has none."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _walk(folder: Path):
    """The folder and everything in it, symbolic links not followed."""
    yield folder
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            yield Path(dirpath) / name


def problem(folder: Path, claimed: str, uid_of=account_uid) -> str | None:
    """Why the submission in ``folder`` is not ``claimed``'s own, or None when it is (or when
    ``claimed`` has no uid, ``uid_of`` giving None, so that it cannot be told)."""
    uid = uid_of(claimed)
    if uid is None:
        return None
    owners: set[int] = set()
    links = []
    for path in _walk(folder):
        st = path.lstat()
        owners.add(st.st_uid)
        if path.is_symlink():
            links.append(str(path.relative_to(folder)))
    if links:
        return (f"a submission in {claimed}'s name holds symbolic links ({', '.join(links[:3])}),"
                " which collecting would follow into files its author cannot read")
    strangers = sorted(account_name(u) for u in owners - {uid})
    if strangers:
        return (f"a submission in {claimed}'s name was made by Unix account "
                f"{', '.join(strangers)}, not by {claimed}")
    return None


def submissions(inbound: Path, lesson: str) -> list[Path]:
    """The exchange's submissions of ``lesson`` (the folders ``nbgrader collect`` reads)."""
    if not inbound.is_dir():
        return []
    return sorted(p for p in inbound.glob(f"*+{lesson}+*") if p.is_dir() or p.is_symlink())


def ledger_path(course_root: Path, lesson: str) -> Path:
    return Path(course_root) / REFUSED_DIR / f"{lesson}.json"


def read_ledger(course_root: Path, lesson: str) -> list[Refusal]:
    """The refusals recorded for ``lesson`` (none when there is no ledger yet)."""
    path = ledger_path(course_root, lesson)
    if not path.exists():
        return []
    return [Refusal(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))]


def _write_ledger(course_root: Path, lesson: str, refusals: list[Refusal]) -> None:
    path = ledger_path(course_root, lesson)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps([asdict(r) for r in refusals], indent=1), encoding="utf-8")
    os.replace(tmp, path)


def refuse(inbound: Path, lesson: str, course_root: Path, uid_of=account_uid) -> list[Refusal]:
    """Move the exchange's submissions of ``lesson`` that are not their claimed student's own
    into the course's ``.grading-day/refused/<lesson>/``; returns the new refusals (all of them
    are kept in the ledger). A submission that cannot be moved (no permission on the exchange)
    stops grading day with the reason, rather than be collected."""
    known = read_ledger(course_root, lesson)
    seen = {r.folder for r in known}
    new = []
    for folder in submissions(Path(inbound), lesson):
        claimed = folder.name.split("+", 1)[0]
        why = problem(folder, claimed, uid_of)
        if why is None:
            continue
        target = Path(course_root) / REFUSED_DIR / lesson / folder.name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(folder), str(target), copy_function=_copy_plain)
        except OSError as error:
            raise CourseError(
                f"{folder}: {why}, and it could not be moved out of the exchange ({error}); "
                f"remove it by hand before collecting {lesson}") from error
        refusal = Refusal(folder.name, claimed, f"{why}: refused, kept in {target}",
                          time.strftime("%Y-%m-%d %H:%M:%S"))
        if folder.name not in seen:
            new.append(refusal)
            seen.add(folder.name)
        known = [r for r in known if r.folder != folder.name] + [refusal]
    if new:
        _write_ledger(course_root, lesson, known)
    return new


def _copy_plain(src: str, dst: str) -> str:
    """Copy a file's bytes only: a link is copied as a link, never followed."""
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
        return dst
    return shutil.copyfile(src, dst, follow_symlinks=False)


def flags(course_root: Path, lesson: str, student: str) -> list[str]:
    """Why submissions in ``student``'s name were refused, for their status (the grades table)."""
    return [r.reason for r in read_ledger(course_root, lesson) if r.claimed == student]
