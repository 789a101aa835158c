// The composer's live preview (calendar_app/composer.py): for each ticked account, its text (the account's variant,
// else the shared one) as its network shows it:
// - the character count as the network counts it (calendar_app/voice.py copy_length, the one rule: the server gives
//   each account's `limit`, `link_weight`, `graphemes` and `mentions_without_domain`, and the patterns), against its
//   limit, the part past the limit struck through;
// - on Bluesky and Mastodon, the post in the network's own look: avatar, name and handle, Mastodon's remote mentions
//   shown as @user and its links without their scheme, cut at 30 characters, as Mastodon shows them;
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
  const LINK = new RegExp(data.patterns.link, "giu");
  const LINK_OR_MENTION = new RegExp(data.patterns.link_or_mention, "giu");
  // Graphemes (user-perceived characters, UAX #29) as Bluesky and Mastodon count them; the `regex` module's \X
  // on the server. Code points elsewhere, as Python's len().
  const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  // One pass over the text: a link, a word to avoid, a hashtag or a mention, whichever comes first.
  const parts = ["(" + data.patterns.link + ")"];
  if (data.avoid.length) parts.push("((?<!\\w)(?:" + data.avoid.map(escapeRe).join("|") + ")(?!\\w))");
  else parts.push("((?!))"); // a group that never matches, so the groups keep their numbers
  parts.push("((?<![\\w#])#[\\p{L}\\p{N}_]+)", "((?<![\\w@])@[\\w.]+\\w(?:@[\\w.-]+\\w)?)");
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

  // Where each counted character starts in `text` (string offsets): its graphemes, or its code points.
  function starts(text, graphemes) {
    if (graphemes) return [...GRAPHEMES.segment(text)].map((piece) => piece.index);
    const at = [];
    let i = 0;
    for (const ch of text) { at.push(i); i += ch.length; }
    return at;
  }

  // The text as its network counts it (voice.copy_length, piece by piece as it is: plain text, a link that weighs
  // `link_weight` or its own length, a mention whose domain counts nothing) and where the network cuts it: the
  // offset of the first character past the limit.
  function measure(text, account) {
    let count = 0, cut = text.length, at = 0;
    const take = (offset, weight) => {
      if (account.limit && cut === text.length && count + weight > account.limit) cut = offset;
      count += weight;
    };
    const plain = (from, to) => starts(text.slice(from, to), account.graphemes).forEach((i) => take(from + i, 1));
    for (const match of text.matchAll(account.mentions_without_domain ? LINK_OR_MENTION : LINK)) {
      plain(at, match.index);
      const isLink = !account.mentions_without_domain || match[1] !== undefined;
      if (isLink && account.link_weight) take(match.index, account.link_weight);
      else if (isLink) plain(match.index, match.index + match[0].length);
      else plain(match.index, match.index + match[2].length); // @user@domain counts as @user
      at = match.index + match[0].length;
    }
    plain(at, text.length);
    return { count: count, cut: cut };
  }

  function icon(name) {
    const el = document.createElement("i");
    el.className = "bi bi-" + name;
    el.setAttribute("aria-hidden", "true");
    return el;
  }

  // Bluesky and Mastodon posts open with the account as the network shows it: avatar, name, handle.
  function author(account) {
    const head = document.createElement("div");
    head.className = "preview-author d-flex align-items-center gap-2 mb-1";
    const name = account.handle.split(/[@.]/)[0]; // the account's name as its handle starts: "brand" of brand.bsky.social
    const avatar = span("span", "preview-avatar", name.charAt(0).toUpperCase());
    avatar.setAttribute("aria-hidden", "true");
    const who = document.createElement("div");
    who.className = "lh-sm text-truncate";
    who.append(span("div", "fw-semibold text-truncate", name), span("div", "small text-body-secondary text-truncate", "@" + account.handle));
    head.append(avatar, who, icon(account.platform));
    head.lastChild.classList.add("ms-auto", "preview-network-icon");
    return head;
  }

  function span(tag, cls, text, title) {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = text;
    if (title) el.title = title;
    return el;
  }

  // Mastodon shows a link without its scheme, cut after 30 characters, and a remote mention as @user.
  function shownLink(link, platform) {
    if (platform !== "mastodon") return link;
    const bare = link.replace(/^https?:\/\/(www\.)?/i, "");
    return bare.length > 30 ? bare.slice(0, 30) + "…" : bare;
  }

  function decorated(text, platform) {
    const frag = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(TOKENS)) {
      frag.append(text.slice(last, match.index));
      if (match[1]) frag.append(span("span", "preview-link", shownLink(match[0], platform), match[0]));
      else if (match[2]) frag.append(span("mark", "", match[0], "A word the brand avoids"));
      else if (match[3]) frag.append(span("span", "preview-tag", match[0], "A hashtag"));
      else if (platform === "mastodon" && match[0].indexOf("@", 1) > 0) {
        frag.append(span("span", "preview-tag", match[0].slice(0, match[0].indexOf("@", 1)), match[0]));
      } else frag.append(span("span", "preview-tag", match[0], "A mention"));
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
    card.dataset.testid = "link-card-" + account.id;
    if (account.platform === "bluesky") {
      // Bluesky: title and description, then the site under a rule, with a globe.
      card.className = "link-card link-card-bluesky border mt-2";
      const body = document.createElement("div");
      body.className = "p-2";
      body.append(span("div", "fw-semibold", answer.title || answer.url));
      if (answer.description) body.append(span("div", "small link-card-description", answer.description));
      const site = span("div", "small text-body-secondary border-top px-2 py-1", " " + answer.domain);
      site.prepend(icon("globe"));
      card.append(body, site);
      return card;
    }
    if (account.platform === "mastodon") {
      // Mastodon: a square beside the site, the title and the description.
      card.className = "link-card link-card-mastodon border mt-2 d-flex";
      const side = document.createElement("div");
      side.className = "link-card-side d-flex align-items-center justify-content-center";
      side.append(icon("file-earmark-text"));
      const body = document.createElement("div");
      body.className = "p-2";
      body.append(span("div", "small text-body-secondary", answer.domain));
      body.append(span("div", "fw-semibold", answer.title || answer.url));
      if (answer.description) body.append(span("div", "small link-card-description", answer.description));
      card.append(side, body);
      return card;
    }
    card.className = "link-card border rounded mt-2 p-2";
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
    const counted = measure(text, account).count;
    const over = account.comment_limit && counted > account.comment_limit;
    const head = span("div", "small text-body-secondary",
      (account.platform === "x" ? "Reply" : "First comment") + " · " + counted + (account.comment_limit ? " / " + account.comment_limit : "") + (over ? " — too long" : ""));
    if (over) head.classList.add("text-danger", "fw-semibold");
    const body = span("div", "pre-line text-break small", "");
    body.append(decorated(text, account.platform));
    box.append(head, body);
    return box;
  }

  const OWN_LOOK = new Set(["bluesky", "mastodon"]);

  // What the count's tooltip says of the network's way of counting.
  function countRule(account) {
    const rules = [];
    if (account.graphemes) rules.push("characters as people see them (an emoji or an accented letter is one)");
    if (account.link_weight) rules.push("each link as " + account.link_weight);
    if (account.mentions_without_domain) rules.push("@user@server as @user");
    return rules.length ? account.network + " counts " + rules.join(", ") : "";
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
      card.className = "border rounded p-2 mb-3 preview-card preview-" + account.platform;
      card.dataset.testid = "preview-" + account.id;
      const head = document.createElement("div");
      head.className = "d-flex justify-content-between flex-wrap gap-1 small mb-1";
      const measured = measure(text, account);
      const counted = measured.count;
      const over = account.limit && counted > account.limit;
      const count = span("span", over ? "text-danger fw-semibold" : "text-body-secondary",
        counted + (account.limit ? " / " + account.limit : "") + (over ? " — too long: write a variant" : ""),
        countRule(account));
      count.dataset.testid = "preview-count-" + account.id;
      head.append(span("strong", "", account.name), count);
      const body = document.createElement("div");
      body.className = "pre-line text-break";
      const cut = over ? measured.cut : text.length;
      body.append(decorated(text.slice(0, cut), account.platform));
      if (over) body.append(span("del", "copy-removed", text.slice(cut), "Past " + account.network + "'s limit"));
      card.append(head);
      if (OWN_LOOK.has(account.platform)) card.append(author(account));
      card.append(body);
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
