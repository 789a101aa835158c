"""What the publishing tests share: a platform's edge that answers each follow-up call as the test says."""

import pytest

from metrics.connectors.base import PublishResult


class Platform:
    """The platform's edge: each publish gives a post id; `answers` are what each comment call does."""

    def __init__(self, *answers):
        self.answers, self.comments, self.published = list(answers), [], []

    def publish(self, *, text, media_urls=(), attempt_id="", media=()):
        self.published.append(text)
        return PublishResult(external_id=f"post-{len(self.published)}", permalink="https://x.com/acme/status/1")

    def comment(self, *, post_id, text):
        self.comments.append((post_id, text))
        answer = self.answers.pop(0) if self.answers else f"comment-{len(self.comments)}"
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def platform(monkeypatch):
    def use(*answers):
        edge = Platform(*answers)
        monkeypatch.setattr("metrics.connectors.connector_for", lambda profile: edge)
        return edge

    return use
