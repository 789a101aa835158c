"""Racing real database connections in a test: each call in its own thread (its own connection), all released at once."""

import threading

from django.db import connection


def at_once(*calls, timeout: float = 60) -> None:
    """Run the calls together, each on its own thread and connection; an exception in any fails the test."""
    start, errors = threading.Barrier(len(calls)), []

    def run(call):
        try:
            start.wait()
            call()
        except Exception as error:  # the assertion below names it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert errors == []
