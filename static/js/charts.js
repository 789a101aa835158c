// Readable charts (Chart.js), shared by the metrics page, the benchmark and the monthly report.
// - At most six series in a chart: the five largest, and the rest summed (or averaged) as "Other accounts".
// - Each series its own colour (the Okabe-Ito palette, told apart with colour-blindness too) and its own dash,
//   so two Facebook accounts no longer share Facebook's blue.
// - The legend is HTML: one button per series with its line's colour and dash, the network's icon (Bootstrap
//   Icons) and the name; a button shows or hides its series in every chart it is linked to, by mouse or
//   keyboard (Tab, then Enter or Space), and says its state (aria-pressed).
// Data comes from json_script elements; this file is loaded as a static file (the CSP runs no inline script).
(function () {
  "use strict";

  const MAX_SERIES = 6;
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];
  const OTHER_COLOUR = "#6c757d";
  // solid, long dash, dots, dash-dot, short dash, dash-dot-dot: the same order as the colours.
  const DASHES = [[], [10, 4], [2, 3], [10, 3, 2, 3], [5, 3], [10, 3, 2, 3, 2, 3]];
  const OTHER_DASH = [1, 4];
  const POINTS = ["circle", "rect", "triangle", "rectRot", "star", "crossRot"];
  const ICONS = {
    x: "bi-twitter-x", facebook: "bi-facebook", instagram: "bi-instagram", linkedin: "bi-linkedin",
    youtube: "bi-youtube", tiktok: "bi-tiktok", pinterest: "bi-pinterest", bluesky: "bi-bluesky",
    mastodon: "bi-mastodon", other: "bi-globe2",
  };
  const NETWORK_NAMES = {
    x: "X", facebook: "Facebook", instagram: "Instagram", linkedin: "LinkedIn", youtube: "YouTube",
    tiktok: "TikTok", pinterest: "Pinterest", bluesky: "Bluesky", mastodon: "Mastodon", other: "Other network",
  };

  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  // "2026-09-04" -> "4 Sep" (the axis of a chart; the year is in the page's period); anything else unchanged.
  function dayLabel(iso) {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return match ? `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]}` : iso;
  }

  function lastValue(values) {
    for (let i = (values || []).length - 1; i >= 0; i -= 1) {
      if (values[i] !== null && values[i] !== undefined) return values[i];
    }
    return null;
  }

  // items: [{key, label, platform, rank, data: {metric: [values]}}]; combine: {metric: "sum" | "mean"}.
  // Returns at most MAX_SERIES items, in their given order, the grouped ones last as one item.
  function group(items, combine, otherLabel) {
    if (items.length <= MAX_SERIES) return items;
    const ranked = [...items].sort((a, b) => (b.rank ?? -Infinity) - (a.rank ?? -Infinity));
    const kept = new Set(ranked.slice(0, MAX_SERIES - 1));
    const rest = items.filter((item) => !kept.has(item));
    const other = {
      key: "__other__", other: true, platform: null, members: rest.map((item) => item.label),
      label: `${otherLabel || "Other accounts"} (${rest.length})`, data: {},
    };
    Object.entries(combine).forEach(([metric, how]) => {
      const length = Math.max(0, ...rest.map((item) => (item.data[metric] || []).length));
      other.data[metric] = Array.from({ length }, (_, i) => {
        const values = rest.map((item) => (item.data[metric] || [])[i]).filter((v) => v !== null && v !== undefined);
        if (!values.length) return null;
        const total = values.reduce((sum, v) => sum + v, 0);
        return how === "mean" ? Math.round((total / values.length) * 1000) / 1000 : total;
      });
    });
    return [...items.filter((item) => kept.has(item)), other];
  }

  // The look of the i-th series: colour (the item's own when the page gives one that tells it apart, as the
  // benchmark's companies), dash and marker.
  function look(item, i) {
    if (item.other) return { colour: OTHER_COLOUR, dash: OTHER_DASH, point: "line" };
    const colour = item.colour || PALETTE[i % PALETTE.length];
    return { colour, dash: DASHES[i % DASHES.length], point: POINTS[i % POINTS.length] };
  }

  function lineDataset(item, i, values) {
    const { colour, dash, point } = look(item, i);
    return {
      key: item.key, label: item.label, data: values, borderColor: colour, backgroundColor: colour, borderDash: dash,
      borderWidth: 2, pointStyle: point, pointRadius: 0, pointHoverRadius: 4, spanGaps: true, tension: 0.2,
    };
  }

  function barDataset(item, i, values) {
    const { colour } = look(item, i);
    return { key: item.key, label: item.label, data: values, backgroundColor: colour, borderColor: colour };
  }

  function svg(name, attributes) {
    const element = document.createElementNS("http://www.w3.org/2000/svg", name);
    Object.entries(attributes).forEach(([attribute, value]) => element.setAttribute(attribute, value));
    return element;
  }

  function swatch(item, i) {
    const { colour, dash } = look(item, i);
    const picture = svg("svg", { width: "30", height: "10", viewBox: "0 0 30 10", "aria-hidden": "true", class: "chart-swatch" });
    picture.appendChild(svg("line", {
      x1: "1", y1: "5", x2: "29", y2: "5", stroke: colour, "stroke-width": "3", "stroke-dasharray": dash.join(" "),
    }));
    return picture;
  }

  function icon(platform, fallback) {
    const i = document.createElement("i");
    i.className = `bi ${platform ? ICONS[platform] || ICONS.other : fallback || "bi-people"}`;
    i.setAttribute("aria-hidden", "true");
    return i;
  }

  // links: [{chart, by: "dataset" | "data"}]; each chart's datasets (or data points) carry the items' keys.
  function legend(container, items, links, caption) {
    if (!container) return;
    container.replaceChildren();
    container.classList.add("chart-legend");
    container.setAttribute("role", "group");
    container.setAttribute("aria-label", caption || "Series shown in the chart");
    items.forEach((item, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "chart-legend-item";
      button.setAttribute("aria-pressed", "true");
      button.dataset.key = item.key;
      button.title = item.other ? `Summed here: ${item.members.join(", ")}. Press to hide or show.` : "Press to hide or show";
      button.appendChild(swatch(item, i));
      button.appendChild(icon(item.platform, item.icon));
      const networkName = NETWORK_NAMES[item.platform] || item.platform;
      if (item.platform && !item.label.includes(networkName)) { // said once to screen readers, the icon is hidden
        const network = document.createElement("span");
        network.className = "visually-hidden";
        network.textContent = `${networkName}: `;
        button.appendChild(network);
      }
      const name = document.createElement("span");
      name.textContent = item.label;
      button.appendChild(name);
      button.addEventListener("click", () => {
        const shown = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", String(shown));
        links.forEach(({ chart, by }) => {
          if (by === "data") {
            const index = chart.data.labelKeys.indexOf(item.key);
            if (index >= 0 && chart.getDataVisibility(index) !== shown) chart.toggleDataVisibility(index);
          } else {
            const index = chart.data.datasets.findIndex((d) => d.key === item.key);
            if (index >= 0) chart.setDatasetVisibility(index, shown);
          }
          chart.update();
        });
      });
      container.appendChild(button);
    });
  }

  // A sentence under the legend when series were grouped (how: what "grouped" means for these charts), or nothing.
  function note(element, items, how) {
    if (!element) return;
    const other = items.find((item) => item.other);
    element.textContent = other
      ? `The ${items.length - 1} with the most followers are drawn one by one; the other ${other.members.length} are ` +
        `grouped as “${other.label}”${how ? ` (${how})` : ""}. Hover that button for their names.`
      : "";
    element.hidden = !other;
  }

  if (typeof Chart !== "undefined") {
    Chart.defaults.animation = false;
    Chart.defaults.plugins.legend.display = false; // the HTML legend replaces it
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  }

  window.ReadableCharts = { MAX_SERIES, group, dayLabel, lastValue, lineDataset, barDataset, look, legend, note, ICONS };
})();
