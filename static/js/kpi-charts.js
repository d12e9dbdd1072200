// Monthly trends of the monitoring indicators (reports/kpi.py). The page puts their data in a
// json_script element (#kpi-charts: a list of {canvas, labels, data, target, label}); no inline
// scripts, the Content-Security-Policy forbids them. Each chart is a line of percentages by
// month end with the target as a dashed line; months still to come are gaps.
(function () {
  "use strict";

  function draw() {
    const source = document.getElementById("kpi-charts");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    JSON.parse(source.textContent).forEach(function (spec) {
      const canvas = document.getElementById(spec.canvas);
      if (!canvas) {
        return;
      }
      const datasets = [
        {
          label: spec.label,
          data: spec.data,
          borderColor: "#0d6efd",
          backgroundColor: "#0d6efd",
          tension: 0.2,
          spanGaps: false,
        },
      ];
      if (spec.target !== null && spec.target !== undefined) {
        datasets.push({
          label: "Цель",
          data: spec.labels.map(function () {
            return spec.target;
          }),
          borderColor: "#198754",
          borderDash: [6, 4],
          borderWidth: 1,
          pointRadius: 0,
        });
      }
      new window.Chart(canvas, {
        type: "line",
        data: { labels: spec.labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          locale: "ru-RU",
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: function (context) {
                  return context.dataset.label + ": " + context.formattedValue + " %";
                },
              },
            },
          },
          scales: {
            y: { beginAtZero: true, suggestedMax: spec.target || 10, ticks: { callback: function (value) { return value + " %"; } } },
            x: { ticks: { autoSkip: true, maxRotation: 0 } },
          },
        },
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
