"""Servers the grading-day tests start themselves, on 127.0.0.1, bounded in time, always stopped:
a PostgreSQL server (Debian's package, run as the ``postgres`` user in a temporary data folder)
and a Dask ``distributed`` LocalCluster."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@contextmanager
def postgres(dbname: str = "gradebook"):
    """Yield the SQLAlchemy URL of a fresh database on a private PostgreSQL server."""
    bindir = postgres_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (scripts/test installs the Debian "
                           "package postgresql; by hand: apt-get install -y postgresql)")
    user = pwd.getpwnam("postgres")
    data = Path(tempfile.mkdtemp(prefix="gradebook-pg-"))
    os.chown(data, user.pw_uid, user.pw_gid)
    port = free_port()

    def as_postgres(*command: str, timeout: float = START_TIMEOUT) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True,
                       capture_output=True, timeout=timeout, cwd=data)

    cluster = data / "cluster"
    try:
        as_postgres(str(bindir / "initdb"), "-D", str(cluster), "-A", "trust", "-U", "postgres",
                    "--no-sync")
        as_postgres(str(bindir / "pg_ctl"), "-D", str(cluster), "-w", "-t", str(START_TIMEOUT),
                    "-l", str(data / "server.log"),
                    "-o", f"-h 127.0.0.1 -p {port} -k {data} -c fsync=off", "start",
                    timeout=START_TIMEOUT + 10)
        as_postgres(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                    "-U", "postgres", dbname)
        yield f"postgresql://postgres@127.0.0.1:{port}/{dbname}"
    finally:
        if (cluster / "postmaster.pid").exists():
            subprocess.run(["runuser", "-u", "postgres", "--", str(bindir / "pg_ctl"), "-D",
                            str(cluster), "-m", "immediate", "-w", "-t", "30", "stop"],
                           capture_output=True, timeout=40)
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def dask_cluster(workers: int = 2):
    """Yield the scheduler address of a LocalCluster of worker processes on loopback."""
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=40)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close(timeout=30)
