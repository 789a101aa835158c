// The metrics page's three charts, from the json_script "metrics-charts", through static/js/charts.js: at most
// six series (the five accounts with the most followers, the others grouped), one legend for the three charts.
(function () {
  const el = document.getElementById("metrics-charts");
  if (!el || typeof Chart === "undefined" || !window.ReadableCharts) return;
  const R = window.ReadableCharts;
  const data = JSON.parse(el.textContent);
  const accounts = data.profiles.map((p) => ({
    key: String(p.key), label: p.label, platform: p.platform, rank: R.lastValue(p.followers),
    data: { followers: p.followers, rate: p.rate, posts: p.posts },
  }));
  const items = R.group(accounts, { followers: "sum", rate: "mean", posts: "sum" });
  const common = { interaction: { mode: "index", intersect: false } };
  const followers = new Chart(document.getElementById("followers-chart"), {
    type: "line",
    data: { labels: data.days.map(R.dayLabel), datasets: items.map((item, i) => R.lineDataset(item, i, item.data.followers)) },
    options: { ...common, scales: { y: { title: { display: true, text: "followers" } } } },
  });
  const rate = new Chart(document.getElementById("rate-chart"), {
    type: "line",
    data: { labels: data.weeks.map(R.dayLabel), datasets: items.map((item, i) => R.lineDataset(item, i, item.data.rate)) },
    options: { ...common, scales: { y: { title: { display: true, text: "% of followers on the day of posting" } } } },
  });
  const posts = new Chart(document.getElementById("posts-chart"), {
    type: "bar",
    data: { labels: data.weeks.map(R.dayLabel), datasets: items.map((item, i) => R.barDataset(item, i, item.data.posts)) },
    options: { ...common, scales: { y: { title: { display: true, text: "posts per week" } } } },
  });
  R.legend(document.getElementById("metrics-legend"), items,
    [followers, rate, posts].map((chart) => ({ chart, by: "dataset" })), "Accounts shown in the three charts");
  R.note(document.getElementById("metrics-legend-note"), items, "followers and posts summed, engagement rate averaged");
})();
