"""Counting what a request reads: queries and the rows the database returned (for window and budget tests)."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def reads():
    """[queries, rows the database returned] of the requests inside the block."""
    seen = [0, 0]

    def count(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        seen[0] += 1
        seen[1] += max(context["cursor"].rowcount, 0)
        return result

    with connection.execute_wrapper(count):
        yield seen
