// The ambassadors page: copy an example text, and the chart of active ambassadors per network.
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.copy).innerText;
      navigator.clipboard.writeText(text).then(function () {
        button.innerHTML = '<i class="bi bi-check2"></i> Copied';
      });
    });
  });
  var canvas = document.getElementById("network-chart");
  if (canvas) {
    var data = JSON.parse(document.getElementById("network-chart-data").textContent);
    new Chart(canvas, {
      type: "bar",
      data: {labels: data.labels, datasets: [{data: data.counts, backgroundColor: data.colours, borderRadius: 4}]},
      options: {indexAxis: "y", maintainAspectRatio: false, plugins: {legend: {display: false}}, scales: {x: {beginAtZero: true, ticks: {precision: 0}}}}
    });
  }
})();
