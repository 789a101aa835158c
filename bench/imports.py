"""Audit import throughput: N inventory rows, then N access rows, imported cold into a fresh workspace.

Cold: a workspace made for the run ("Bench Import", deleted afterwards), so no row of the file is in the
database and nothing of it is cached; each file goes through `audits.csv_io.import_accounts` and
`import_access` exactly as the import page calls them, from the uploaded bytes to the committed rows.
"""

import io
from time import perf_counter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import Membership, User, Workspace
from accounts.roles import Role

IMPORT_SLUG = "bench-import"
MEMBERS = 5
# Networks whose handle rules take "b<number>" names; X's 15 characters are the shortest limit.
PLATFORMS = ["instagram", "x", "facebook", "tiktok", "youtube", "linkedin", "pinterest"]


def _handle(n: int) -> str:
    return f"b{n:07d}"


def accounts_csv(rows: int) -> bytes:
    """An inventory of `rows` accounts in the export's columns, every cell filled as a real audit fills it."""
    out = io.StringIO()
    out.write("platform,handle,url,purpose,audience,owner_email,status,created_on,last_post_on\n")
    for n in range(rows):
        platform = PLATFORMS[n % len(PLATFORMS)]
        owner = f"member{n % MEMBERS}@bench-import.test" if n % 3 == 0 else ""
        status = ("active", "dormant", "to_close")[n % 3]
        url = f"https://www.instagram.com/{_handle(n)}/" if platform == "instagram" else ""
        out.write(
            f"{platform},{_handle(n)},{url},Launches and news,Customers in France,{owner},{status},"
            f"2019-0{1 + n % 9}-1{n % 10},2026-1{n % 2}-0{1 + n % 9}\n"
        )
    return out.getvalue().encode()


def access_csv(rows: int) -> bytes:
    """One access row per account of `accounts_csv(rows)`: a member for some, a named outsider for the rest."""
    out = io.StringIO()
    out.write(
        "platform,handle,member_email,person_name,person_email,department,level,tool,two_factor,"
        "granted_on,last_reviewed_on,still_with_company\n"
    )
    levels = ("owner", "admin", "editor", "analyst", "advertiser")
    for n in range(rows):
        platform = PLATFORMS[n % len(PLATFORMS)]
        member, outsider = f"member{n % MEMBERS}@bench-import.test,,", f",Person {n},person{n}@agency.test"
        holder = member if n % 4 == 0 else outsider
        out.write(
            f"{platform},{_handle(n)},{holder},Marketing,{levels[n % 5]},native,{('yes', 'no')[n % 2]},"
            f"2022-06-01,2026-0{1 + n % 9}-15,{('yes', 'no')[n % 7 == 0]}\n"
        )
    return out.getvalue().encode()


def _fresh_workspace() -> Workspace:
    remove()
    workspace = Workspace.objects.create(slug=IMPORT_SLUG, name="Bench Import")
    for n in range(MEMBERS):
        user, _ = User.objects.get_or_create(email=f"member{n}@bench-import.test", defaults={"full_name": f"M {n}"})
        Membership.objects.create(user=user, workspace=workspace, role=Role.COMMUNITY_MANAGER)
    return workspace


def remove() -> None:
    Workspace.objects.filter(slug=IMPORT_SLUG).delete()


def _timed(importer, *, workspace, content: bytes, name: str) -> tuple[float, object]:
    uploaded = SimpleUploadedFile(name, content, content_type="text/csv")
    started = perf_counter()
    # Counts every statement, COPY included (an execute_wrapper does not see COPY).
    with CaptureQueriesContext(connection) as queries:
        result = importer(workspace=workspace, uploaded=uploaded)
    seconds = perf_counter() - started
    return seconds, result, len(queries)


def run(*, rows: int = 100_000, log=lambda message: None) -> dict:
    """Import `rows` accounts then `rows` access rows into a fresh workspace; seconds, rows/s and queries of each.

    With DEBUG off, as in production (with DEBUG on, Django keeps every query's SQL in memory).
    """
    from audits import csv_io
    from audits.models import AccessGrant, SocialAccount

    with override_settings(DEBUG=False):
        workspace = _fresh_workspace()
        try:
            figures = {"rows": rows, "database": connection.vendor}
            for kind, importer, content, model in (
                ("accounts", csv_io.import_accounts, accounts_csv(rows), SocialAccount),
                ("access", csv_io.import_access, access_csv(rows), AccessGrant),
            ):
                log(f"importing {rows:,} {kind} rows ({len(content) / 1e6:.1f} MB)")
                seconds, result, queries = _timed(importer, workspace=workspace, content=content, name=f"{kind}.csv")
                written = model.objects.filter(workspace=workspace).count()
                errors = list(getattr(result, "errors", []))
                figures[kind] = {
                    "seconds": round(seconds, 2),
                    "rows_per_s": round(rows / seconds),
                    "written": written,
                    "queries": queries,
                    "megabytes": round(len(content) / 1e6, 1),
                    "errors": len(errors),
                    "first_error": str(errors[0]) if errors else "",
                }
                log(f"  {seconds:.2f} s, {written:,} rows written, {queries:,} queries, {len(errors):,} errors")
                if written != rows:
                    break
        finally:
            remove()
    return figures


def table(figures: dict) -> str:
    lines = [f"Audit import, {figures['rows']:,} rows cold on {figures['database']}:"]
    for kind in ("accounts", "access"):
        if kind in figures:
            f = figures[kind]
            lines.append(
                f"  {kind:<9} {f['seconds']:>8.2f} s  {f['rows_per_s']:>8,} rows/s  {f['written']:>8,} written  "
                f"{f['queries']:>8,} queries  {f['megabytes']} MB"
                + (f"  first error: {f['first_error']}" if f["errors"] else "")
            )
    return "\n".join(lines)
