"""Lookups the selectors share."""

from django.db.models.lookups import Lookup


class AnyOf(Lookup):
    """`lhs = ANY(array)` (PostgreSQL): a filter on one row's key against an array (an ArraySubquery), probed on the
    key's index with no parameter per id, where `IN (SELECT …)` lets the planner hash-join the whole table."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)
