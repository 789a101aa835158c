// The report page's two charts, from the figures the page embeds as JSON (no inline script: strict CSP), through
// static/js/charts.js: a colour and a dash per network (at most six series) and one legend for both charts.
(function () {
  const seriesEl = document.getElementById("followers-data");
  if (!seriesEl || typeof Chart === "undefined" || !window.ReadableCharts) return;
  const R = window.ReadableCharts;
  const series = JSON.parse(seriesEl.textContent);
  const networks = JSON.parse(document.getElementById("networks-data").textContent);
  const platformOf = Object.fromEntries(networks.map((n) => [n.label, n.platform]));
  const rateOf = Object.fromEntries(networks.map((n) => [n.label, n.engagement_rate_pct]));
  const items = R.group(series.datasets.map((d) => ({
    key: platformOf[d.label] || d.label, label: d.label, platform: platformOf[d.label] || "other", rank: R.lastValue(d.data),
    data: { followers: d.data, rate: [rateOf[d.label] ?? null] },
  })), { followers: "sum", rate: "mean" }, "Other networks");
  const common = { responsive: true, maintainAspectRatio: false };
  const followers = new Chart(document.getElementById("followers-chart"), {
    type: "line",
    data: { labels: series.labels.map((d) => String(Number(d.slice(8)))), datasets: items.map((item, i) => R.lineDataset(item, i, item.data.followers)) },
    options: { ...common, interaction: { mode: "index", intersect: false }, scales: { x: { title: { display: true, text: "day of the month" } } } },
  });
  const engagement = new Chart(document.getElementById("engagement-chart"), {
    type: "bar",
    data: {
      labels: items.map((item) => item.label), labelKeys: items.map((item) => item.key),
      datasets: [{ label: "Engagement rate (%)", data: items.map((item) => item.data.rate[0]), backgroundColor: items.map((item, i) => R.look(item, i).colour) }],
    },
    options: { ...common, scales: { y: { beginAtZero: true, title: { display: true, text: "%" } } } },
  });
  R.legend(document.getElementById("report-legend"), items,
    [{ chart: followers, by: "dataset" }, { chart: engagement, by: "data" }], "Networks shown in the two charts");
  R.note(document.getElementById("report-legend-note"), items, "followers summed, engagement rate averaged");
})();
