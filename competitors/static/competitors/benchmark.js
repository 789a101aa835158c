// Charts of the benchmark page, drawn from the figures the page's table shows.
(function () {
  const source = document.getElementById("benchmark-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const names = data.entities.map((e) => e.name);
  const colours = data.entities.map((e) => e.colour);
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;

  function grouped(id, values, unit) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.by_network.labels,
        datasets: data.entities.map((e) => ({ label: e.name, data: values[e.key], backgroundColor: e.colour })),
      },
      options: {
        plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.raw === null ? "no figure" : c.raw + unit}` } } },
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => v + unit } } },
      },
    });
  }
  grouped("chart-posts", data.by_network.posts_per_week, "");
  grouped("chart-rate", data.by_network.engagement_rate, "%");

  function doughnut(id, values) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "doughnut",
      data: { labels: names, datasets: [{ data: values, backgroundColor: colours }] },
      options: { plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `${c.label}: ${c.raw}%` } } } },
    });
  }
  doughnut("chart-sov-posts", data.share.posts);
  doughnut("chart-sov-interactions", data.share.interactions);

  const followers = document.getElementById("chart-followers");
  if (followers && data.followers.labels) {
    new Chart(followers, {
      type: "line",
      data: {
        labels: data.followers.labels,
        datasets: data.entities
          .filter((e) => data.followers[e.key])
          .map((e) => ({ label: e.name, data: data.followers[e.key], borderColor: e.colour, backgroundColor: e.colour, pointRadius: 0, spanGaps: true, tension: 0.2 })),
      },
      options: {
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom" } },
        scales: { x: { ticks: { maxTicksLimit: 8 } } },
      },
    });
  }
})();
