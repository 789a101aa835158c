// The report page's two charts, from the figures the page embeds as JSON (no inline script: strict CSP).
(function () {
  const series = JSON.parse(document.getElementById("followers-data").textContent);
  const networks = JSON.parse(document.getElementById("networks-data").textContent);
  const common = { responsive: true, maintainAspectRatio: false, animation: false };
  new Chart(document.getElementById("followers-chart"), {
    type: "line",
    data: { labels: series.labels.map(d => d.slice(8)), datasets: series.datasets.map(d => ({ label: d.label, data: d.data, borderColor: d.colour, backgroundColor: d.colour, spanGaps: true, pointRadius: 0, tension: .25 })) },
    options: { ...common, plugins: { legend: { position: "bottom" } }, scales: { x: { title: { display: true, text: "day of the month" } } } },
  });
  new Chart(document.getElementById("engagement-chart"), {
    type: "bar",
    data: { labels: networks.map(n => n.label), datasets: [{ label: "Engagement rate (%)", data: networks.map(n => n.engagement_rate_pct), backgroundColor: networks.map(n => n.colour) }] },
    options: { ...common, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, title: { display: true, text: "%" } } } },
  });
})();
