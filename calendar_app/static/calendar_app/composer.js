// The composer's live preview (calendar_app/composer.py): for each ticked account, its text (the account's variant,
// else the shared one) with the network's character count against its limit, the part past the limit marked, and the
// words to avoid marked. Data from the page's #composer-data (json_script): no inline script.
document.addEventListener("DOMContentLoaded", function () {
  const form = document.querySelector("[data-testid=composer]");
  const box = document.getElementById("composer-preview");
  if (!form || !box) return;
  const data = JSON.parse(document.getElementById("composer-data").textContent);
  const shared = form.querySelector("[name=copy]");
  const escapeRe = (word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const avoid = data.avoid.length ? new RegExp("(?<!\\w)(" + data.avoid.map(escapeRe).join("|") + ")(?!\\w)", "gi") : null;

  // Text with the words to avoid in <mark>, built as nodes (the text is never parsed as HTML).
  function marked(text) {
    const frag = document.createDocumentFragment();
    if (!avoid) { frag.append(text); return frag; }
    let last = 0;
    text.replace(avoid, (match, _word, offset) => {
      frag.append(text.slice(last, offset));
      const mark = document.createElement("mark");
      mark.textContent = match;
      mark.title = "A word the brand avoids";
      frag.append(mark);
      last = offset + match.length;
      return match;
    });
    frag.append(text.slice(last));
    return frag;
  }

  function render() {
    const ticked = new Set([...form.querySelectorAll("[name=accounts]:checked")].map((box) => Number(box.value)));
    box.replaceChildren();
    const chosen = data.accounts.filter((account) => ticked.has(account.id));
    if (!chosen.length) {
      const hint = document.createElement("p");
      hint.className = "small text-body-secondary mb-0";
      hint.textContent = "Tick accounts to see how the post reads on each network.";
      box.append(hint);
      return;
    }
    chosen.forEach((account) => {
      const variant = form.querySelector("[name=variant_" + account.id + "]");
      const text = (variant && variant.value.trim()) || shared.value;
      const card = document.createElement("div");
      card.className = "border rounded p-2 mb-3";
      card.dataset.testid = "preview-" + account.id;
      const head = document.createElement("div");
      head.className = "d-flex justify-content-between small mb-1";
      const name = document.createElement("strong");
      name.textContent = account.name;
      const count = document.createElement("span");
      const over = account.limit && text.length > account.limit;
      count.textContent = text.length + (account.limit ? " / " + account.limit : "") + (over ? " — too long: write a variant" : "");
      count.className = over ? "text-danger fw-semibold" : "text-body-secondary";
      count.dataset.testid = "preview-count-" + account.id;
      head.append(name, count);
      const body = document.createElement("div");
      body.className = "pre-line";
      const kept = account.limit ? text.slice(0, account.limit) : text;
      body.append(marked(kept));
      if (over) {
        const cut = document.createElement("del");
        cut.className = "copy-removed";
        cut.title = "Past " + account.network + "'s limit";
        cut.textContent = text.slice(account.limit);
        body.append(cut);
      }
      card.append(head, body);
      box.append(card);
    });
  }
  form.addEventListener("input", render);
  form.addEventListener("change", render);
  render();
});
