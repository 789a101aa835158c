"""Demo strategy: three objectives, audiences, a network plan, the brand voice, a budget, plans and an approved charter."""

from datetime import date

from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role

from . import services
from .models import AudienceSegment, BudgetLine, NetworkPlan, Objective, Strategy

CHARTER = """Speaking about Demo Brand on social media is welcome. This charter says how to do it well.

Be yourself and say that you work here. When you talk about our products, add "I work at Demo Brand".

Keep confidential what is confidential: figures before they are published, customers' names, projects not yet announced.

Be courteous, even when others are not. Do not answer a complaint about the company yourself: send the link to the social media team, who answer within a working day.

When in doubt, ask the social media team before posting. Nobody is ever blamed for asking."""


def seed(workspace) -> None:
    if Strategy.objects.filter(workspace=workspace).exists():
        return  # already seeded: a second run adds nothing
    lead = Membership.objects.filter(workspace=workspace, role=Role.STRATEGY_LEAD).select_related("user").first()
    executive = Membership.objects.filter(workspace=workspace, role=Role.EXECUTIVE).select_related("user").first()
    by = lead.user if lead else None
    year = timezone.localdate().year + 1
    services.strategy_update(
        workspace=workspace,
        by=by,
        summary="Strategy written",
        business_goals="Grow qualified traffic to the online shop.\nBe the brand people think of for sustainable home goods.\nHire: make the company visible to engineers and designers.",
        content_plan="Three pillars: product stories (40 %), customers and community (35 %), behind the scenes (25 %).\nFormats: short video on Instagram, threads and news on X, articles and hiring on LinkedIn.",
        distribution_plan="Organic first; a monthly paid boost of the best post on Instagram.\nInternal ambassadors relay product and hiring news on LinkedIn.",
        tone_words="warm\nprecise\nplayful\nhonest",
        words_to_avoid="cheap\nguaranteed\nbest in the world\nrevolutionary\nguys\ndisruptive",
        voice_examples="Made to last, and to be repaired.\nWe tested it for six months in our own kitchen: here is what we learned.",
        crisis_contacts="Sam Durand, strategy lead: +33 6 00 00 00 01\nDominique Lambert, executive: +33 6 00 00 00 02\nLegal: legal@demo.test",
        crisis_escalation="Pause scheduled publications (crisis pause).\nInform the strategy lead within 30 minutes.\nAgree the facts with the executive and legal.\nPost the holding statement, then answer with facts.",
        holding_statements="We have seen your messages and are looking into it. We will come back to you here before 6 pm today.",
        exit_plan="Leave a network when it has brought less than 2 % of traffic for two quarters: announce it a month ahead, point followers to the other networks, keep the account dormant rather than deleting it.",
        evaluation_plan="Monthly report to management on the 1st; quarterly review of objectives with the strategy lead; yearly review of the networks chosen.",
    )
    for title, kind, kpi, platform, baseline, target, manual in [
        (
            "Grow the Instagram community",
            Objective.Kind.BRAND,
            Objective.Kpi.FOLLOWERS,
            "instagram",
            12000,
            18000,
            None,
        ),
        ("Engage more than the sector", Objective.Kind.BRAND, Objective.Kpi.ENGAGEMENT_RATE, "", 1.5, 3, None),
        ("Visits to the shop from social media", Objective.Kind.BUSINESS, Objective.Kpi.MANUAL, "", 3000, 6000, 4200),
    ]:
        services.strategy_item_save(
            item=Objective(
                workspace=workspace,
                title=title,
                kind=kind,
                kpi=kpi,
                kpi_label="Monthly visits from social media (web analytics)" if manual else "",
                platform=platform,
                baseline=baseline,
                target=target,
                manual_value=manual,
                deadline=date(year, 6, 30),
            ),
            by=by,
        )
    for platform, role, per_week in [
        ("instagram", "Show the products in use; the community's photos.", 5),
        ("linkedin", "Hiring, company news, expertise.", 2),
        ("x", "News, quick answers to customers, events live.", 7),
        ("facebook", "Customer service and local events.", 3),
    ]:
        services.strategy_item_save(
            item=NetworkPlan(workspace=workspace, platform=platform, role=role, target_posts_per_week=per_week), by=by
        )
    for name, description, networks in [
        ("Young urban households", "25-35, first flat, care about sustainability and design.", ["instagram", "x"]),
        ("Professional buyers", "Shops and hotels buying in volume.", ["linkedin"]),
        ("Future colleagues", "Engineers and designers who could join us.", ["linkedin", "x"]),
    ]:
        services.strategy_item_save(
            item=AudienceSegment(workspace=workspace, name=name, description=description, networks=networks), by=by
        )
    for label, amount, period in [
        ("Scheduling and listening tools", 240, BudgetLine.Period.MONTHLY),
        ("Paid boosts on Instagram", 500, BudgetLine.Period.MONTHLY),
        ("Video production", 6000, BudgetLine.Period.YEARLY),
    ]:
        services.strategy_item_save(
            item=BudgetLine(workspace=workspace, label=label, amount=amount, period=period), by=by
        )
    charter = services.charter_publish(workspace=workspace, by=by, body=CHARTER)
    if executive is not None:
        services.charter_approve(charter=charter, by=executive.user)
