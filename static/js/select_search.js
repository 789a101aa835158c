/* A type-ahead for a long choice (common.widgets.SearchSelect): a select with `data-search-url` gets a search box
   above it; what is typed asks the server for the matching options (`?q=`, JSON {results: [{id, label}], more}) and
   the select shows them. The select stays the field: its label, its keyboard, the value the form posts. The option
   chosen stays in the list whatever the search. No inline script: loaded with the page (strict CSP). */
(function () {
  "use strict";

  const WAIT_MS = 200; // after the last key, so a word typed asks once
  const LIST_ROWS = 8; // a search's options shown open, as a list box

  function option(value, label) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    return o;
  }

  function enhance(select) {
    const url = select.dataset.searchUrl;
    const boxId = select.id + "-search";
    const box = document.createElement("input");
    box.type = "search";
    box.id = boxId;
    box.className = "form-control form-control-sm mb-1";
    box.autocomplete = "off";
    box.placeholder = "A few letters of the title";
    box.maxLength = 80;
    box.setAttribute("aria-controls", select.id);
    box.dataset.testid = select.name + "-search";
    const label = document.createElement("label");
    label.htmlFor = boxId;
    label.className = "form-label small mb-0";
    label.textContent = "Find by title";
    const status = document.createElement("div");
    status.id = boxId + "-status";
    status.className = "form-text mt-0 mb-1";
    status.setAttribute("aria-live", "polite");
    box.setAttribute("aria-describedby", status.id);
    select.before(label, box, status);

    const first = Array.from(select.options).map((o) => [o.value, o.textContent]);
    const blank = first.length && first[0][0] === "" ? first[0] : null;
    let asked = 0; // the latest request: an older answer arriving late is dropped
    let timer = null;

    function show(rows, message, open) {
      const chosen = select.value ? [select.value, select.selectedOptions[0].textContent] : null;
      const keep = [];
      if (blank) keep.push(blank);
      if (chosen && !rows.some((r) => String(r[0]) === chosen[0])) keep.push(chosen);
      select.replaceChildren(...keep.concat(rows).map((r) => option(String(r[0]), r[1])));
      select.value = chosen ? chosen[0] : "";
      if (open) select.size = Math.max(2, Math.min(LIST_ROWS, select.options.length));
      else select.removeAttribute("size");
      status.textContent = message;
    }

    function search() {
      const q = box.value.trim();
      if (!q) {
        show(first.filter((r) => r !== blank), "", false);
        return;
      }
      const mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((data) => {
          if (mine !== asked) return;
          const rows = data.results.map((r) => [r.id, r.label]);
          let message = rows.length === 1 ? "1 item matches." : rows.length + " items match.";
          if (!rows.length) message = "No item's title holds “" + q + "”.";
          else if (data.more) message = "The " + rows.length + " nearest matches: type more to narrow them.";
          show(rows, message, rows.length > 0);
        })
        .catch(() => {
          if (mine === asked) status.textContent = "The search did not answer: choose from the list.";
        });
    }

    box.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(search, WAIT_MS);
    });
    box.addEventListener("keydown", (event) => {
      // Down arrow or Enter goes to the options; Enter never sends the form from the search box.
      if (event.key === "ArrowDown" || event.key === "Enter") {
        event.preventDefault();
        clearTimeout(timer);
        if (event.key === "Enter") search();
        select.focus();
      }
    });
  }

  document.querySelectorAll("select[data-search-url]").forEach(enhance);
})();
