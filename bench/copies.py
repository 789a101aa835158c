"""Copies of Bench Brand in the same database ("Bench Brand 2" .. "Bench Brand N"), made by PostgreSQL itself.

The measured pages stay on the first Bench Brand; the copies are there so that every table holds N brands'
rows, as a hosted database does, and a query that scans more than its workspace's rows (a missing index, an
index that does not lead with the workspace's column) shows in the figures.

Every row of the brand is copied with `INSERT … SELECT` for all copies at once, so nothing goes through Python
row by row: 100 copies of scale 1 (15 million rows) take minutes, not the hour the generator would. Which tables
to copy is read from the models, not listed here: every model with a foreign key to the workspace, or to a
model that has one, and so on (a table added later, such as a daily roll-up, is copied too). For each such
table a temporary map (copy, old id, new id) is built in the foreign keys' order; the INSERT then takes every
column as it is, except:
- the primary key and each foreign key to a copied row: the new id from the map of the copy;
- each foreign key to a member: that member's own copy (admin+2@bench.test ... one user per copy and member,
  so no Bench Brand user sees 100 workspaces in the switcher);
- the globally unique columns: the workspace's slug and name get the copy's number; other unique strings
  and UUIDs are derived from the original and the copy's number (deterministic).
Django's foreign keys on PostgreSQL are DEFERRABLE INITIALLY DEFERRED, so the order of the INSERTs within
the transaction does not matter. SQLite (tests on a laptop) has no such SQL: copies need PostgreSQL.
"""

# The SQL below is built from the models' table and column names and from integers read from the database,
# never from input: S608 does not apply.
# ruff: noqa: S608

from dataclasses import dataclass
from time import perf_counter

from django.apps import apps
from django.db import connection, models, transaction

from accounts.models import User, Workspace

from .data import BENCH_DOMAIN, BENCH_NAME, BENCH_SLUG

CHUNK = 10  # copies per transaction: the maps stay small and progress shows


def copy_slug(n: int) -> str:
    return f"{BENCH_SLUG}-{n}"


def copy_email(email: str, n: int) -> str:
    local, _, domain = email.partition("@")
    return f"{local}+{n}@{domain}"


@dataclass(frozen=True)
class _Table:
    model: type[models.Model]
    owned_fks: tuple  # foreign keys to copied models (self included)
    user_fks: tuple  # foreign keys to the user model

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def pk(self):
        return self.model._meta.pk


def _fks(model) -> list:
    return [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def tables() -> list[_Table]:
    """Every table that belongs to a workspace, parents before children (cycles broken at nullable keys)."""
    candidates = [
        m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy and m is not User
    ]
    owned = {Workspace}
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model not in owned and any(f.related_model in owned for f in _fks(model)):
                owned.add(model)
                grew = True
    ordered, placed = [], set()
    pending = [Workspace, *sorted((m for m in owned if m is not Workspace), key=lambda m: m._meta.label)]
    while pending:
        ready = [
            m for m in pending if all(f.related_model in placed | {m} for f in _fks(m) if f.related_model in owned)
        ]
        # A cycle: take a model with at least one parent placed (its rows are found through that parent).
        ready = ready or [next(m for m in pending if any(f.related_model in placed for f in _fks(m)))]
        for model in ready:
            fks = _fks(model)
            ordered.append(
                _Table(
                    model,
                    tuple(f for f in fks if f.related_model in owned),
                    tuple(f for f in fks if f.related_model is User),
                )
            )
            placed.add(model)
            pending.remove(model)
    return ordered


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _map(table: _Table) -> str:
    return _q(f"bench_map_{table.name}")


def _build_maps(ordered: list[_Table], *, roots_sql: str, copies: list[int] | None) -> None:
    """One temporary table per table: (copy, old, new) for the rows that belong to the root workspaces.

    With copies=None no new ids are drawn (new = old, copy = 0): the rows of existing workspaces, to delete.
    """
    with connection.cursor() as cursor:
        copy_list = "0" if copies is None else ", ".join(str(n) for n in copies)
        mapped = {}
        for table in ordered:
            pk = _q(table.pk.column)
            if table.model is Workspace:
                source = f"SELECT t.{pk} AS old, c.n AS copy FROM {_q(table.name)} t, (VALUES ({'), ('.join(copy_list.split(', '))})) c(n) WHERE t.{pk} IN ({roots_sql})"
            else:
                parents = [
                    f for f in table.owned_fks if f.related_model in mapped and f.related_model is not table.model
                ]
                # The copy number comes from the parent's map; one parent's suffices (they agree).
                first = parents[0]
                source = (
                    f"SELECT t.{pk} AS old, p.copy AS copy FROM {_q(table.name)} t "
                    f"JOIN {mapped[first.related_model]} p ON p.old = t.{_q(first.column)}"
                )
                if len(parents) > 1:
                    # Rows whose first parent is empty but another is set: found through the others.
                    for other in parents[1:]:
                        source += (
                            f" UNION SELECT t.{pk}, p.copy FROM {_q(table.name)} t "
                            f"JOIN {mapped[other.related_model]} p ON p.old = t.{_q(other.column)} "
                            f"WHERE t.{_q(first.column)} IS NULL"
                        )
            if copies is None:
                new = "s.old"
            elif table.pk.is_relation:
                # The primary key is the parent's (a one-to-one primary key): the parent's new id.
                new = f"(SELECT m.new FROM {mapped[table.pk.related_model]} m WHERE m.old = s.old AND m.copy = s.copy)"
            else:
                new = f"nextval(pg_get_serial_sequence('{table.name}', '{table.pk.column}'))"
            cursor.execute(f"DROP TABLE IF EXISTS {_map(table)}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_map(table)} ON COMMIT DROP AS "
                f"SELECT s.copy, s.old, {new} AS new FROM ({source}) s ORDER BY s.copy, s.old"
            )
            cursor.execute(f"CREATE INDEX ON {_map(table)} (old, copy)")
            cursor.execute(f"ANALYZE {_map(table)}")
            mapped[table.model] = _map(table)


def _user_map(copies: list[int]) -> str:
    """The members of the source workspace, one new user per copy."""
    name = _q("bench_map_users")
    membership = _q("bench_map_accounts_membership")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS SELECT m.copy, u.id AS old, "
            f"nextval(pg_get_serial_sequence('{User._meta.db_table}', 'id')) AS new "
            f"FROM {_q(User._meta.db_table)} u JOIN accounts_membership am ON am.user_id = u.id "
            f"JOIN {membership} m ON m.old = am.id ORDER BY m.copy, u.id"
        )
        cursor.execute(f"CREATE INDEX ON {name} (old, copy)")
        cursor.execute(f"ANALYZE {name}")
    return name


def _column_expression(table: _Table, field, joins: dict) -> str:
    column = f"t.{_q(field.column)}"
    if field is table.pk:
        return "m.new"
    if field in table.owned_fks:
        return f"{joins[field]}.new"
    if field in table.user_fks:
        return f"COALESCE({joins[field]}.new, {column})"
    if table.model is Workspace and field.name == "slug":
        return f"{column} || '-' || m.copy"
    if table.model is Workspace and field.name == "name":
        return f"{column} || ' ' || m.copy"
    if isinstance(field, models.UUIDField):
        return f"md5({column}::text || '-' || m.copy)::uuid"
    if field.unique and isinstance(field, models.CharField):
        return f"left(md5({column} || '-' || m.copy), {field.max_length or 32})"
    return column


def _insert(table: _Table, user_map: str) -> int:
    fields = table.model._meta.concrete_fields
    joins, sql_joins = {}, []
    for n, field in enumerate((*table.owned_fks, *table.user_fks)):
        if field is table.pk:
            continue
        alias = f"j{n}"
        joins[field] = alias
        target = (
            _map(next(t for t in tables_cache() if t.model is field.related_model))
            if field in table.owned_fks
            else user_map
        )
        sql_joins.append(f"LEFT JOIN {target} {alias} ON {alias}.old = t.{_q(field.column)} AND {alias}.copy = m.copy")
    columns = ", ".join(_q(f.column) for f in fields)
    values = ", ".join(_column_expression(table, f, joins) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_q(table.name)} ({columns}) SELECT {values} FROM {_q(table.name)} t "
            f"JOIN {_map(table)} m ON m.old = t.{_q(table.pk.column)} {' '.join(sql_joins)}"
        )
        return cursor.rowcount


_TABLES: list[_Table] = []


def tables_cache() -> list[_Table]:
    if not _TABLES:
        _TABLES.extend(tables())
    return _TABLES


def _copy_users(user_map: str) -> int:
    fields = User._meta.concrete_fields
    values = []
    for field in fields:
        if field is User._meta.pk:
            values.append("m.new")
        elif field.name == "email":
            values.append("split_part(t.email, '@', 1) || '+' || m.copy || '@' || split_part(t.email, '@', 2)")
        else:
            values.append(f"t.{_q(field.column)}")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_q(User._meta.db_table)} ({', '.join(_q(f.column) for f in fields)}) "
            f"SELECT {', '.join(values)} FROM {_q(User._meta.db_table)} t JOIN {user_map} m ON m.old = t.id"
        )
        return cursor.rowcount


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise ValueError("Copies of Bench Brand are made by PostgreSQL: point DATABASE_URL at PostgreSQL.")


def remove_copies(log=lambda message: None) -> int:
    """Delete every Bench Brand copy and its members' users, with plain DELETEs (millions of rows at N=100)."""
    copies = Workspace.objects.filter(slug__regex=rf"^{BENCH_SLUG}-[0-9]+$", name__startswith=f"{BENCH_NAME} ")
    ids = list(copies.values_list("pk", flat=True))
    if not ids:
        return 0
    _require_postgresql()
    ordered = tables_cache()
    with transaction.atomic():
        _build_maps(ordered, roots_sql=", ".join(str(pk) for pk in ids), copies=None)
        users = list(
            User.objects.filter(
                memberships__workspace_id__in=ids, email__regex=rf"\+[0-9]+@{BENCH_DOMAIN.replace('.', '[.]')}$"
            ).values_list("pk", flat=True)
        )
        with connection.cursor() as cursor:
            for table in reversed(ordered):
                cursor.execute(
                    f"DELETE FROM {_q(table.name)} WHERE {_q(table.pk.column)} IN (SELECT old FROM {_map(table)})"
                )
        # Anything else of theirs (sessions are not rows of theirs; groups, devices...) goes with the collector.
        User.objects.filter(pk__in=users).delete()
    log(f"removed {len(ids)} Bench Brand copies")
    return len(ids)


def make_copies(workspace: Workspace, *, workspaces: int, log=lambda message: None) -> dict[str, int]:
    """Bench Brand 2..N: every row of `workspace` again, N-1 times. -> rows written per table."""
    _require_postgresql()
    ordered = tables_cache()
    written: dict[str, int] = {}
    numbers = list(range(2, workspaces + 1))
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        with transaction.atomic():
            _build_maps(ordered, roots_sql=str(workspace.pk), copies=chunk)
            user_map = _user_map(chunk)
            written["users"] = written.get("users", 0) + _copy_users(user_map)
            for table in ordered:
                written[table.name] = written.get(table.name, 0) + _insert(table, user_map)
        log(f"copies {chunk[0]}..{chunk[-1]} written ({sum(written.values()):,} rows so far)")
    return written


def copies_count() -> int:
    return Workspace.objects.filter(slug__regex=rf"^{BENCH_SLUG}-[0-9]+$").count()


def generate_brands(*, scale: float, workspaces: int = 1, seed: int = 1, today=None, log=lambda message: None):
    """Bench Brand at `scale` (bench.data.generate), then copies 2..N of it; the copies of a previous run go first.

    Returns the brand's `Generated`, its counts with the copies' rows added as `copies_rows`.
    """
    from .data import generate

    if workspaces < 1:
        raise ValueError("--workspaces must be at least 1 (the measured Bench Brand).")
    if workspaces > 1:
        _require_postgresql()
    remove_copies(log)
    out = generate(scale=scale, seed=seed, today=today, log=log)
    if workspaces > 1:
        started = perf_counter()
        written = make_copies(out.workspace, workspaces=workspaces, log=log)
        out.counts["copies_rows"] = sum(written.values())
        log(f"{workspaces - 1} copies: {out.counts['copies_rows']:,} rows in {perf_counter() - started:.0f} s")
        vacuum = not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return out
