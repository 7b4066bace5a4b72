"""The Unix accounts of docs/hub.md's one-machine path, made by its commands, for a test.

Only for root on a machine with PAM, ``useradd`` and ``chpasswd`` (``why_not`` says what is
missing). Every account a test makes is removed again by :meth:`Accounts.remove`, with its home
and its processes; accounts that existed before are never touched.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

#: docs/hub.md, "Accounts": one account per roster name (homes private: HOME_MODE=0700), then
#: the Formgrader's. ``$ROSTER`` and ``$GRADER`` stand for deploy/roster.csv and
#: grader-thread-sync there; tests/hub/test_docs.py checks that the docs say exactly this.
ROSTER_ACCOUNTS = """\
tail -n +2 "$ROSTER" | cut -d, -f1 | while read -r name; do
    id "$name" >/dev/null 2>&1 || useradd --create-home --key HOME_MODE=0700 "$name"
done"""
GRADER_ACCOUNT = (
    'useradd --system --create-home --home-dir "/var/lib/$GRADER" --shell /bin/bash "$GRADER"'
)
TIMEOUT = 60


def why_not() -> str | None:
    """Why real accounts cannot be made here, or None when they can."""
    if os.geteuid() != 0:
        return "needs root: the hub's one-machine path makes Unix accounts (useradd)"
    for tool in ("useradd", "userdel", "chpasswd"):
        if shutil.which(tool) is None:
            return f"no {tool} here (Debian: the passwd package)"
    if not Path("/etc/pam.d/login").exists():
        return "no PAM service 'login' (/etc/pam.d/login): JupyterHub's PAM login needs it"
    try:
        import pamela  # noqa: F401
    except ImportError as error:
        return f"JupyterHub's PAM login needs pamela: {error}"
    return None


def exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@dataclass
class Accounts:
    """Accounts made for one test: name -> password (the Formgrader's has none)."""

    passwords: dict[str, str] = field(default_factory=dict)
    made: list[str] = field(default_factory=list)

    def make(self, roster: Path, grader: str, names: list[str]) -> None:
        """The roster's accounts and the Formgrader's, by the documented commands."""
        clash = [n for n in (*names, grader) if exists(n)]
        if clash:
            raise RuntimeError(f"accounts exist already, a test will not touch them: {clash}")
        env = {**os.environ, "ROSTER": str(roster), "GRADER": grader}
        try:
            for script in (ROSTER_ACCOUNTS, GRADER_ACCOUNT):
                subprocess.run(["bash", "-euc", script], env=env, check=True, timeout=TIMEOUT,
                               capture_output=True, text=True)
        finally:
            self.made = [n for n in (*names, grader) if exists(n)]
        self.passwords = {n: secrets.token_urlsafe(12) for n in names}
        lines = "".join(f"{n}:{p}\n" for n, p in self.passwords.items())
        subprocess.run(["chpasswd"], input=lines, check=True, timeout=TIMEOUT, text=True,
                       capture_output=True)

    def uids(self) -> frozenset[int]:
        return frozenset(pwd.getpwnam(n).pw_uid for n in self.made if exists(n))

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(name).pw_dir)

    def remove(self) -> list[str]:
        """Remove every account made (home included); returns what could not be removed."""
        left = []
        for name in self.made:
            home = self.home(name) if exists(name) else None
            done = subprocess.run(["userdel", "--force", "--remove", name], timeout=TIMEOUT,
                                  capture_output=True, text=True)
            if home is not None and home.exists():
                shutil.rmtree(home, ignore_errors=True)
            if exists(name):
                left.append(f"{name}: {done.stderr.strip()}")
        self.made = []
        return left
