// Follows a pull or backfill someone asked for on the connections page, without reloading it.
// Each <div data-pull-live="/metrics/connections/pulls/12/status/"> is asked every 2 s how its pull goes
// (queued -> running -> done / failed) until the answer is final; a failed request waits longer each time
// (up to a minute). Without this file the page still says "queued" and reloads itself (a <noscript> refresh).
(function () {
  "use strict";

  const EVERY_MS = 2000;
  const LONGEST_WAIT_MS = 60000;
  const BADGES = { queued: "text-bg-info", running: "text-bg-primary", done: "text-bg-success", failed: "text-bg-danger" };
  const ICONS = { queued: "bi-hourglass", running: "bi-arrow-repeat", done: "bi-check2-circle", failed: "bi-x-octagon" };

  function plural(count, word) {
    return `${count} ${word}${count === 1 ? "" : "s"}`;
  }

  function posts(status) {
    return status.posts_expected ? `${status.posts} of ${status.posts_expected} posts` : plural(status.posts, "post");
  }

  function describe(status) {
    const what = status.kind === "backfill" ? "Backfill" : "Pull";
    if (status.state === "queued") {
      return [`${what} queued`, status.waiting_for_queue ? "Waiting for the task queue; it starts as soon as it answers." : ""];
    }
    if (status.state === "running") {
      const where = status.pages ? `page ${status.pages}, ${posts(status)} so far` : "starting";
      return [`${what} running`, `(${where})`];
    }
    if (status.state === "done") {
      return [`${what} done`, `${plural(status.pages, "page")}, ${posts(status)}. Reload for the new figures.`];
    }
    const resumes = status.resumes_at ? ` It resumes at ${status.resumes_at}.` : "";
    return [`${what} failed`, `${status.reason || "No reason given."}${resumes}`];
  }

  function render(box, status) {
    const [title, detail] = describe(status);
    const line = document.createElement("div");
    line.className = "small mt-1";
    line.dataset.testid = "queued-action";
    line.dataset.state = status.state;
    const badge = document.createElement("span");
    badge.className = `badge ${BADGES[status.state] || "text-bg-light"}`;
    const icon = document.createElement("i");
    icon.className = `bi ${ICONS[status.state] || "bi-info-circle"}`;
    badge.append(icon, ` ${title}`);
    line.append(badge);
    if (detail) {
      const more = document.createElement("span");
      more.className = "text-body-secondary ms-1";
      more.textContent = detail;
      line.append(more);
    }
    box.replaceChildren(line);
    box.dataset.state = status.state;
    if (status.state !== "queued") {
      // The row's progress line from the page's load is older than this one: keep one of them.
      const cell = box.closest("td");
      if (cell) {
        cell.querySelectorAll('[data-testid="pull-running"], [data-testid="backfill-progress"]').forEach((old) => { old.hidden = true; });
      }
    }
  }

  function follow(box) {
    const url = box.dataset.pullLive;
    let wait = EVERY_MS;
    function ask() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then((response) => {
          if (response.status === 403 || response.status === 404) return null; // nothing to follow here: stop
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return response.json().then((status) => {
            render(box, status);
            wait = EVERY_MS;
            if (!status.final) window.setTimeout(ask, wait);
          });
        })
        .catch(() => {
          wait = Math.min(wait * 2, LONGEST_WAIT_MS);
          window.setTimeout(ask, wait);
        });
    }
    window.setTimeout(ask, EVERY_MS);
  }

  document.querySelectorAll("[data-pull-live]").forEach((box) => {
    if (box.dataset.pullLive) follow(box);
  });
})();
