"""The project's Celery app, in the test process, sending to a broker of the test's own (and put back after).

Fault tests drive "Pull now" through the real view in this process: its message must reach the private redis-server
that the test stops or freezes, not the shared Redis and not the eager mode the root conftest sets. Import the
fixture with `from tests.broker import private_redis, project_app_on_private_redis  # noqa: F401` (pytest looks
fixtures up in the test's module, so the one it stands on comes along).
"""

import contextlib

import pytest
from django.conf import settings
from kombu import pools

from tests.workers import private_redis  # noqa: F401

# Everything celery_app_on changes, so that it can put each one back.
CHANGED = (
    "broker_url",
    "result_backend",
    "broker_transport_options",
    "task_always_eager",
    "task_eager_propagates",
)


def _drop_connections(app) -> None:
    """Forget the pooled broker connections and the result backend: the next message opens new ones."""
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # closes every pooled connection and producer of this process (kombu keeps them by address)
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@contextlib.contextmanager
def celery_app_on(url: str, *, transport_options: dict | None = None, result_backend: str | None = None):
    """Point the project's Celery app at the broker `url` (by default Redis, with the project's transport options)."""
    from smm.celery import app

    saved = {key: app.conf[key] for key in CHANGED}
    _drop_connections(app)
    app.conf.update(
        broker_url=url,
        result_backend=result_backend or url,
        broker_transport_options=settings.REDIS_BROKER_TRANSPORT_OPTIONS
        if transport_options is None
        else transport_options,
        task_always_eager=False,
        task_eager_propagates=False,
    )
    try:
        yield app
    finally:
        _drop_connections(app)
        app.conf.update(saved)


@pytest.fixture
def project_app_on_private_redis(private_redis):  # noqa: F811
    """The project's Celery app sends to `private_redis` for this test only; yields the PrivateRedis."""
    with celery_app_on(private_redis.url):
        yield private_redis
