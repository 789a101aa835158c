// The editorial and publishing calendars (FullCalendar): events from data-events, drag and drop to data-move-url.
document.addEventListener("DOMContentLoaded", function () {
  const el = document.getElementById("calendar");
  if (!el) return;
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
  const status = document.getElementById("move-status");
  const cal = new FullCalendar.Calendar(el, {
    initialView: "dayGridMonth",
    timeZone: "UTC",  // events carry the workspace's wall-clock times; show them as they are
    firstDay: 1,
    height: "auto",
    headerToolbar: {left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,listMonth"},
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
