from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """The mail server is down: the world's edge, not our code."""

    def send_messages(self, email_messages):
        raise ConnectionError("SMTP server unreachable")
