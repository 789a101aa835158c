"""Tools and processes: editors add them, duplicates are refused with a message, readers only read."""

from accounts.roles import Role
from audits.models import Process, Tool


def test_an_editor_adds_a_tool_with_its_users(client_as, workspace):
    client = client_as(Role.ADMIN)
    response = client.post(
        "/audit/tools/",
        {
            "form": "tool",
            "name": "Hootsuite",
            "purpose": "publishing",
            "monthly_cost": "99",
            "users": [client.membership.user.pk],
        },
    )
    assert response.status_code == 302
    assert list(Tool.objects.get(workspace=workspace).users.all()) == [client.membership.user]


def test_a_tool_listed_twice_is_refused_with_a_message(client_as, workspace):
    client = client_as(Role.ADMIN)
    client.post("/audit/tools/", {"form": "tool", "name": "Canva", "purpose": "design", "monthly_cost": "12"})
    response = client.post(
        "/audit/tools/", {"form": "tool", "name": "canva ", "purpose": "design", "monthly_cost": "0"}
    )
    assert response.status_code == 400
    assert "canva is already in the list of tools." in response.content.decode()
    assert Tool.objects.count() == 1


def test_a_negative_cost_is_refused(client_as):
    client = client_as(Role.ADMIN)
    response = client.post("/audit/tools/", {"form": "tool", "name": "X", "purpose": "ads", "monthly_cost": "-5"})
    assert response.status_code == 400
    assert not Tool.objects.exists()


def test_a_tool_user_must_be_a_member_of_the_workspace(client_as, make_member, other_workspace):
    client = client_as(Role.ADMIN)
    outsider = make_member(Role.ADMIN, ws=other_workspace).user
    response = client.post(
        "/audit/tools/", {"form": "tool", "name": "X", "purpose": "ads", "monthly_cost": "5", "users": [outsider.pk]}
    )
    assert response.status_code == 400
    assert not Tool.objects.exists()


def test_each_process_is_described_once(client_as, workspace):
    client = client_as(Role.STRATEGY_LEAD)
    data = {"form": "process", "kind": "crisis", "description": "Call Sam", "documented": ""}
    assert client.post("/audit/tools/", data).status_code == 302
    response = client.post("/audit/tools/", data)
    assert "is already described" in response.content.decode()
    assert Process.objects.filter(workspace=workspace).count() == 1


def test_a_reader_cannot_add_a_tool(client_as):
    client = client_as(Role.COORDINATOR)
    response = client.post("/audit/tools/", {"form": "tool", "name": "X", "purpose": "ads", "monthly_cost": "5"})
    assert response.status_code == 403
    assert not Tool.objects.exists()
