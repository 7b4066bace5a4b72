"""deploy/z2jh/values.yaml against the Zero to JupyterHub chart's own values schema, as
`helm install` checks it: the chart's defaults merged under ours, then validated (no cluster
and no helm here; the chart's files are kept in deploy/z2jh/chart/, see SOURCE.md there)."""

from __future__ import annotations

import copy
import functools
import hashlib
import re
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from autograder.grading.day import ownership

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "deploy"))
import classhub  # noqa: E402
import roster  # noqa: E402

Z2JH = REPO / "deploy" / "z2jh"
CHART = Z2JH / "chart"
CHART_VERSION = "4.4.0"
# Where deploy/z2jh/Dockerfile puts the repository in the course image.
IMAGE_REPO = "/srv/thread-sync"


@functools.cache
def _load(path: Path):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it
    return yaml.load(path.read_text(), Loader=loader)  # noqa: S506 (a safe loader)


def load(path: Path):
    return copy.deepcopy(_load(path))


@functools.cache
def _validator() -> jsonschema.Draft7Validator:
    schema = _load(CHART / "values.schema.yaml")
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def helm_merge(defaults, values):
    """Helm's coalescing of user values over a chart's defaults: maps merge key by key, a null
    removes the default, anything else (lists included) replaces it."""
    if not isinstance(defaults, dict) or not isinstance(values, dict):
        return copy.deepcopy(values)
    merged = copy.deepcopy(defaults)
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        elif key in merged:
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def errors(values) -> list[str]:
    merged = helm_merge(_load(CHART / "values.yaml"), values)
    return [
        f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in _validator().iter_errors(merged)
    ]


@pytest.fixture(scope="module")
def values():
    """Our values as installed: with the roster given by --set-file (values.yaml's header)."""
    roster = (REPO / "deploy" / "roster.example.csv").read_text()
    return helm_merge(
        load(Z2JH / "values.yaml"), {"hub": {"extraFiles": {"roster": {"stringData": roster}}}}
    )


def test_values_pass_the_charts_schema(values):
    assert errors(values) == []


def test_the_roster_must_be_given(values):
    without = copy.deepcopy(values)
    del without["hub"]["extraFiles"]["roster"]["stringData"]
    assert errors(without)


@pytest.mark.parametrize(
    "mistake",
    [
        {"hub": {"extraPort": []}},  # a misspelt key
        {"singleuser": {"memory": {"limit": ["1G"]}}},  # a wrong type
        {"cull": {"timeout": "an hour"}},
    ],
)
def test_the_check_catches_a_mistake(values, mistake):
    assert errors(helm_merge(values, mistake))


def test_merge_follows_helm():
    assert helm_merge({"a": {"b": 1, "c": 2}, "l": [1]}, {"a": {"b": None, "d": 3}, "l": [2]}) == {
        "a": {"c": 2, "d": 3},
        "l": [2],
    }


def test_the_charts_files_are_the_recorded_ones():
    source = (CHART / "SOURCE.md").read_text()
    assert f"version **{CHART_VERSION}**" in source
    for name in ("values.schema.yaml", "values.yaml"):
        digest = hashlib.sha256((CHART / name).read_bytes()).hexdigest()
        assert f"`{name}` {digest}" in source, f"{name} changed: update chart/SOURCE.md"
    assert f"--version {CHART_VERSION}" in (Z2JH / "values.yaml").read_text()


def test_the_class_is_wired_together(values):
    """What the chart's schema cannot know: the pieces of the class point at each other."""
    hub, single = values["hub"], values["singleuser"]
    service = hub["services"]["thread-sync"]
    port = int(service["url"].rsplit(":", 1)[1])
    assert port in [p["port"] for p in hub["service"]["extraPorts"]]
    assert any(p["ports"][0]["port"] == port for p in hub["networkPolicy"]["ingress"])
    formgrader = next(c for c in hub["extraContainers"] if c["name"] == "formgrader")
    env = {e["name"]: e for e in formgrader["env"]}
    assert env["THREAD_SYNC_FORMGRADER_PORT"]["value"] == str(port)
    assert env["THREAD_SYNC_FORMGRADER_TOKEN"]["valueFrom"]["secretKeyRef"]["key"] == (
        "hub.services.thread-sync.apiToken"
    )
    # Every file the pods use from the course image is in the repository.
    text = (Z2JH / "values.yaml").read_text()
    used = set(re.findall(re.escape(IMAGE_REPO) + r"/(deploy/[\w./-]+)", text))
    assert used, "values.yaml names no file of the course image"
    for path in used:
        assert (REPO / path).exists(), path
    # The users' pods and the Formgrader share the exchange, at the path the settings say.
    exchange = env["THREAD_SYNC_EXCHANGE"]["value"]
    assert single["extraEnv"]["THREAD_SYNC_EXCHANGE"] == exchange
    assert exchange in [m["mountPath"] for m in single["storage"]["extraVolumeMounts"]]
    assert exchange in [m["mountPath"] for m in formgrader["volumeMounts"]]
    # The single-user image is the course's students' one, not the chart's sample; the
    # Formgrader, the hub's copy of deploy/ and the instructors' pods run the staff image.
    assert "k8s-singleuser-sample" not in single["image"]["name"]
    student_image = f"{single['image']['name']}:{single['image']['tag']}"
    staff_image = hub["extraEnv"]["THREAD_SYNC_STAFF_IMAGE"]
    assert staff_image != student_image and staff_image.rsplit(":", 1)[1] == single["image"]["tag"]
    assert formgrader["image"] == staff_image
    assert [c["image"] for c in hub["initContainers"]] == [staff_image]
    # The chart's hub version is what the course's servers are tested with (requirements.txt).
    requirements = (REPO / "requirements.txt").read_text()
    requirement = re.search(r"^jupyterhub>=([\d.]+),<(\d+)", requirements, re.M)
    assert requirement and requirement.group(2) == "6", "the chart's hub runs JupyterHub 5"


def test_students_are_kept_apart_by_uids(values):
    """Per-student exchange access: each pod its own uid and group 100; the Formgrader, which
    owns the exchange's course folder, a uid and group of its own; grading day told to check
    submissions by pods' uids."""
    hub = values["hub"]
    formgrader = next(c for c in hub["extraContainers"] if c["name"] == "formgrader")
    context = formgrader["securityContext"]
    env = {e["name"]: e.get("value") for e in formgrader["env"]}
    assert env["THREAD_SYNC_POD_UIDS"] == "1"
    assert context["runAsGroup"] != 100, "students' pods are group 100: not the Formgrader's"
    assert context["runAsUser"] < classhub.POD_UID_BASE
    assert context["allowPrivilegeEscalation"] is False
    names = roster.load(REPO / "deploy" / "roster.example.csv").usernames
    uids = {classhub.pod_uid(n) for n in names}
    assert len(uids) == len(names) and min(uids) >= classhub.POD_UID_BASE
    assert all(classhub.pod_uid(n) == ownership.pod_uid(n) for n in [*names, "x", "émile"])


def test_sign_up_waits_for_an_admin(values):
    """NativeAuthenticator: sign-up closed to approval by a hub admin, only for roster names."""
    native = values["hub"]["config"]["NativeAuthenticator"]
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"].endswith(
        "NativeAuthenticator")
    assert native["open_signup"] is False
    assert native["ask_email_on_signup"] is True
    assert values["hub"]["extraEnv"]["THREAD_SYNC_HUB_ADMINS"].strip()


def _hub_config(monkeypatch, values: dict | None = None, admins: str = "ada"):
    """deploy/z2jh/hub_config.py as the chart's hub loads it, which gives it the values
    through its z2jh module (get_config("hub.config.X.y"))."""
    import types

    from traitlets.config.loader import PyFileConfigLoader

    def get_config(key, default=None):
        node = values or {}
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    monkeypatch.setitem(sys.modules, "z2jh", types.SimpleNamespace(get_config=get_config))
    monkeypatch.setenv("THREAD_SYNC_ROSTER", str(REPO / "deploy" / "roster.example.csv"))
    monkeypatch.setenv("THREAD_SYNC_HUB_ADMINS", admins)
    monkeypatch.setenv("THREAD_SYNC_STAFF_IMAGE", "staff:1")
    return PyFileConfigLoader("hub_config.py", path=str(Z2JH)).load_config()


def test_the_hub_refuses_open_sign_up(monkeypatch, values):
    ours = values
    config = _hub_config(monkeypatch, ours)
    assert config.Authenticator.admin_users == {"ada"}
    opened = copy.deepcopy(ours)
    opened["hub"]["config"]["NativeAuthenticator"]["open_signup"] = True
    with pytest.raises(SystemExit, match="open_signup"):
        _hub_config(monkeypatch, opened)
    with pytest.raises(SystemExit, match="THREAD_SYNC_HUB_ADMINS"):
        _hub_config(monkeypatch, ours, admins="")


def test_the_hubs_class_config_on_kubernetes(monkeypatch):
    """deploy/z2jh/hub_config.py, as the chart's hub loads it: roster, groups, roles, and the
    student or instructor settings of each pod."""
    config = _hub_config(monkeypatch)
    assert config.Authenticator.allowed_users == {"ada", "grace", "alan", "edsger", "barbara"}
    assert config.Authenticator.allow_existing_users is False
    groups = config.JupyterHub.load_groups
    assert groups["nbgrader-thread-sync"]["users"] == ["alan", "edsger", "barbara"]
    assert "ada" in groups["formgrade-thread-sync"]["users"]
    assert {r["name"] for r in config.JupyterHub.load_roles} >= {"server", "thread-sync-formgrader"}

    class Spawner:
        def __init__(self, name):
            self.user = type("User", (), {"name": name})()
            self.environment = {"KEEP": "1"}
            self.disable_user_config = False

    hook = config.KubeSpawner.pre_spawn_hook
    student, instructor = Spawner("alan"), Spawner("ada")
    hook(student)
    hook(instructor)
    assert student.environment["JUPYTER_CONFIG_PATH"].startswith(
        f"{IMAGE_REPO}/deploy/jupyter/student:"
    )
    assert instructor.environment["JUPYTER_CONFIG_PATH"].startswith(
        f"{IMAGE_REPO}/deploy/jupyter/instructor:"
    )
    assert student.environment["KEEP"] == "1"
    assert student.disable_user_config and not instructor.disable_user_config
    # The instructors' pods run the staff image; each pod its own uid, group 100.
    assert getattr(instructor, "image", None) == "staff:1"
    assert not hasattr(student, "image")
    uid = config.KubeSpawner.uid
    assert uid(student) == classhub.pod_uid("alan") != uid(instructor)
    assert config.KubeSpawner.gid == 100 and config.KubeSpawner.fs_gid == 100
