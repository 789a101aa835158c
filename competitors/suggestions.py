"""SWOT points drawn from the benchmark over its default period (the last 30 days, the period of every other
page's figures), for a person to accept or dismiss; each text says the period. A text is stored, so its figures
are written out when it is drawn, through the site's filter library (common/templatetags/numbers.py): the same
rounding and look as the benchmark page they point to.

Each finding has a key (rule, network, competitor, quarter) so it is suggested at most once a quarter.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from common.numbers import ONE_DECIMAL
from common.templatetags.numbers import count, percent, signed_percent_value
from metrics.figures import standard_period

from .models import Quadrant
from .quarters import quarter_of
from .selectors import DEFAULT_DAYS, Scope, benchmark

WINDOW_DAYS = DEFAULT_DAYS  # the benchmark's default period, so that the evidence link shows the same figures
PERIOD = f"over the last {WINDOW_DAYS} days"
OFTEN = 2.0  # "posts twice as often"


@dataclass(frozen=True)
class Drawn:
    key: str
    quadrant: str
    text: str
    evidence_url: str


def _per_week(value: float) -> str:
    return count(value, ONE_DECIMAL)


def _share(value: float) -> str:
    """In whole percents, as the benchmark shows shares of voice."""
    return percent(value, 0)


def _evidence(platform: str | None) -> str:
    query = {"days": WINDOW_DAYS, **({"network": platform} if platform else {})}
    return f"{reverse('competitors:benchmark')}?{urlencode(query)}"


def _network_findings(scope: Scope, quarter: str) -> list[Drawn]:
    brand = scope.brand
    if brand is None or not brand.has_data:
        return []
    found, net, evidence = [], scope.label, _evidence(scope.platform)
    rivals = [(e, f) for e, f in scope.rows if not e.is_brand and f.has_data]
    if not rivals:
        # Only where no competitor has a profile at all: a LinkedIn page without figures is still a rival.
        if not any(f.profiles for e, f in scope.rows if not e.is_brand):
            found.append(
                Drawn(
                    f"{quarter}:alone:{scope.platform}",
                    Quadrant.OPPORTUNITY,
                    f"None of the competitors we follow is active on {net}: room to own the conversation there.",
                    evidence,
                )
            )
        return found
    for entity, rival in rivals:
        cid = entity.competitor.pk
        ours, theirs = brand.posts_per_week, rival.posts_per_week
        if theirs > 0 and ours == 0:
            found.append(
                Drawn(
                    f"{quarter}:freq:{scope.platform}:{cid}",
                    Quadrant.WEAKNESS,
                    f"{entity.name} posts {_per_week(theirs)} times a week on {net}; we have not posted there in {WINDOW_DAYS} days.",
                    evidence,
                )
            )
        elif ours and theirs >= OFTEN * ours:
            found.append(
                Drawn(
                    f"{quarter}:freq:{scope.platform}:{cid}",
                    Quadrant.THREAT,
                    f"{entity.name} posts {_per_week(theirs / ours)} times as often as we do on {net} "
                    f"({_per_week(theirs)} against {_per_week(ours)} posts a week {PERIOD}).",
                    evidence,
                )
            )
        ours_g, theirs_g = brand.growth_pct, rival.growth_pct
        if ours_g is not None and theirs_g is not None and theirs_g > 0 and theirs_g >= OFTEN * max(ours_g, 0.01):
            found.append(
                Drawn(
                    f"{quarter}:growth:{scope.platform}:{cid}",
                    Quadrant.THREAT,
                    f"{entity.name} grows faster than we do on {net}: {signed_percent_value(theirs_g)} followers "
                    f"against {signed_percent_value(ours_g)} in {WINDOW_DAYS} days.",
                    evidence,
                )
            )
    rates = [f.engagement_rate for _, f in rivals if f.engagement_rate is not None]
    ours = brand.engagement_rate
    if ours is not None and rates:
        mean = sum(rates) / len(rates)
        if ours > max(rates):
            found.append(
                Drawn(
                    f"{quarter}:er-lead:{scope.platform}",
                    Quadrant.STRENGTH,
                    f"Our engagement rate leads on {net} {PERIOD}: {percent(ours)} against a competitor average "
                    f"of {percent(mean)}.",
                    evidence,
                )
            )
        elif ours < min(rates):
            found.append(
                Drawn(
                    f"{quarter}:er-trail:{scope.platform}",
                    Quadrant.WEAKNESS,
                    f"Our engagement rate trails every competitor on {net} {PERIOD}: {percent(ours)} against "
                    f"a competitor average of {percent(mean)}.",
                    evidence,
                )
            )
    return found


def _voice_findings(scope: Scope, quarter: str) -> list[Drawn]:
    brand = scope.brand
    shares = [(e, f.share_of_interactions) for e, f in scope.rows if f.share_of_interactions is not None]
    if brand is None or brand.share_of_interactions is None or len(shares) < 2:
        return []
    ours = brand.share_of_interactions
    others = [s for e, s in shares if not e.is_brand]
    if ours > max(others):
        return [
            Drawn(
                f"{quarter}:voice-lead",
                Quadrant.STRENGTH,
                f"We earn the largest share of voice {PERIOD}: {_share(ours)} of all interactions among us "
                "and our competitors.",
                _evidence(None),
            )
        ]
    if ours < min(others):
        return [
            Drawn(
                f"{quarter}:voice-trail",
                Quadrant.WEAKNESS,
                f"We earn the smallest share of voice {PERIOD}: {_share(ours)} of all interactions among us "
                "and our competitors.",
                _evidence(None),
            )
        ]
    return []


def draw_suggestions(*, workspace, today: date) -> list[Drawn]:
    """Every finding the benchmark's default period supports, whether or not it was suggested before."""
    start, today = standard_period(days=WINDOW_DAYS, today=today)
    bench = benchmark(workspace=workspace, start=start, end=today, with_posts=False, with_series=False)
    if not bench.competitors:
        return []
    quarter = quarter_of(today)
    found = _voice_findings(bench.overall, quarter)
    for scope in bench.networks:
        found.extend(_network_findings(scope, quarter))
    return found
