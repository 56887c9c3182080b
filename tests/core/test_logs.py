"""Log lines of a request name the tenant and the request id; the id is echoed to the client."""

import io
import json
import logging

import pytest
import structlog

from rustok.logs import configure


@pytest.fixture
def json_log():
    config = configure(json_output=True)["structured"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=config["processors"], foreign_pre_chain=config["foreign_pre_chain"]
        )
    )
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_request_log_lines_carry_tenant_and_request_id(client_a, json_log):
    response = client_a.get("/api/v1/notes/999999/", HTTP_X_REQUEST_ID="req-42")
    assert response["X-Request-ID"] == "req-42"
    [line] = json_log()
    assert line["tenant"] == "alpha"
    assert line["request_id"] == "req-42"
    assert line["level"] == "warning"
    assert "Not Found" in line["event"]


def test_a_request_id_is_made_when_none_or_a_bad_one_is_sent(client_a):
    made = client_a.get("/api/v1/site/")["X-Request-ID"]
    assert len(made) == 32
    assert client_a.get("/api/v1/site/", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"


def test_a_refused_request_is_logged_without_the_previous_requests_tenant(client_a, client, json_log):
    client_a.get("/api/v1/notes/999999/", HTTP_X_REQUEST_ID="req-alpha")
    response = client.get("/api/v1/site/", HTTP_HOST="nowhere.test", HTTP_X_REQUEST_ID="req-unknown")
    assert response["X-Request-ID"] == "req-unknown"
    line = json_log()[-1]
    assert (line["tenant"], line["request_id"]) == (None, "req-unknown")
