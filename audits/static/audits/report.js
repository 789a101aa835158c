// The audit report's score history chart, drawn from the json_script "score-history".
(function () {
  const canvas = document.getElementById("score-chart");
  if (!canvas) return;
  const history = JSON.parse(document.getElementById("score-history").textContent);
  new Chart(canvas, {
    type: "line",
    data: {labels: history.map(h => h.date), datasets: [{label: "Score", data: history.map(h => h.score), borderColor: "#6b4de6", backgroundColor: "rgba(107,77,230,.15)", fill: true, tension: .25}]},
    options: {animation: false, plugins: {legend: {display: false}}, scales: {y: {min: 0, max: 100}}}
  });
})();
