from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import throttle, views
from .two_factor import views as two_factor
from .two_factor.middleware import allowed_before_code, allowed_before_enrolment

app_name = "accounts"

urlpatterns = [
    # Two steps: e-mail and password, then (with two-factor login on) the code (accounts/two_factor/).
    path("login/", two_factor.PasswordStepView.as_view(), name="login"),
    path("login/code/", two_factor.login_code, name="login_code"),
    path("logout/", allowed_before_code(auth_views.LogoutView.as_view()), name="logout"),
    path("profile/", two_factor.profile, name="profile"),
    path("profile/two-factor/start/", two_factor.app_setup_start, name="two_factor_start"),
    path("profile/two-factor/setup/", two_factor.app_setup, name="two_factor_setup"),
    path("profile/two-factor/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path(
        "profile/two-factor/recovery-codes.txt",
        two_factor.recovery_codes_download,
        name="two_factor_recovery_codes_download",
    ),
    path("profile/two-factor/recovery-codes/kept/", two_factor.recovery_codes_kept, name="two_factor_codes_kept"),
    path("profile/two-factor/recovery-codes/new/", two_factor.recovery_codes_new, name="two_factor_codes_new"),
    path("profile/two-factor/off/", two_factor.two_factor_off, name="two_factor_off"),
    path("login/device/<str:token>/", throttle.device_confirm, name="device_confirm"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(success_url=reverse_lazy("accounts:password_reset_done")),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("dashboard:home")),
        name="password_change",
    ),
    # Open to a member who still has to set up two-factor login: another workspace may not require it.
    path("workspace/switch/", allowed_before_enrolment(views.workspace_switch), name="workspace_switch"),
    path("workspace/none/", allowed_before_enrolment(views.no_workspace), name="no_workspace"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/role/", views.member_role, name="member_role"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("members/settings/", views.workspace_settings, name="workspace_settings"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
