// The composer's live preview (calendar_app/composer.py): for each ticked account, its text (the account's variant,
// else the shared one) as its network shows it:
// - the character count as the network counts it (calendar_app/voice.py copy_length: X weighs every link as 23),
//   against its limit, the part past the limit struck through;
// - the words to avoid marked, hashtags and mentions highlighted as the networks link them;
// - the card of the first link (its page's Open Graph tags, read by the app: calendar_app/link_cards.py), or on
//   Instagram the note that a link in a caption is not clickable;
// - the library files chosen, each photo in the frame the network's feed gives it (its proportions held within the
//   network's range, cropped beyond: calendar_app/media_rules.py `frame`), and what the network would refuse of them,
//   asked of the app (media_rules is the one place of the rules).
// Each ticked account gets a row of its own text, time and media, cloned from the page's <template>.
// Data from the page's #composer-data (json_script): no inline script. The text is never parsed as HTML.
document.addEventListener("DOMContentLoaded", function () {
  const form = document.querySelector("[data-testid=composer]");
  const box = document.getElementById("composer-preview");
  if (!form || !box) return;
  const data = JSON.parse(document.getElementById("composer-data").textContent);
  const shared = form.querySelector("[name=copy]");
  const escapeRe = (word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const LINK = /https?:\/\/[^\s<>"']+/gi;
  // One pass over the text: a link, a word to avoid, a hashtag or a mention, whichever comes first.
  const parts = ["(https?:\\/\\/[^\\s<>\"']+)"];
  if (data.avoid.length) parts.push("((?<!\\w)(?:" + data.avoid.map(escapeRe).join("|") + ")(?!\\w))");
  else parts.push("(?!)");
  parts.push("((?<![\\w#])#[\\p{L}\\p{N}_]+)", "((?<![\\w@])@[\\w.]+\\w)");
  const TOKENS = new RegExp(parts.join("|"), "giu");
  const cards = new Map(); // link -> the app's answer, or "pending"
  const library = form.querySelector("[name=library_media]");
  const typed = form.querySelector("[name=media]");
  let mediaProblems = {}; // media key (files and addresses) -> {network: problems}, as last asked
  let mediaAsked = "";

  function chosenFiles() {
    if (!library) return [];
    return [...library.selectedOptions].map((o) => Number(o.value)).filter((pk) => data.media[pk]);
  }

  // ---- each ticked account's own row (text, time, media) ----
  const rows = document.getElementById("per-account-rows");
  const rowTemplate = document.getElementById("per-account-row");
  const given = data.given || {};

  function rowOf(account) {
    let row = rows.querySelector('[data-account="' + account.id + '"]');
    if (row || !rowTemplate) return row;
    row = rowTemplate.content.firstElementChild.cloneNode(true);
    row.dataset.account = account.id;
    row.querySelector("[data-slot=name]").textContent = account.name;
    const had = given[account.id] || {};
    row.querySelectorAll("[data-field]").forEach((field) => {
      const name = field.dataset.field;
      field.name = name + "_" + account.id;
      field.id = name + "-" + account.id;
      const label = row.querySelector('[data-for="' + name + '"]');
      if (label) label.htmlFor = field.id;
    });
    row.querySelector("[data-field=variant]").value = had.variant || "";
    row.querySelector("[data-field=first_comment]").value = had.first_comment || "";
    row.querySelector("[data-field=time]").value = had.time || "";
    const mode = row.querySelector("[data-field=media]");
    mode.value = had.media || "shared";
    const own = row.querySelector("[data-field=library_media]");
    if (library) {
      [...library.options].forEach((option) => {
        const copy = new Option(option.text, option.value);
        copy.selected = (had.files || []).includes(option.value);
        own.append(copy);
      });
    }
    const showOwn = () => row.querySelector("[data-slot=own-files]").classList.toggle("d-none", mode.value !== "own");
    mode.addEventListener("change", showOwn);
    showOwn();
    (had.errors || []).forEach((error) => row.querySelector("[data-slot=errors]").append(span("div", "text-danger small", error)));
    rows.append(row);
    return row;
  }

  function syncRows(chosen) {
    const ticked = new Set(chosen.map((account) => String(account.id)));
    chosen.forEach(rowOf);
    rows.querySelectorAll("[data-account]").forEach((row) => row.classList.toggle("d-none", !ticked.has(row.dataset.account)));
  }

  // The files an account goes out with: its own, none, or the shared ones.
  function filesOf(account) {
    const row = rows && rows.querySelector('[data-account="' + account.id + '"]');
    const mode = row ? row.querySelector("[data-field=media]").value : "shared";
    if (mode === "none") return [];
    if (mode === "own") {
      return [...row.querySelector("[data-field=library_media]").selectedOptions].map((o) => Number(o.value)).filter((pk) => data.media[pk]);
    }
    return chosenFiles();
  }

  function addressesOf(account) {
    const row = rows && rows.querySelector('[data-account="' + account.id + '"]');
    return row && row.querySelector("[data-field=media]").value !== "shared" ? 0 : typedCount();
  }

  function typedCount() {
    return typed ? typed.value.split("\n").filter((line) => line.trim()).length : 0;
  }

  // What each ticked account's network would refuse of its media, asked once the choice stops changing: one
  // question per set of files, for the networks that go out with it.
  let mediaTimer = null;
  const mediaKey = (account) => filesOf(account).join(",") + "|" + addressesOf(account);
  function askMedia(accounts) {
    const groups = new Map();
    accounts.forEach((account) => {
      const key = mediaKey(account);
      if (!groups.has(key)) groups.set(key, { files: filesOf(account), addresses: addressesOf(account), networks: new Set() });
      groups.get(key).networks.add(account.platform);
    });
    const asks = [...groups.entries()].map(([key, group]) => {
      const query = new URLSearchParams();
      group.files.forEach((pk) => query.append("file", pk));
      group.networks.forEach((n) => query.append("network", n));
      query.append("addresses", group.addresses);
      return [key, query.toString()];
    });
    const signature = asks.map(([, query]) => query).sort().join("&&");
    if (signature === mediaAsked) return;
    clearTimeout(mediaTimer);
    mediaTimer = setTimeout(function () {
      mediaAsked = signature;
      Promise.all(asks.map(([key, query]) =>
        fetch(data.media_check_url + "?" + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then((response) => response.json())
          .then((json) => [key, json])))
        .then((answers) => { mediaProblems = Object.fromEntries(answers); render(); })
        .catch(() => { mediaAsked = ""; });
    }, 300);
  }

  // A photo as the network's feed frames it: its own proportions within the network's range, cropped beyond.
  function framed(file, frame) {
    const box = document.createElement("div");
    box.className = "preview-media-item";
    if (file.kind === "image" && file.thumb) {
      const ratio = file.width && file.height ? file.width / file.height : 1;
      box.style.aspectRatio = String(Math.min(Math.max(ratio, frame[0]), frame[1]));
      const img = document.createElement("img");
      img.src = file.thumb;
      img.alt = file.alt || "";
      img.loading = "lazy";
      box.append(img);
    } else {
      box.classList.add("is-video");
      box.append(span("span", "small", "▶ " + file.name));
    }
    return box;
  }

  function mediaStrip(account) {
    const files = filesOf(account).map((pk) => data.media[pk]);
    const frame = (data.frames && data.frames[account.platform]) || [0.8, 1.91];
    const strip = document.createElement("div");
    strip.className = "preview-media mt-2";
    strip.dataset.testid = "preview-media-" + account.id;
    // Instagram shows a carousel one item at a time; the others a grid of up to four.
    const shown = account.platform === "instagram" ? files.slice(0, 1) : files.slice(0, 4);
    shown.forEach((file) => strip.append(framed(file, frame)));
    if (files.length > shown.length) {
      strip.append(span("span", "small text-body-secondary align-self-center", account.platform === "instagram" ? "1 of " + files.length + " in the carousel" : "+" + (files.length - shown.length)));
    }
    return strip;
  }

  // The text as the network counts it: each link weighs `weight` characters where the network says so.
  function length(text, weight) {
    if (!weight) return text.length;
    const links = text.match(LINK) || [];
    return text.replace(LINK, "").length + weight * links.length;
  }

  // Where the network cuts the text: the longest start whose weighted length is within the limit.
  function cutAt(text, limit, weight) {
    if (!weight) return limit;
    let used = 0, at = 0;
    for (const match of text.matchAll(LINK)) {
      const before = match.index - at;
      if (used + before > limit) return at + (limit - used);
      used += before;
      if (used + weight > limit) return match.index;
      used += weight;
      at = match.index + match[0].length;
    }
    return Math.min(text.length, at + (limit - used));
  }

  function span(tag, cls, text, title) {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = text;
    if (title) el.title = title;
    return el;
  }

  function decorated(text) {
    const frag = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(TOKENS)) {
      frag.append(text.slice(last, match.index));
      if (match[1]) frag.append(span("span", "preview-link", match[0]));
      else if (match[2]) frag.append(span("mark", "", match[0], "A word the brand avoids"));
      else if (match[3]) frag.append(span("span", "preview-tag", match[0], "A hashtag"));
      else frag.append(span("span", "preview-tag", match[0], "A mention"));
      last = match.index + match[0].length;
    }
    frag.append(text.slice(last));
    return frag;
  }

  // A link is read once the author stops typing it (not at each key stroke of "https://exa…").
  let cardTimer = null;
  function wantCard(link) {
    clearTimeout(cardTimer);
    cardTimer = setTimeout(function () {
      if (cards.has(link)) return;
      cards.set(link, "pending");
      fetch(data.link_card_url + "?url=" + encodeURIComponent(link), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => response.json())
        .then((json) => { cards.set(link, json); render(); })
        .catch(() => { cards.set(link, { ok: false, error: "the card could not be read." }); render(); });
    }, 700);
  }

  function linkCard(account, link) {
    if (!account.links_clickable) {
      return span("p", "small text-body-secondary mb-0 mt-2", "Links in " + account.network + " captions are not clickable: say “link in bio”, or use a story.");
    }
    const answer = cards.get(link);
    if (!answer) wantCard(link);
    if (!answer || answer === "pending") return span("p", "small text-body-secondary mb-0 mt-2", "Reading the link's card…");
    if (!answer.ok) return span("p", "small text-body-secondary mb-0 mt-2", "No card: " + answer.error);
    const card = document.createElement("div");
    card.className = "link-card border rounded mt-2 p-2";
    card.dataset.testid = "link-card-" + account.id;
    card.append(span("div", "small text-body-secondary text-uppercase", answer.domain));
    card.append(span("div", "fw-semibold", answer.title || answer.url));
    if (answer.description) card.append(span("div", "small link-card-description", answer.description));
    return card;
  }

  // The first comment: the account's own, else the shared one; shown under the post as the network threads it.
  const sharedComment = form.querySelector("[name=first_comment]");
  function firstCommentOf(account) {
    const own = form.querySelector("[name=first_comment_" + account.id + "]");
    return ((own && own.value.trim()) || (sharedComment ? sharedComment.value : "")).trim();
  }

  function commentPreview(account, text) {
    const box = document.createElement("div");
    box.className = "first-comment-preview border-start border-3 ps-2 mt-2";
    box.dataset.testid = "preview-comment-" + account.id;
    const counted = length(text, account.link_weight);
    const over = account.comment_limit && counted > account.comment_limit;
    const head = span("div", "small text-body-secondary",
      (account.platform === "x" ? "Reply" : "First comment") + " · " + counted + (account.comment_limit ? " / " + account.comment_limit : "") + (over ? " — too long" : ""));
    if (over) head.classList.add("text-danger", "fw-semibold");
    const body = span("div", "pre-line text-break small", "");
    body.append(decorated(text));
    box.append(head, body);
    return box;
  }

  function render() {
    const ticked = new Set([...form.querySelectorAll("[name=accounts]:checked")].map((box) => Number(box.value)));
    box.replaceChildren();
    const chosen = data.accounts.filter((account) => ticked.has(account.id));
    if (rows) syncRows(chosen);
    askMedia(chosen);
    if (!chosen.length) {
      box.append(span("p", "small text-body-secondary mb-0", "Tick accounts to see how the post reads on each network."));
      return;
    }
    chosen.forEach((account) => {
      const variant = form.querySelector("[name=variant_" + account.id + "]");
      const text = (variant && variant.value.trim()) || shared.value;
      const card = document.createElement("div");
      card.className = "border rounded p-2 mb-3";
      card.dataset.testid = "preview-" + account.id;
      const head = document.createElement("div");
      head.className = "d-flex justify-content-between flex-wrap gap-1 small mb-1";
      const counted = length(text, account.link_weight);
      const over = account.limit && counted > account.limit;
      const count = span("span", over ? "text-danger fw-semibold" : "text-body-secondary",
        counted + (account.limit ? " / " + account.limit : "") + (over ? " — too long: write a variant" : ""),
        account.link_weight ? "Each link counts " + account.link_weight + " characters on " + account.network : "");
      count.dataset.testid = "preview-count-" + account.id;
      head.append(span("strong", "", account.name), count);
      const body = document.createElement("div");
      body.className = "pre-line text-break";
      const cut = over ? cutAt(text, account.limit, account.link_weight) : text.length;
      body.append(decorated(text.slice(0, cut)));
      if (over) body.append(span("del", "copy-removed", text.slice(cut), "Past " + account.network + "'s limit"));
      card.append(head, body);
      const comment = firstCommentOf(account);
      const files = filesOf(account);
      if (files.length) card.append(mediaStrip(account));
      const link = (text.match(LINK) || [])[0];
      if (link && !files.length) card.append(linkCard(account, link)); // media take the card's place
      ((mediaProblems[mediaKey(account)] || {})[account.platform] || []).forEach((problem) => {
        const line = span("p", "small text-danger mb-0 mt-1", problem);
        line.dataset.testid = "preview-media-problem-" + account.id;
        card.append(line);
      });
      if (comment) card.append(commentPreview(account, comment));
      box.append(card);
    });
  }
  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(render, 250); };
  form.addEventListener("input", later);
  form.addEventListener("change", render);
  render();
});
