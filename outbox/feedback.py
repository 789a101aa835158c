"""What a page says once it queued a person's action: one wording wherever actions are queued."""

from django.contrib import messages

from .models import QueuedAction


def say_queued(request, action: QueuedAction, *, queued: str, what: str, then: str = "starts") -> None:
    """`queued` when the task queue took the action; otherwise that `what` is recorded and `then` once it is back."""
    if action.dispatch_error:
        messages.warning(
            request, f"The task queue is not answering: {what} is recorded and {then} as soon as it is back."
        )
    else:
        messages.success(request, queued)
