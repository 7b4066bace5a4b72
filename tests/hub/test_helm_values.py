"""deploy/z2jh/values.yaml against the Zero to JupyterHub chart's own values schema, as
`helm install` checks it: the chart's defaults merged under ours, then validated (no cluster
and no helm here; the chart's files are kept in deploy/z2jh/chart/, see SOURCE.md there)."""

from __future__ import annotations

import copy
import functools
import hashlib
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
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
    # The single-user image is the course's, not the chart's sample.
    assert "k8s-singleuser-sample" not in single["image"]["name"]
    assert formgrader["image"] == f"{single['image']['name']}:{single['image']['tag']}"
    # The chart's hub version is what the course's servers are tested with (requirements.txt).
    requirements = (REPO / "requirements.txt").read_text()
    requirement = re.search(r"^jupyterhub>=([\d.]+),<(\d+)", requirements, re.M)
    assert requirement and requirement.group(2) == "6", "the chart's hub runs JupyterHub 5"


def test_the_hubs_class_config_on_kubernetes(monkeypatch):
    """deploy/z2jh/hub_config.py, as the chart's hub loads it: roster, groups, roles, and the
    student or instructor settings of each pod."""
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setenv("THREAD_SYNC_ROSTER", str(REPO / "deploy" / "roster.example.csv"))
    config = PyFileConfigLoader("hub_config.py", path=str(Z2JH)).load_config()
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
