// The editorial and publishing calendars (FullCalendar): events from data-events, drag and drop to data-move-url.
document.addEventListener("DOMContentLoaded", function () {
  const el = document.getElementById("calendar");
  if (!el) return;
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
  const status = document.getElementById("move-status");
  // Below 576 px a month grid has no room for titles (it showed only "8:31p"): a phone gets lists and a day
  // (the title on a line of its own above the buttons: static/css/app.css).
  const phone = window.matchMedia("(max-width: 575.98px)");
  const toolbar = () => phone.matches
    ? {left: "prev,next today", center: "title", right: "listWeek,timeGridDay,listMonth"}
    : {left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,listMonth"};
  const phoneViews = ["listWeek", "timeGridDay", "listMonth"];
  // data-initial-date (a day the address asks for, as the meeting's "more" links do): that day's list.
  const day = el.dataset.initialDate;
  const cal = new FullCalendar.Calendar(el, {
    initialView: day ? "listDay" : (phone.matches ? "listWeek" : "dayGridMonth"),
    initialDate: day || undefined,
    timeZone: "UTC",  // events carry the workspace's wall-clock times; show them as they are
    firstDay: 1,
    height: "auto",
    headerToolbar: toolbar(),
    views: {listWeek: {buttonText: "week"}, timeGridDay: {buttonText: "day"}, listDay: {buttonText: "day"}},
    windowResize: function () {
      cal.setOption("headerToolbar", toolbar());
      const type = cal.view.type;
      if (phone.matches && !phoneViews.includes(type)) cal.changeView("listWeek");
      if (!phone.matches && (type === "listWeek" || type === "timeGridDay")) cal.changeView("dayGridMonth");
    },
    // The arrows' icons are images without a name: the buttons' titles name them, so screen readers skip them.
    datesSet: () => el.querySelectorAll(".fc-icon[role=img]").forEach((icon) => icon.setAttribute("aria-hidden", "true")),
    editable: el.dataset.editable === "1",
    eventStartEditable: el.dataset.editable === "1",
    eventDurationEditable: false,
    events: el.dataset.events,
    eventDrop: function (info) {
      const start = el.dataset.allday === "1" ? info.event.startStr.slice(0, 10) : info.event.start.toISOString().slice(0, 16);
      const body = new URLSearchParams({start: start});
      fetch(el.dataset.moveUrl.replace("/0/", "/" + info.event.id + "/"), {
        method: "POST", headers: {"X-CSRFToken": csrf}, body: body, credentials: "same-origin",
      }).then(r => r.json().then(data => ({ok: r.ok, data: data}))).then(({ok, data}) => {
        if (!ok) { info.revert(); status.textContent = data.error || "Could not move it."; status.className = "small text-danger"; return; }
        status.textContent = "Moved “" + info.event.title + "”" + (data.status ? " — now " + data.status.toLowerCase() : "") + ".";
        status.className = "small text-success";
        if (data.status) cal.refetchEvents();
      }).catch(() => { info.revert(); status.textContent = "Could not reach the server."; status.className = "small text-danger"; });
    },
  });
  cal.render();
});
