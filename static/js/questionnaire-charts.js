// Charts of questionnaire results. The page puts their data in a json_script element
// (#questionnaire-charts: a list of {canvas, type, labels, datasets, horizontal, integer, max});
// no inline scripts, the Content-Security-Policy forbids them. The numbers are also in the
// page's tables, so the page reads the same without JavaScript.
(function () {
  "use strict";

  function draw() {
    const source = document.getElementById("questionnaire-charts");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    const specs = JSON.parse(source.textContent);
    specs.forEach(function (spec) {
      const canvas = document.getElementById(spec.canvas);
      if (!canvas) {
        return;
      }
      const valueAxis = spec.horizontal ? "x" : "y";
      const categoryAxis = spec.horizontal ? "y" : "x";
      const scales = {};
      scales[valueAxis] = { beginAtZero: true, ticks: {} };
      scales[categoryAxis] = { ticks: { autoSkip: false } };
      if (spec.integer) {
        scales[valueAxis].ticks.precision = 0;
      }
      if (spec.max) {
        scales[valueAxis].max = spec.max;
      }
      new window.Chart(canvas, {
        type: spec.type || "bar",
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (dataset) {
            return { label: dataset.label, data: dataset.data, spanGaps: true };
          }),
        },
        options: {
          indexAxis: spec.horizontal ? "y" : "x",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          locale: "ru-RU",
          plugins: {
            legend: { display: spec.datasets.length > 1, position: "bottom" },
          },
          scales: scales,
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
