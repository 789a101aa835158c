from celery import shared_task


@shared_task
def ping(payload: str) -> str:
    """Echo a payload back: proves that a broker and a worker are alive (used by tests and health checks)."""
    return f"pong:{payload}"
