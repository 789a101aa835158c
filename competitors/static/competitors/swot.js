// Drag and drop in the SWOT: each change posts the new order of the quadrants it touched.
(function () {
  const grid = document.querySelector(".swot-grid");
  const url = grid && grid.dataset.reorderUrl;
  if (!url || typeof Sortable === "undefined") return;
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const status = document.getElementById("reorder-status");

  function save(list) {
    const body = new URLSearchParams();
    body.set("quadrant", list.dataset.quadrant);
    body.set("items", Array.from(list.querySelectorAll("[data-id]")).map((li) => li.dataset.id).join(","));
    return fetch(url, { method: "POST", headers: { "X-CSRFToken": csrf }, body, credentials: "same-origin" }).then((r) => {
      if (!r.ok) throw new Error("refused");
    });
  }

  document.querySelectorAll(".swot-list").forEach((list) => {
    Sortable.create(list, {
      group: "swot",
      handle: ".drag-handle",
      animation: 150,
      onEnd: (event) => {
        const lists = event.from === event.to ? [event.to] : [event.from, event.to];
        lists.forEach((l) => {
          const empty = l.parentElement.querySelector(".empty-quadrant");
          if (empty) empty.hidden = l.children.length > 0;
        });
        Promise.all(lists.map(save))
          .then(() => { status.textContent = "Order saved."; status.dataset.saved = String(Number(status.dataset.saved || 0) + 1); })
          .catch(() => { status.textContent = "The order could not be saved: reload the page and try again."; });
      },
    });
  });
})();
