"""The grading kernel's sandbox: Debian's ``bubblewrap`` (``bwrap``) around the kernel process.

:func:`bwrap_command` wraps a kernel's command line so that the student code it runs sees a
file system made of the system's read-only ``/usr`` (and the few ``/etc`` files Python reads),
the Python installation and its virtual environment, the grader's and the course's packages
(read-only), the submission's own folder (read-only, the working directory), the kernel's
connection folder, and an empty private ``/tmp`` (its only writable scratch space, also ``HOME``).
The course's ``source/`` (solutions, hidden tests), the other submissions, the gradebook and the
rest of the machine are simply not there. It runs in new user, PID, IPC, UTS, cgroup and network
namespaces (no network at all, not even the host's loopback: the kernel talks to nbgrader over
Unix sockets in its connection folder), as an unprivileged user with every capability dropped,
and dies with its parent.

bubblewrap is the sandbox of Flatpak; it needs unprivileged user namespaces or root. See
docs/security.md for what it defends against and what it costs.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

#: Files and folders of /etc that Python, IPython and matplotlib read (when they exist).
ETC = (
    "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "passwd", "group",
    "nsswitch.conf", "fonts", "mime.types", "matplotlibrc",
)
#: Top-level folders of a merged-/usr system, as symlinks into /usr or as folders.
SYSTEM_DIRS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
#: The sandboxed user (nobody).
UID = GID = 65534


class SandboxError(RuntimeError):
    """bubblewrap is missing or cannot run here."""


def bwrap_path() -> str:
    found = shutil.which("bwrap")
    if not found:
        raise SandboxError(
            "autograding runs student code in a bubblewrap sandbox, but `bwrap` is not installed "
            "(Debian/Ubuntu: apt-get install bubblewrap). To grade without the sandbox, set "
            "c.GradingKernelManager.sandbox = False in nbgrader_config.py (see docs/security.md)."
        )
    return found


#: What the kernel's interpreter prints: where it imports each package from (JSON).
_WHERE = """import importlib.util, json, sys
out = {}
for name in sys.argv[1:]:
    try:
        spec = importlib.util.find_spec(name)
    except Exception:
        spec = None
    out[name] = list(spec.submodule_search_locations or []) if spec else []
print(json.dumps(out))
"""


@functools.lru_cache(maxsize=8)
def installed_packages(python: str, names: tuple[str, ...] = ("autograder", "course")
                       ) -> dict[str, tuple[Path, ...]]:
    """Where `python` imports each package from when it starts in a neutral folder without
    PYTHONPATH, as a grading kernel does (not the copy a current folder would shadow it with):
    name -> folders (empty when it cannot import it)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([python, "-c", _WHERE, *names], cwd="/", env=env,
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise SandboxError(f"{python} could not say where it imports {', '.join(names)} from: "
                           f"{done.stderr.strip()[-500:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {name: tuple(Path(p).resolve() for p in found.get(name, [])) for name in names}


def package_dirs(names=("autograder", "course"), python: str | None = None) -> list[Path]:
    """The folders of the grader's and the course's packages (editable installs included), as
    the kernel's interpreter `python` imports them (this process's own by default). The grader
    must be among them: a kernel that cannot import it could grade nothing."""
    found = installed_packages(python or sys.executable, tuple(names))
    if "autograder" in found and not found["autograder"]:
        raise SandboxError(
            f"the grading kernel's Python ({python or sys.executable}) cannot import "
            "`autograder`: install the course into that environment (pip install -e "
            "<course folder>, or pip install -r requirements.txt there)")
    return [p for name in names for p in found[name]]


def python_dirs() -> list[Path]:
    """The interpreter's installation and its virtual environment."""
    dirs = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
            Path(sys.executable).resolve().parent.parent}
    return sorted(dirs)


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in SYSTEM_DIRS:
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in ETC:
        path = Path("/etc") / name
        if path.exists():
            args += ["--ro-bind", str(path), str(path)]
    return args


#: Where the font list matplotlib builds (a few seconds, on first use) is kept for the sandboxes.
MPL_CACHE = Path.home() / ".cache" / "autograder-grading" / "matplotlib"


def matplotlib_cache() -> list[Path]:
    """matplotlib's font list, built once outside the sandbox (without it every sandboxed kernel
    would rebuild it, seconds each time, saying so on stderr); [] without matplotlib."""
    found = sorted(MPL_CACHE.glob("fontlist-*.json"))
    if found or importlib.util.find_spec("matplotlib") is None:
        return found
    MPL_CACHE.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, MPLCONFIGDIR=str(MPL_CACHE))
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env,
                   capture_output=True, timeout=300, check=False)
    return sorted(MPL_CACHE.glob("fontlist-*.json"))


def bwrap_command(cmd: list[str], *, cwd: str | Path, connection_dir: str | Path,
                  readable: list[Path] | None = None, network: bool = False) -> list[str]:
    """``cmd`` (a kernel's command line) run inside a bubblewrap sandbox; see the module doc."""
    cwd = Path(cwd).resolve()
    connection_dir = Path(connection_dir).resolve()
    # jupyter_client interrupts a kernel with SIGINT to its whole process group: bwrap itself
    # must ignore it (an ignored signal stays ignored across exec), or it would die and take the
    # kernel with it; the kernel installs its own SIGINT handler while it runs a cell.
    args = ["/bin/sh", "-c", 'trap "" INT; exec "$@"', "sh",
            bwrap_path(), "--die-with-parent", "--unshare-all", "--unshare-user",
            "--uid", str(UID), "--gid", str(GID), "--cap-drop", "ALL"]
    if network:
        args.append("--share-net")
    args += _system_binds()
    # the private /tmp first: binds below it (a course cloned under /tmp, as CI does) go on top
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in [*python_dirs(), *package_dirs(python=cmd[0] if cmd else None),
                 *(readable or [])]:
        args += ["--ro-bind", str(path), str(path)]
    args += [
        "--ro-bind", str(cwd), str(cwd),
        *[arg for f in matplotlib_cache()
          for arg in ("--ro-bind", str(f), f"/tmp/matplotlib/{f.name}")],
        "--bind", str(connection_dir), str(connection_dir),
        "--remount-ro", "/", "--chdir", str(cwd),
        "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp",
        "--setenv", "MPLCONFIGDIR", "/tmp/matplotlib", "--setenv", "IPYTHONDIR", "/tmp/ipython",
        "--setenv", "JUPYTER_RUNTIME_DIR", "/tmp/jupyter", "--setenv", "PYTHONDONTWRITEBYTECODE",
        "1", "--unsetenv", "PYTHONPATH",
        # In the PID namespace the kernel's parent is PID 1, which ipykernel (given the real
        # parent's PID) would take for a dead parent; 1 means "do not watch" (--die-with-parent
        # does that job).
        "--setenv", "JPY_PARENT_PID", "1",
        "--",
    ]
    return args + list(cmd)


def works() -> tuple[bool, str]:
    """Whether bubblewrap runs here with the options the kernel uses (and why not)."""
    try:
        cmd = bwrap_command([sys.executable, "-c", "print('ok')"], cwd=Path.cwd(),
                            connection_dir=Path.cwd())
    except SandboxError as error:
        return False, str(error)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    if done.returncode == 0 and done.stdout.strip() == "ok":
        return True, "bubblewrap works"
    return False, f"bwrap exited {done.returncode}: {done.stderr.strip()[:500]}"
