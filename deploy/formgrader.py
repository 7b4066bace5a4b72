"""Run the class's Formgrader: the hub service named after the course (see docs/hub.md).

    python deploy/formgrader.py [jupyterhub-singleuser options]

A Jupyter server on the course directory, with nbgrader's Formgrader and Create Assignment
extensions, reached through the hub at /services/<course>/ by the instructors only. The hub does
not start it (JupyterHub gives a service it starts 10 s to answer, which a loaded machine can miss
and which then stops the hub): run it beside the hub, from the same environment, with the same
THREAD_SYNC_* settings, as its own Unix account (grader-<course>, which owns the course
directory) and after the hub, which makes the class's folders; a systemd unit for it is in
docs/hub.md.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import classhub  # noqa: E402 (deploy/classhub.py, found through the line above)


def main(argv: list[str]) -> None:
    s = classhub.Settings.from_environment()
    classhub.prepare_folders(s)
    env = {**os.environ, **classhub.formgrader_environment(s)}
    command = [
        str(s.bin / "jupyterhub-singleuser"),
        f"--ServerApp.root_dir={s.course_dir}",
        f"--ServerApp.ip={s.formgrader_ip}",
        f"--ServerApp.port={s.formgrader_port}",
        "--ServerApp.port_retries=0",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    os.chdir(s.course_dir)
    os.execve(command[0], [*command, *argv], env)


if __name__ == "__main__":
    main(sys.argv[1:])
