"""The page_data filter writes what Django's json_script writes (common/templatetags/page_data.py)."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils.html import json_script

VALUES = [
    {"patterns": {"link": r"(?<![\w@])https?://[^\s<>]+", "mention": "@a&b"}, "n": 3},
    ["</script><script>alert(1)</script>", "a & b", "x > y < z", "Ünïcode “quotes” ✓ 🚀", 'quote " \\'],
    {"when": date(2026, 12, 4), "amount": Decimal("1.50"), "none": None, "flags": [True, False]},
    "",
    [],
]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("element_id", ["composer-data", None])
def test_page_data_is_json_script(value, element_id):
    if element_id:
        written = Template('{% load page_data %}{{ value|page_data:"composer-data" }}').render(
            Context({"value": value})
        )
    else:
        written = Template("{% load page_data %}{{ value|page_data }}").render(Context({"value": value}))
    assert written == json_script(value, element_id)
    assert "</script><script>" not in written.removesuffix("</script>")
