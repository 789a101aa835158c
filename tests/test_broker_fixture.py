"""tests/broker.py points the project's Celery app at a test's own broker and leaves nothing behind."""

from smm.celery import app
from tests.broker import CHANGED, celery_app_on


def test_pointing_the_project_app_at_a_broker_is_undone_afterwards():
    before = {key: app.conf[key] for key in CHANGED}
    assert app.conf.task_always_eager  # the root conftest's default for every test

    with celery_app_on("redis://127.0.0.1:1/0"):
        assert (app.conf.broker_url, app.conf.result_backend) == ("redis://127.0.0.1:1/0", "redis://127.0.0.1:1/0")
        assert not app.conf.task_always_eager
        assert (app.connection_for_write().hostname, app.connection_for_write().port) == ("127.0.0.1", 1)

    assert {key: app.conf[key] for key in CHANGED} == before
    assert app.connection_for_write().port != 1
