"""The Django admin is for operators: every registration is either scoped to workspaces or superuser-only.

A model admin that declares a `workspace_lookup` (the path from the model to its workspace's id: "workspace",
"profile__workspace", "pk" for Workspace itself) and derives from WorkspaceScopedAdmin shows a staff user who is not
a superuser only the rows of the workspaces they are a member of: in the list, in the change, delete and history
views (another workspace's pk is "not found"), in the choices of its foreign keys and in autocomplete. Any other
registration, ours or a third-party app's (beat's schedules, axes' records, django-otp's devices, the auth groups),
is wrapped at registration by OperatorAdminSite so that only superusers may open it. A model registered later is
therefore safe by default: it is superuser-only until someone scopes it on purpose.

Writes kept in the admin go through the services (the model admins call them in save_model, delete_model and
their actions); a service's refusal (ValidationError) answers as an error message on the same page, with nothing
written.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator

from common.redirects import safe_next


def member_workspace_ids(request) -> list[int]:
    """The ids of the workspaces the request's user is a member of (once per request)."""
    if not hasattr(request, "_admin_workspace_ids"):
        from accounts.models import Membership

        request._admin_workspace_ids = list(
            Membership.objects.filter(user=request.user).values_list("workspace_id", flat=True)
        )
    return request._admin_workspace_ids


def scoped(queryset: models.QuerySet, request, lookup: str | None) -> models.QuerySet:
    """`queryset` limited to the workspaces of the request's user; all of it for a superuser; none without a lookup."""
    if request.user.is_superuser:
        return queryset
    if not lookup:
        return queryset.none()
    ids = member_workspace_ids(request)
    if lookup == "pk" or "__" not in lookup:
        return queryset.filter(**{f"{lookup}__in": ids})
    # A lookup through another table: a subquery, so that a to-many path never repeats a row.
    inner = queryset.model._default_manager.filter(**{f"{lookup}__in": ids}).values("pk")
    return queryset.filter(pk__in=inner)


# How models that are not registered as scoped reach their workspace, for foreign-key and many-to-many choices.
CHOICE_LOOKUPS = {"accounts.User": "memberships__workspace", "accounts.Workspace": "pk"}


def choice_lookup(model, admin_site) -> str | None:
    model_admin = admin_site._registry.get(model)
    if isinstance(model_admin, WorkspaceScopedAdmin):
        return model_admin.workspace_lookup
    if model._meta.label in CHOICE_LOOKUPS:
        return CHOICE_LOOKUPS[model._meta.label]
    try:
        field = model._meta.get_field("workspace")
    except FieldDoesNotExist:
        return None
    return "workspace" if field.is_relation else None


class ServiceWritesMixin:
    """A service's refusal raised from save_model or delete_model: an error message, the transaction rolled back."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class WorkspaceScopedAdmin(ServiceWritesMixin, admin.ModelAdmin):
    """The base of every model admin that staff users who are not superusers may open: see the module's docstring."""

    workspace_lookup: str = ""

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request, self.workspace_lookup)

    def in_scope(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return scoped(self.model._default_manager.filter(pk=obj.pk), request, self.workspace_lookup).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._scope_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._scope_choices(super().formfield_for_manytomany(db_field, request, **kwargs), request)

    def _scope_choices(self, formfield, request):
        if formfield is not None and getattr(formfield, "queryset", None) is not None:
            model = formfield.queryset.model
            formfield.queryset = scoped(formfield.queryset, request, choice_lookup(model, self.admin_site))
        return formfield

    def get_list_filter(self, request):
        # A plain relation filter lists every row of the related table (every workspace's name): offer only the
        # values the user's own rows use.
        return [self._related_only(entry) for entry in super().get_list_filter(request)]

    def _related_only(self, entry):
        if isinstance(entry, str) and "__" not in entry:
            try:
                field = self.model._meta.get_field(entry)
            except FieldDoesNotExist:
                return entry
            if field.is_relation:
                return (entry, admin.RelatedOnlyFieldListFilter)
        return entry


class ReadOnlyAdminMixin:
    """The admin shows these rows; the app and its services write them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnlyMixin:
    """For a model not tied to one workspace: nobody but a superuser may see or change it."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args, **kwargs):
        return (
            request.user.is_active
            and request.user.is_superuser
            and super().has_add_permission(request, *args, **kwargs)
        )

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser and super().has_delete_permission(request, obj)


def is_workspace_scoped(admin_class) -> bool:
    return issubclass(admin_class, WorkspaceScopedAdmin) and bool(admin_class.workspace_lookup)


class OperatorAdminSite(admin.AdminSite):
    """The project's admin site: any registration without a workspace lookup becomes superuser-only.

    It has no login form of its own: operators log in through the app's (its lockout, its second factor), and with
    OPERATOR_TWO_FACTOR_REQUIRED (on in production) only a session that passed the code step opens the admin.
    """

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.OPERATOR_TWO_FACTOR_REQUIRED or request.user.is_verified()

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        target = safe_next(request, reverse("admin:index", current_app=self.name))
        if not request.user.is_authenticated:
            return redirect_to_login(target, login_url=settings.LOGIN_URL)
        if self.has_permission(request):
            return redirect(target)
        if request.user.is_active and request.user.is_staff and not request.user.is_verified():
            messages.info(request, "The admin needs two-factor login: set it up here, then open the admin again.")
            return redirect("accounts:profile")
        raise PermissionDenied("The admin is for the operators of this installation.")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if options:  # what register(Model, list_display=...) would build, decided on as a whole
            admin_class = type(
                f"{admin_class.__name__}WithOptions", (admin_class,), {**options, "__module__": __name__}
            )
        if is_workspace_scoped(admin_class):
            models_ = [model_or_iterable] if isinstance(model_or_iterable, models.base.ModelBase) else model_or_iterable
            for model in models_:
                # A lookup that does not resolve fails here, at start-up, not on an operator's first click.
                model._default_manager.filter(**{f"{admin_class.workspace_lookup}__in": []})
        elif not issubclass(admin_class, SuperuserOnlyMixin):
            admin_class = type(
                f"SuperuserOnly{admin_class.__name__}",
                (SuperuserOnlyMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class)
