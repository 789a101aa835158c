"""Expected refusals (403) and missing rows (404) are one line in the log, not a traceback.

Django logs every PermissionDenied and Http404 on `django.request` with the exception attached, so the
console prints its whole traceback for what is only a member trying a page their role does not allow.
An operator needs who, what and why: this filter, on that logger, keeps the record and drops the traceback.
A 500 keeps its traceback.
"""

import logging

EXPECTED = {403: "Refused", 404: "Not found"}


def _who(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    membership = getattr(request, "membership", None)
    role = f", {membership.role}" if membership is not None else ""
    return f"user {user.pk}{role}"


class OneLineForExpectedRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        label = EXPECTED.get(getattr(record, "status_code", None))
        request = getattr(record, "request", None)
        if label is None or request is None:
            return True
        error = record.exc_info[1] if record.exc_info else None
        reason = str(error) if error is not None and str(error) else "no reason given"
        record.msg, record.args = "%s: %s %s for %s: %s", (label, request.method, request.path, _who(request), reason)
        record.exc_info, record.exc_text = None, None
        return True
