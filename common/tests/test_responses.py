"""FastJsonResponse answers what JsonResponse answers (the same JSON value), encoded by orjson."""

import json
from decimal import Decimal

import pytest
from django.http import JsonResponse
from django.utils.translation import gettext_lazy

from common.responses import FastJsonResponse

VALUE = [
    {"id": 1, "title": 'Été "quoted" </script><b>', "editable": True, "extendedProps": {"account": "@a", "n": None}},
    {"id": 2, "price": Decimal("12.50"), "label": gettext_lazy("Approved"), "emoji": "🎉"},
]


def test_it_answers_the_json_value_jsonresponse_answers():
    fast, django = FastJsonResponse(VALUE), JsonResponse(VALUE, safe=False)
    assert fast["Content-Type"] == django["Content-Type"] == "application/json"
    assert json.loads(fast.content) == json.loads(django.content)
    assert "Été".encode() in fast.content  # UTF-8, not \\u escapes


def test_what_it_cannot_encode_is_an_error_not_a_silent_string():
    with pytest.raises(TypeError):
        FastJsonResponse({"when": object()})
