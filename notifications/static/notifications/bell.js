// Keeps the bell's unread count (templates/notifications/_bell.html) current without reloading the page: asks
// its data-unread-url every minute while the page is visible, waits longer after a failure (up to 10 minutes),
// and stops for good on a refusal (logged out, 403, 404). Without this file the count is the one of the page's load.
(function () {
  "use strict";

  const EVERY_MS = 60000;
  const LONGEST_WAIT_MS = 600000;
  const bell = document.querySelector("[data-unread-url]");
  if (!bell) return;
  const badge = bell.querySelector("[data-testid=bell-count]");
  const icon = bell.querySelector(".bi");
  let wait = EVERY_MS;

  function show(count) {
    badge.textContent = String(count);
    badge.classList.toggle("d-none", count === 0);
    icon.classList.toggle("bi-bell-fill", count > 0);
    icon.classList.toggle("bi-bell", count === 0);
    bell.setAttribute("aria-label", count ? `Notifications, ${count} unread` : "Notifications");
  }

  function ask() {
    if (document.hidden) {
      setTimeout(ask, EVERY_MS);
      return;
    }
    fetch(bell.dataset.unreadUrl, { headers: { Accept: "application/json" }, credentials: "same-origin", redirect: "manual" })
      .then((response) => {
        // Sent to the login or the two-factor step, refused, or gone: nothing more to ask.
        if (response.type === "opaqueredirect" || [401, 403, 404].includes(response.status)) return null;
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((data) => {
        if (data === null) return; // not ours to ask any more
        show(Number(data.unread) || 0);
        wait = EVERY_MS;
        setTimeout(ask, wait);
      })
      .catch(() => {
        wait = Math.min(wait * 2, LONGEST_WAIT_MS);
        setTimeout(ask, wait);
      });
  }

  setTimeout(ask, EVERY_MS);
})();
