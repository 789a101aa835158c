// Tag names typed comma-separated (calendar_app/forms.py TagsInput): a datalist suggests only for the whole value,
// so after each comma its options become "what is typed, " + each name not chosen yet. Loaded once per page.
(function () {
  if (window.tagInputReady) return;
  window.tagInputReady = true;

  function wire(input) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    const names = Array.from(list.options, (option) => option.value);
    input.addEventListener("input", () => {
      const cut = input.value.lastIndexOf(",");
      const head = cut < 0 ? "" : input.value.slice(0, cut + 1) + " ";
      const chosen = new Set(head.split(",").map((n) => n.trim().toLowerCase()));
      const options = names.filter((n) => !chosen.has(n.toLowerCase())).map((n) => new Option(head + n));
      list.replaceChildren(...options);
    });
  }

  function start() {
    document.querySelectorAll("input[data-tag-input]").forEach(wire);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
