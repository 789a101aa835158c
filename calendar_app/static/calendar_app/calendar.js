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
    : {left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,timeGridDay,listMonth"};
  const phoneViews = ["listWeek", "timeGridDay", "listDay", "listMonth"];
  // data-initial-date and data-initial-view: the day and view the address asks for (the meeting's "more" links
  // give a day only: that day's list). With data-keep-place the address follows the calendar (view= and date=),
  // and so do the filter form's hidden fields: a reload, a link sent or a new filter opens the same place.
  const day = el.dataset.initialDate;
  let view = el.dataset.initialView || (day ? "listDay" : (phone.matches ? "listWeek" : "dayGridMonth"));
  if (phone.matches && !phoneViews.includes(view)) view = "listWeek";  // a month grid sent from a desktop
  const keepPlace = (info) => {
    if (el.dataset.keepPlace !== "1") return;
    const place = {view: info.view.type, date: info.view.calendar.getDate().toISOString().slice(0, 10)};
    const params = new URLSearchParams(window.location.search);
    Object.entries(place).forEach(([name, value]) => {
      params.set(name, value);
      document.querySelectorAll("form [name=" + name + "][type=hidden]").forEach((input) => { input.value = value; });
    });
    window.history.replaceState(null, "", "?" + params.toString());
  };
  // A publication's chip: its network's icon, time, title and account, in its status's colour; the status in
  // words for screen readers and, in the lists, for everyone (a colour alone says nothing to some).
  const text = (className, value) => {
    const span = document.createElement("span");
    span.className = className;
    span.textContent = value;
    return span;
  };
  const chip = (arg) => {
    const props = arg.event.extendedProps;
    if (!props.account) return true;  // the editorial calendar's items: FullCalendar's own rendering
    const list = arg.view.type.startsWith("list");
    const box = document.createElement("span");
    box.className = "fc-chip";
    const icon = document.createElement("i");
    icon.className = "bi bi-" + props.icon;
    icon.setAttribute("aria-hidden", "true");
    box.append(icon, " ");
    if (!list && arg.timeText) box.append(text("fc-chip-time", arg.timeText), " ");
    // In the lists the account leads (a column of its own); in the grids the title does, the account follows.
    const account = text("fc-chip-account", props.account), title = text("fc-chip-title", arg.event.title);
    if (list) box.append(account, " ", title, " ");
    else box.append(title, " ", account, " ");
    box.append(text(list ? "fc-chip-status" : "visually-hidden", props.status));
    box.title = props.status + " · " + props.network + " " + props.account + " · " + arg.event.title;
    return {domNodes: [box]};
  };
  // "Select posts": a click on a chip selects it for the bulk bar below the calendar (its row's box ticked, or a
  // hidden field for a post outside the list) instead of opening it; the chip stays marked across views.
  const selectButton = document.getElementById("calendar-select");
  const bulkForm = document.querySelector("[data-testid=bulk-form]");
  const selected = new Set();
  let selecting = false;
  const selectedText = document.getElementById("calendar-selected");
  const showSelection = () => {
    if (!selectedText) return;
    selectedText.textContent = selecting || selected.size
      ? selected.size + " selected: choose what to do with them in the bar below the calendar." : "";
  };
  const toggle = (id) => {
    const box = bulkForm.querySelector('input[type=checkbox][name=ids][value="' + id + '"]');
    const hidden = bulkForm.querySelector('input[type=hidden][name=ids][value="' + id + '"]');
    if (selected.has(id)) {
      selected.delete(id);
      if (box) box.checked = false;
      if (hidden) hidden.remove();
    } else {
      selected.add(id);
      if (box) box.checked = true;
      else if (!hidden) {
        const field = document.createElement("input");
        Object.assign(field, {type: "hidden", name: "ids", value: id});
        bulkForm.append(field);
      }
    }
    showSelection();
  };
  // Caught before FullCalendar's own handling (which opens the post, and in the lists does not ask eventClick).
  el.addEventListener("click", (event) => {
    const chipEl = selecting && event.target.closest("[data-event-id]");
    if (!chipEl) return;
    event.preventDefault();
    event.stopPropagation();
    toggle(chipEl.dataset.eventId);
    chipEl.classList.toggle("is-selected", selected.has(chipEl.dataset.eventId));
  }, true);
  if (selectButton && bulkForm) {
    selectButton.addEventListener("click", () => {
      selecting = !selecting;
      selectButton.setAttribute("aria-pressed", String(selecting));
      selectButton.classList.toggle("active", selecting);
      el.classList.toggle("is-selecting", selecting);
      showSelection();
    });
  }
  const cal = new FullCalendar.Calendar(el, {
    eventDidMount: (info) => {
      info.el.dataset.eventId = info.event.id;
      if (selected.has(info.event.id)) info.el.classList.add("is-selected");
    },
    initialView: view,
    initialDate: day || undefined,
    eventDisplay: "block",
    // 24-hour times, as every page prints them (common/dates.py), not FullCalendar's "10a".
    eventTimeFormat: {hour: "2-digit", minute: "2-digit", hour12: false},
    slotLabelFormat: {hour: "2-digit", minute: "2-digit", hour12: false},
    scrollTime: "08:00:00",  // the day and week grids open on the working day
    displayEventEnd: false,  // a post goes out at a time; its 30 minutes are only room on the grid
    eventContent: chip,
    timeZone: "UTC",  // events carry the workspace's wall-clock times; show them as they are
    firstDay: 1,
    height: "auto",
    headerToolbar: toolbar(),
    views: {listWeek: {buttonText: "week"}, timeGridDay: {buttonText: "day"}, listDay: {buttonText: "day"}},
    windowResize: function () {
      cal.setOption("headerToolbar", toolbar());
      const type = cal.view.type;
      if (phone.matches && !phoneViews.includes(type)) cal.changeView("listWeek");
      if (!phone.matches && type === "listWeek") cal.changeView("dayGridMonth");
    },
    // The arrows' icons are images without a name: the buttons' titles name them, so screen readers skip them.
    datesSet: (info) => {
      el.querySelectorAll(".fc-icon[role=img]").forEach((icon) => icon.setAttribute("aria-hidden", "true"));
      keepPlace(info);
    },
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
