"""Platform tokens are encrypted at rest and only a hint is ever shown."""

import pytest

from metrics.models import Credential
from metrics.platforms import Platform
from metrics.services import credential_save

pytestmark = pytest.mark.django_db


def test_a_saved_token_is_stored_encrypted_and_read_back(workspace):
    credential = credential_save(workspace=workspace, platform=Platform.X, token="AAAA-secret-bearer-1234")
    stored = Credential.objects.values_list("token_encrypted", flat=True).get(pk=credential.pk)
    assert "secret-bearer" not in stored
    assert credential.token == "AAAA-secret-bearer-1234"
    assert credential.token_hint == "…1234"


def test_saving_again_replaces_the_token(workspace):
    credential_save(workspace=workspace, platform=Platform.X, token="first-token-0001")
    credential_save(workspace=workspace, platform=Platform.X, token="second-token-0002")
    assert Credential.objects.get().token == "second-token-0002"


def test_a_token_encrypted_with_another_key_is_reported_not_leaked(workspace, settings):
    credential = credential_save(workspace=workspace, platform=Platform.X, token="first-token-0001")
    settings.TOKEN_ENCRYPTION_KEY = "0" * 43 + "="
    with pytest.raises(ValueError, match="cannot be decrypted"):
        _ = Credential.objects.get(pk=credential.pk).token
