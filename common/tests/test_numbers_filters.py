from datetime import date

from django.template import Context, Template

from common.numbers import as_percent, whole


def render(text, **context):
    return Template("{% load numbers %}" + text).render(Context(context))


def test_counts_have_separators_and_round_half_to_even_like_the_rule():
    assert render("{{ v|count }}", v=12345.4) == "12,345"
    assert render("{{ v|count:1 }}", v=3.25) == "3.2"
    assert render("{{ v|count }}", v=None) == "—"


def test_signed_counts_and_percents():
    assert render("{{ v|signed }}", v=4104) == "+4,104"
    assert render("{{ v|signed }}", v=-12) == "-12"
    assert render("{{ v|signed }}", v=0) == "0"
    assert render("{{ v|signed_percent_value }}", v=2.345) == "+2.3 %"


def test_percent_of_a_fraction_and_of_a_frozen_percent_agree_with_the_rounding_rule():
    rate = 0.0098765
    assert as_percent(rate) == 0.99
    assert render("{{ v|percent }}", v=rate) == "0.99 %"
    assert render("{{ v|percent_value }}", v=as_percent(rate)) == "0.99 %"
    assert render("{{ v|percent }}", v=None) == "—"


def test_frozen_iso_dates_read_as_dates():
    assert render("{{ v|as_date|day }}", v="2026-03-29") == "29 Mar 2026"
    assert render("{{ v|as_date|day }}", v="not a date") == ""
    assert whole(None) is None and whole(2.6) == 3
    assert render("{{ v|day }}", v=date(2024, 5, 3)) == "3 May 2024"
