// Charts of the benchmark page, drawn from the figures the page's table shows (json_script "benchmark-data"),
// through static/js/charts.js: each company in the colour the tables give it, a dash of its own, one legend for all.
(function () {
  const source = document.getElementById("benchmark-data");
  if (!source || typeof Chart === "undefined" || !window.ReadableCharts) return;
  const R = window.ReadableCharts;
  const data = JSON.parse(source.textContent);
  Chart.defaults.maintainAspectRatio = false;
  const legendBox = document.getElementById("benchmark-legend");
  const network = (legendBox && legendBox.dataset.network) || null; // the chosen network, or all of them
  const followers = data.followers || {};
  const entities = data.entities.map((e, i) => ({
    key: e.key, label: e.name, colour: e.colour, platform: network, icon: "bi-building", rank: R.lastValue(followers[e.key]),
    data: {
      posts_per_week: data.by_network.posts_per_week[e.key], engagement_rate: data.by_network.engagement_rate[e.key],
      followers: followers[e.key] || [], sov_posts: [data.share.posts[i]], sov_interactions: [data.share.interactions[i]],
    },
  }));
  const items = R.group(entities, {
    posts_per_week: "sum", engagement_rate: "mean", followers: "sum", sov_posts: "sum", sov_interactions: "sum",
  }, "Other competitors");
  const links = [];

  function grouped(id, metric, unit) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    links.push({ by: "dataset", chart: new Chart(canvas, {
      type: "bar",
      data: { labels: data.by_network.labels, datasets: items.map((item, i) => R.barDataset(item, i, item.data[metric])) },
      options: {
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.raw === null ? "no figure" : c.raw + unit}` } } },
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => v + unit } } },
      },
    }) });
  }
  grouped("chart-posts", "posts_per_week", "");
  grouped("chart-rate", "engagement_rate", "%");

  function doughnut(id, metric) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    links.push({ by: "data", chart: new Chart(canvas, {
      type: "doughnut",
      data: {
        labels: items.map((item) => item.label), labelKeys: items.map((item) => item.key),
        datasets: [{ data: items.map((item) => item.data[metric][0]), backgroundColor: items.map((item, i) => R.look(item, i).colour) }],
      },
      options: { plugins: { tooltip: { callbacks: { label: (c) => `${c.label}: ${c.raw}%` } } } },
    }) });
  }
  doughnut("chart-sov-posts", "sov_posts");
  doughnut("chart-sov-interactions", "sov_interactions");

  const line = document.getElementById("chart-followers");
  if (line && followers.labels) {
    links.push({ by: "dataset", chart: new Chart(line, {
      type: "line",
      data: {
        labels: followers.labels.map(R.dayLabel),
        datasets: items.map((item, i) => R.lineDataset(item, i, item.data.followers)).filter((d) => d.data.length),
      },
      options: { interaction: { mode: "index", intersect: false }, scales: { x: { ticks: { maxTicksLimit: 8 } } } },
    }) });
  }
  R.legend(legendBox, items, links, "Companies shown in the charts");
  R.note(document.getElementById("benchmark-legend-note"), items, "their figures summed, engagement rate averaged");
})();
