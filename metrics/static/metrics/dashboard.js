// The metrics dashboard's three charts, drawn from the json_script "metrics-charts".
(function () {
  const el = document.getElementById("metrics-charts");
  if (!el) return;
  const data = JSON.parse(el.textContent);
  const line = (key) => data.profiles.map((p) => ({label: p.label, data: p[key], borderColor: p.colour, backgroundColor: p.colour,
    borderDash: p.own ? [] : [5, 4], pointRadius: 0, spanGaps: true, tension: 0.2}));
  const common = {animation: false, interaction: {mode: "index", intersect: false}, plugins: {legend: {position: "bottom"}}};
  new Chart(document.getElementById("followers-chart"), {type: "line", data: {labels: data.days, datasets: line("followers")},
    options: {...common, scales: {y: {title: {display: true, text: "followers"}}}}});
  new Chart(document.getElementById("rate-chart"), {type: "line", data: {labels: data.weeks, datasets: line("rate")},
    options: {...common, scales: {y: {title: {display: true, text: "% of followers on the day of posting"}}}}});
  new Chart(document.getElementById("posts-chart"), {type: "bar",
    data: {labels: data.weeks, datasets: data.profiles.map((p) => ({label: p.label, data: p.posts, backgroundColor: p.colour}))},
    options: {...common, scales: {y: {title: {display: true, text: "posts per week"}}}}});
})();
