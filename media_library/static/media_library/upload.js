// The media library's upload page (media_library/templates/media_library/upload.html): files dropped on the zone
// or chosen in the file input are sent one request each (XMLHttpRequest, for its upload progress), one after the
// other, each with its own progress bar and the server's answer for it (thumbnail, or why it was refused).
// Without this script the form posts every file at once and the library page lists what happened to each.
(function () {
  "use strict";
  const form = document.querySelector("[data-upload-form]");
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  const zone = form.querySelector("[data-drop-zone]");
  const list = document.querySelector("[data-upload-list]");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const queue = [];
  let busy = false;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function row(file) {
    const item = element("li", "list-group-item d-flex gap-3 align-items-center");
    item.dataset.testid = "upload-item";
    item.dataset.state = "waiting";
    const body = element("div", "flex-grow-1 upload-name");
    const name = element("div", "small fw-semibold", file.name);
    const progress = element("div", "progress mt-1");
    progress.setAttribute("role", "progressbar");
    progress.setAttribute("aria-label", "Upload of " + file.name);
    progress.setAttribute("aria-valuemin", "0");
    progress.setAttribute("aria-valuemax", "100");
    progress.setAttribute("aria-valuenow", "0");
    const bar = element("div", "progress-bar");
    bar.style.width = "0%";
    progress.appendChild(bar);
    const status = element("div", "small text-body-secondary mt-1", "Waiting…");
    body.append(name, progress, status);
    item.appendChild(body);
    list.appendChild(item);
    return { item, progress, bar, status };
  }

  function show(view, percent) {
    view.bar.style.width = percent + "%";
    view.progress.setAttribute("aria-valuenow", String(percent));
  }

  function finish(view, answer) {
    show(view, 100);
    view.bar.classList.add(answer.ok ? "bg-success" : "bg-danger");
    view.item.dataset.state = answer.ok ? "done" : "error";
    view.status.textContent = "";
    if (answer.ok) {
      if (answer.thumbnail) {
        const image = element("img", "upload-thumb");
        image.src = answer.thumbnail;
        image.alt = answer.alt || "";
        image.dataset.testid = "upload-thumbnail";
        view.item.prepend(image);
      }
      const link = element("a", "", "Uploaded: describe it");
      link.href = answer.detail;
      view.status.appendChild(link);
      view.status.classList.replace("text-body-secondary", "text-success");
    } else {
      view.status.textContent = answer.error || "The upload failed.";
      view.status.classList.replace("text-body-secondary", "text-danger");
    }
  }

  function send(file, view) {
    return new Promise(function (resolve) {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      ["folder", "tags"].forEach(function (name) {
        const field = form.elements[name];
        if (field) data.append(name, field.value);
      });
      data.append("files", file, file.name);
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
      request.setRequestHeader("X-CSRFToken", token);
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) show(view, Math.min(99, Math.round((event.loaded / event.total) * 100)));
      });
      view.item.dataset.state = "uploading";
      view.status.textContent = "Uploading…";
      request.addEventListener("load", function () {
        let answer = null;
        try {
          answer = JSON.parse(request.responseText);
        } catch (error) {
          answer = null;
        }
        const result = answer && answer.files && answer.files[0];
        if (result) finish(view, result);
        else if (request.status === 403) finish(view, { ok: false, error: "Your role may not upload media." });
        else if (request.status === 413) finish(view, { ok: false, error: "The file is too large." });
        else finish(view, { ok: false, error: (answer && answer.error) || "The upload failed (" + request.status + ")." });
        resolve();
      });
      request.addEventListener("error", function () {
        finish(view, { ok: false, error: "The connection failed: try again." });
        resolve();
      });
      request.send(data);
    });
  }

  async function drain() {
    if (busy) return;
    busy = true;
    while (queue.length) {
      const next = queue.shift();
      await send(next.file, next.view);
    }
    busy = false;
  }

  function add(files) {
    Array.from(files).forEach(function (file) {
      queue.push({ file: file, view: row(file) });
    });
    drain();
  }

  input.addEventListener("change", function () {
    add(input.files);
    input.value = "";
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (input.files.length) {
      add(input.files);
      input.value = "";
    }
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("is-over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.remove("is-over");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) add(event.dataTransfer.files);
  });
})();
