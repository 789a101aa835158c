"""An expected refusal is one line in the log (who, what, why), never a traceback; a crash keeps its traceback."""

import logging

from accounts.roles import Role
from common.log_filters import OneLineForExpectedRefusals


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_refused_page_logs_one_line_without_traceback(client_as, caplog):
    client = client_as(Role.CONTRIBUTOR)
    with caplog.at_level(logging.INFO):
        response = client.get("/audit/")
    assert response.status_code == 403
    (record,) = _request_records(caplog)
    assert record.exc_info is None and record.exc_text is None
    line = record.getMessage()
    assert line.startswith("Refused: GET /audit/ for user ")
    assert "contributor" in line and "\n" not in line
    assert "Traceback" not in caplog.text


def test_a_refusal_says_why(client_as, caplog):
    client = client_as(Role.ANALYST)
    with caplog.at_level(logging.INFO):
        response = client.post("/audit/access/", {})
    assert response.status_code == 403
    (record,) = _request_records(caplog)
    assert record.getMessage().endswith(": Your role may read the audit but not change it.")


def test_a_missing_row_logs_one_line_without_traceback(client_as, caplog):
    client = client_as(Role.ADMIN)
    with caplog.at_level(logging.INFO):
        response = client.get("/audit/access/999999/")
    assert response.status_code == 404
    (record,) = _request_records(caplog)
    assert record.exc_info is None
    assert record.getMessage().startswith("Not found: GET /audit/access/999999/ for user ")


def test_a_crash_keeps_its_traceback():
    error = ValueError("boom")
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x",), None)
    record.exc_info, record.status_code = (ValueError, error, None), 500
    OneLineForExpectedRefusals().filter(record)
    assert record.exc_info[1] is error and record.getMessage() == "Internal Server Error: /x"


def test_djangos_own_console_handler_does_not_print_each_record_a_second_time():
    """With DEBUG, Django's 'django' logger had a console handler of its own on top of the root's."""
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate
