"""Every main page, full of demo data, fits a phone: nothing scrolls sideways at 390 x 844.

Chromium opens the pages as the workspace admin, a contributor and an executive (their homes and buttons
differ) and checks `document.documentElement.scrollWidth <= window.innerWidth` on each; a table may scroll
inside its own box, the page may not. Each offender is listed with the outermost elements that stick out, so
one failure names every page and its cause. The competitor benchmark, the widest page, also fits 1280 px and
1440 px without cutting a column of its tables.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.main_pages import PHONE, log_in, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page's width, and the outermost elements past the right edge that no scroll box of their own holds.
OVERFLOW = """() => {
  const width = window.innerWidth, offenders = [];
  const clippedInside = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(box).overflowX))
        return box.getBoundingClientRect().right <= width + 0.5;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll("*")) {
    const right = el.getBoundingClientRect().right;
    if (right <= width + 0.5) continue;
    // An absolute element escapes a scroll box that is not positioned: name it even inside one.
    if (["absolute", "fixed"].includes(getComputedStyle(el).position)) {
      if (el.offsetParent && el.offsetParent.getBoundingClientRect().right > width + 0.5) continue;
    } else {
      if (clippedInside(el)) continue;
      const parent = el.parentElement;
      if (parent !== document.body && parent.getBoundingClientRect().right > width + 0.5) continue;
    }
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + [...el.classList].map((c) => "." + c).join("");
    offenders.push(`${name} reaches ${Math.round(right)} px`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, offenders: offenders.slice(0, 5)};
}"""


def too_wide(page, who, paths):
    """The pages of `paths` that scroll sideways, each with what sticks out."""
    problems = []
    for path in paths:
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, f"{who} {path} answered {response.status}"
        seen = page.evaluate(OVERFLOW)
        if seen["scrollWidth"] > seen["innerWidth"]:
            problems.append(
                f"{who} {path}: {seen['scrollWidth']} px wide at {seen['innerWidth']} ({'; '.join(seen['offenders'])})"
            )
    return problems


def test_every_main_page_fits_a_phone(browser, live_server):
    call_command("seed_demo", stdout=StringIO())
    pages = main_pages()
    problems = []
    for email, paths in pages.items():
        context, page = log_in(browser, live_server.url, email, PHONE)
        problems += too_wide(page, email, paths)
        context.close()

    # The benchmark on a laptop: the page fits, and no table of it scrolls (that cut its last column).
    for width in (1280, 1440):
        context, page = log_in(browser, live_server.url, "admin@demo.test", {"width": width, "height": 800})
        problems += too_wide(page, f"admin@demo.test at {width}", ["/competitors/"])
        cut = page.locator(".benchmark-table").evaluate_all(
            "tables => tables.filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1)"
            ".map(t => `${t.dataset.testid} needs ${t.parentElement.scrollWidth} px of ${t.parentElement.clientWidth}`)"
        )
        assert page.locator(".benchmark-table").count() > 1
        problems += [f"/competitors/ at {width}: {table}" for table in cut]
        context.close()

    assert not problems, "These pages scroll sideways:\n" + "\n".join(problems)
