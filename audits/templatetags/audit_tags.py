from django import template

register = template.Library()


@register.filter
def percent(value, digits=2):
    """0.0345 -> "3.45 %"; None stays a dash."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f} %"


@register.filter
def score_class(score):
    if score is None:
        return ""
    return "score-good" if score >= 75 else "score-fair" if score >= 50 else "score-poor"
