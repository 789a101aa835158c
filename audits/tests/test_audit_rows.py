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
