"""The rules a row of the inventory or of the access register must follow, written once.

The models' `clean()` applies them, so the forms and the services do; the CSV import applies the very same
functions to thousands of rows. They differ only in how they learn what is already taken:
- one row at a time (a form, a service call) asks the database: `AccountsInDatabase`, `AccessInDatabase`;
- an import loads the workspace's rows once and adds each row of its file as it accepts it
  (`AccountsInFile`, `AccessInFile`), so a duplicate of the database or of an earlier line is found without a
  query per row, and named by its line.
The database's unique constraints stay the backstop against two writers racing.
"""

from django.core.exceptions import ValidationError

from .handles import handle_error, normalise_handle, profile_url, url_error


def _platform_label(account) -> str:
    return account.get_platform_display()


def check_account(account, *, taken) -> None:
    """Normalise the handle, fill the address from it, and refuse what cannot be right or is already listed."""
    account.handle = normalise_handle(account.handle)
    errors = {}
    if message := handle_error(account.platform, account.handle):
        errors["handle"] = message
    if message := url_error(account.platform, account.url):
        errors["url"] = message
    if not account.url and not errors:
        account.url = profile_url(account.platform, account.handle)
    if account.tracked_profile_id and account.tracked_profile.workspace_id != account.workspace_id:
        errors["tracked_profile"] = "Choose a profile tracked in this workspace."
    if account.tracked_profile_id and account.tracked_profile.platform != account.platform:
        errors["tracked_profile"] = "The tracked profile is on another network."
    if not errors:
        errors.update(taken.clashes(account))
    if errors:
        raise ValidationError(errors)


def check_access(grant, *, taken) -> None:
    """Someone is named (a member, or a name and an e-mail), on an account of the workspace, once per account."""
    grant.person_name = grant.person_name.strip()
    grant.person_email = grant.person_email.strip().lower()
    if grant.member_id:
        # A member is known by their account; the free-text fields would only drift from it.
        grant.person_name, grant.person_email = "", ""
    elif not grant.person_name or not grant.person_email:
        raise ValidationError({"person_name": "Choose a member of the team, or give the person's name and e-mail."})
    if grant.account_id and grant.account.workspace_id != grant.workspace_id:
        raise ValidationError({"account": "Choose an account of this workspace."})
    if clash := taken.clashes(grant):
        raise ValidationError(clash)


def _in_inventory(account) -> str:
    return f"@{account.handle} on {_platform_label(account)} is already in the inventory."


class AccountsInDatabase:
    """What one account clashes with, asked of the database (a form or a service saving one row)."""

    def clashes(self, account) -> dict:
        from .models import SocialAccount

        others = SocialAccount.objects.filter(workspace_id=account.workspace_id).exclude(pk=account.pk)
        if others.filter(platform=account.platform, handle__iexact=account.handle).exists():
            return {"handle": _in_inventory(account)}
        if account.url and others.filter(url__iexact=account.url).exists():
            return {"url": "Another account in the inventory already has this address."}
        return {}


class AccountsInFile:
    """The workspace's handles and addresses loaded once, plus each row of the file accepted so far."""

    def __init__(self, workspace):
        from .models import SocialAccount

        rows = SocialAccount.objects.filter(workspace=workspace).values_list("platform", "handle", "url")
        # None: in the inventory already; a number: that line of the file.
        self.handles = {(platform, handle.lower()): None for platform, handle, _ in rows}
        self.urls = {url.lower(): None for _, _, url in rows if url}

    def clashes(self, account) -> dict:
        key = (account.platform, account.handle.lower())
        if key in self.handles:
            line = self.handles[key]
            if line is None:
                return {"handle": _in_inventory(account)}
            return {
                "handle": f"@{account.handle} on {_platform_label(account)} is already on line {line} of this file."
            }
        url = account.url.lower()
        if url and url in self.urls:
            line = self.urls[url]
            if line is None:
                return {"url": "Another account in the inventory already has this address."}
            return {"url": f"Line {line} of this file already has this address."}
        return {}

    def add(self, account, line: int) -> None:
        self.handles[(account.platform, account.handle.lower())] = line
        if account.url:
            self.urls[account.url.lower()] = line


def _member_clash(grant, where: str) -> dict:
    return {"member": f"{grant.member} already has access to {grant.account}{where}: edit that row."}


def _email_clash(grant, where: str) -> dict:
    return {"person_email": f"{grant.person_email} already has access to {grant.account}{where}: edit that row."}


class AccessInDatabase:
    """What one access row clashes with, asked of the database."""

    def clashes(self, grant) -> dict:
        from .models import AccessGrant

        others = AccessGrant.objects.filter(account_id=grant.account_id).exclude(pk=grant.pk)
        if grant.member_id and others.filter(member_id=grant.member_id).exists():
            return _member_clash(grant, "")
        if not grant.member_id and others.filter(member=None, person_email__iexact=grant.person_email).exists():
            return _email_clash(grant, "")
        return {}


class AccessInFile:
    """Who holds which account in the workspace, loaded once, plus each row of the file accepted so far."""

    def __init__(self, workspace):
        from .models import AccessGrant

        rows = AccessGrant.objects.filter(account__workspace=workspace).values_list(
            "account_id", "member_id", "person_email"
        )
        self.holders = {self._key(account, member, email): None for account, member, email in rows}

    @staticmethod
    def _key(account_id, member_id, email) -> tuple:
        return (account_id, "member", member_id) if member_id else (account_id, "email", email.lower())

    def clashes(self, grant) -> dict:
        key = self._key(grant.account_id, grant.member_id, grant.person_email)
        if key not in self.holders:
            return {}
        line = self.holders[key]
        where = "" if line is None else f" on line {line} of this file"
        return _member_clash(grant, where) if grant.member_id else _email_clash(grant, where)

    def add(self, grant, line: int) -> None:
        self.holders[self._key(grant.account_id, grant.member_id, grant.person_email)] = line
