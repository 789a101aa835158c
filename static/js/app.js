// What the templates ask for through data- attributes, on every page (loaded by base.html).
// The Content-Security-Policy runs no inline script, handler or style attribute, so pages say what they want
// in data and this file does it:
//   <button data-print>                 prints the page
//   <form data-confirm="Remove it?">    asks before submitting (also on a submit button or a link)
//   <select data-autosubmit>            submits its form when the choice changes
//   <input data-select-all="ids">       ticks or clears every checkbox named "ids" of its form (a list's selection)
//   data-colour="#1877f2"               background colour from data (a network's dot, a bar)
//   data-text-colour / data-border-colour   the text or border colour from data
//   data-width-pct="42"                 a width from data (progress bars)
//   <section data-fragment="/url/">     fills itself with the HTML that address answers once the page shows (the
//                                       home's figures); [data-fragment-status] inside says if it could not;
//   <details data-fragment-when-open>   the same, the first time it is opened (a connection's failed days)
// And a table that scrolls in its own box on a narrow screen (.table-responsive, the report's tables) takes the
// keyboard's focus, so that arrow keys scroll it too.
// Colours and widths go through the CSSOM (element.style), which the policy allows; a style attribute would not be.
(function () {
  "use strict";

  function paint(root) {
    root.querySelectorAll("[data-colour]").forEach((el) => { el.style.backgroundColor = el.dataset.colour; });
    root.querySelectorAll("[data-text-colour]").forEach((el) => { el.style.color = el.dataset.textColour; });
    root.querySelectorAll("[data-border-colour]").forEach((el) => { el.style.borderColor = el.dataset.borderColour; });
    root.querySelectorAll("[data-width-pct]").forEach((el) => { el.style.width = el.dataset.widthPct + "%"; });
  }

  document.addEventListener("click", (event) => {
    const printer = event.target.closest("[data-print]");
    if (printer) {
      event.preventDefault();
      window.print();
      return;
    }
    const asker = event.target.closest("a[data-confirm], button[data-confirm]");
    if (asker && !window.confirm(asker.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.submit();
    // <input type=checkbox data-select-all="ids">: ticks or clears every checkbox named "ids" of its form.
    const all = event.target.closest("input[data-select-all]");
    if (all && all.form) {
      all.form.querySelectorAll('input[type=checkbox][name="' + all.dataset.selectAll + '"]').forEach((box) => {
        box.checked = all.checked;
      });
    }
  });

  const SCROLL_BOXES = ".table-responsive, .report table.report-table, .report table.rs-table";
  function focusScrollBoxes() {
    document.querySelectorAll(SCROLL_BOXES).forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
  }

  function loadFragment(box, url, what) {
    const say = (text) => {
      const status = box.querySelector("[data-fragment-status]");
      if (status) status.textContent = text;
      box.removeAttribute("aria-busy");
    };
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((response) => {
        // A session that ended answers with the login page: say so rather than show it inside the page.
        if (response.redirected) throw new Error("logged out");
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then((html) => {
        // A <details> keeps its <summary>: the fragment replaces what follows it.
        const summary = box.tagName === "DETAILS" ? box.querySelector(":scope > summary") : null;
        box.innerHTML = html;
        if (summary) box.prepend(summary);
        box.removeAttribute("aria-busy");
        paint(box);
        focusScrollBoxes();
      })
      .catch((error) => {
        say(error.message === "logged out"
          ? "Your session ended: reload the page to log in again."
          : what + " could not be loaded: reload the page to try again.");
      });
  }

  function loadFragments() {
    document.querySelectorAll("[data-fragment]").forEach((box) => {
      loadFragment(box, box.dataset.fragment, "The figures");
    });
    // <details data-fragment-when-open="/url/">: filled the first time it is opened (a connection's failed days).
    document.querySelectorAll("details[data-fragment-when-open]").forEach((box) => {
      box.addEventListener("toggle", () => {
        if (!box.open || box.dataset.fragmentLoaded) return;
        box.dataset.fragmentLoaded = "1";
        box.setAttribute("aria-busy", "true");
        loadFragment(box, box.dataset.fragmentWhenOpen, "This");
      });
    });
  }

  paint(document);
  focusScrollBoxes();
  loadFragments();
  window.addEventListener("resize", focusScrollBoxes);
})();
