"""schemathesis (every check, every phase) against the app's OpenAPI schema, in process (ASGI), on a
small store coded for these tests, with writes enabled and the key sent."""
from __future__ import annotations

import pytest

from allegiance.store import Store
from tests.test_api import build_store

schemathesis = pytest.importorskip("schemathesis")  # the test extra pins it

KEY = "test-key-7f3a"


def test_the_api_conforms_to_its_openapi_schema(tmp_path, coder):
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import events, from_schema

    from allegiance.api import create_app

    path = tmp_path / "store.duckdb"
    build_store(path, coder)
    # a small text limit keeps the generated documents short (the limit is in the schema)
    app = create_app(path, coder=coder, api_key=KEY, max_chars=1000)
    config = SchemathesisConfig.from_dict({})
    config.update(seed=14, max_failures=None)
    project = config.projects.override
    project.checks.update(included_check_names=["all"])  # as `schemathesis run --checks all`
    project.generation.update(max_examples=5, deterministic=True)
    project.update(headers={"Authorization": f"Bearer {KEY}"}, workers=2)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)

    failures, errors, tested, phases = [], [], set(), set()
    finished = None
    for event in from_schema(schema).execute():
        if isinstance(event, (events.ScenarioFinished, events.FuzzScenarioFinished)):
            tested.add(event.recorder.label)
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures.append(f"{event.recorder.label}: {check.name}: {failure.title}: "
                                        f"{failure.message[:300]}\n  {check.failure_info.code_sample[:400]}")
        elif isinstance(event, events.PhaseFinished):
            phases.add(event.phase.name.value)
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            errors.append(repr(event))
        elif isinstance(event, events.EngineFinished):
            finished = event
    assert not errors, errors
    assert failures == [], "\n".join(failures)
    assert finished is not None and finished.stop_reason.value == "completed"
    assert {"examples", "coverage", "fuzzing", "stateful"} <= phases
    operations = {f"{method.upper()} {p}" for p, item in app.openapi()["paths"].items() for method in item}
    assert operations <= tested, operations - tested  # every operation was exercised
    with Store(path, read_only=True) as db:  # the key was accepted: generated documents were stored
        assert db.counts()[0] > 4
