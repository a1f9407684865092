"""No input gives a 5xx: hostile requests over every route, and the JSON API generated from its own OpenAPI
document by Schemathesis. Each 4xx says what was wrong (JSON from the API). `make stress` sends 10,000 and more of
the same requests over HTTP to `izde serve` (RELIABILITY.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

import archive_factory
from index.build import build_index
from web import create_app

sys.path.append(str(Path(__file__).parent.parent / "bench"))  # after the packages: bench/search.py is a script
import hostile  # noqa: E402

FUZZ_SETTINGS = settings(max_examples=250, deadline=None, derandomize=True,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    archive_factory.write(root / "archive.jsonl")
    build_index([root / "archive.jsonl"], root / "index")
    return create_app({"INDEX": str(root / "index")})  # not TESTING: errors are answered, as in production


def check_answer(status: int, text: str, path: str) -> None:
    """Below 500; a 4xx from the API is a JSON error with a message, and from a page a page that says it."""
    assert status < 500, (path, status)
    if 400 <= status < 500:
        if path.startswith("/api/"):
            error = json.loads(text)["error"]
            assert error["status"] == status and error["message"].strip(), path
        else:
            assert text.strip(), path


@FUZZ_SETTINGS
@given(path=hostile.requests())
def test_hostile_requests_over_every_route(app, path):
    client = app.test_client()
    response = client.get(path)
    check_answer(response.status_code, response.get_data(as_text=True), path)


API_OPERATIONS = ["/api/search", "/api/articles/{id}", "/api/articles/{id}/related", "/api/suggest",
                  "/api/issues", "/api/openapi.json"]


@pytest.mark.parametrize("path", API_OPERATIONS)
def test_api_from_its_openapi_document(app, path):
    """Schemathesis generates each operation's requests from the OpenAPI document the app serves: valid ones,
    and (negative mode) ones that break the document's own rules."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
    operation = schema[path]["GET"]
    assert path == "/api/openapi.json" or operation.query or operation.path_parameters

    @settings(max_examples=60, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(case=operation.as_strategy())
    def call(case):
        response = case.call()
        check_answer(response.status_code, response.text, case.formatted_path)

    call()
