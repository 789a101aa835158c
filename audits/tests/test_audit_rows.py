"""The inventory's and the access register's rows, written by tags in one pass, escape every stored text."""

from accounts.roles import Role

from .factories import AccessGrantFactory, SocialAccountFactory

SCRIPT = "<script>alert(1)</script>"


def test_the_inventory_escapes_what_was_typed_and_says_when_there_is_no_data_or_no_owner(client_as, workspace):
    client = client_as(Role.ADMIN)
    SocialAccountFactory(workspace=workspace, handle="brand", purpose=SCRIPT, audience=SCRIPT, url='https://x.test/"a')
    html = client.get("/audit/accounts/").content.decode()
    assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://x.test/&quot;a"' in html
    assert 'data-testid="no-data">no data yet</td>' in html and '<span class="text-danger">nobody</span>' in html


def test_the_access_register_escapes_what_was_typed(client_as, workspace):
    client = client_as(Role.ADMIN)
    AccessGrantFactory(
        account__workspace=workspace, person_name=SCRIPT, department=SCRIPT, still_with_company=False, two_factor=False
    )
    html = client.get("/audit/access/").content.decode()
    assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt; · <strong>left the company</strong>" in html
    assert '<tr class="table-danger">' in html and 'data-testid="reviewed-on">never</td>' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 1


def test_the_report_says_how_a_finding_was_resolved_escaped_and_offers_the_form_for_the_others(client_as, workspace):
    from zoneinfo import ZoneInfo

    from django.template.defaultfilters import date as date_filter
    from django.utils import timezone

    from audits import services
    from audits.models import Finding

    client = client_as(Role.ADMIN)
    for _ in range(2):
        AccessGrantFactory(account__workspace=workspace, two_factor=False)
    services.audit_run(workspace=workspace, by=None)
    finding = Finding.objects.filter(run__workspace=workspace).first()
    services.finding_resolve(finding=finding, by=client.membership.user, note=SCRIPT)
    html = client.get("/audit/").content.decode()
    # The page prints times in the workspace's zone (past midnight there while still the day before in UTC).
    zone = ZoneInfo(workspace.time_zone)
    when = date_filter(timezone.localtime(Finding.objects.get(pk=finding.pk).resolved_at, zone), "j M")
    by = client.membership.user.get_full_name()
    assert f"Resolved {when} by {by}: &lt;script&gt;alert(1)&lt;/script&gt;</div>" in html and SCRIPT not in html
    assert f'id="finding-{finding.pk}" class="table-light">' in html and "verdict-resolved" in html
    assert html.count('placeholder="How was it resolved?"') == Finding.objects.filter(resolved_at=None).count() > 0
