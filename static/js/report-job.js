// The progress bar of a file built in the background (templates/reports/jobs/_progress.html).
// htmx replaces the block every second; its width comes from data-progress, because the
// Content-Security-Policy forbids style attributes.
(function () {
  "use strict";

  function apply(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, parseInt(bar.dataset.progress, 10) || 0)) + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    apply(document);
  });
  document.addEventListener("htmx:load", function (event) {
    apply(event.detail && event.detail.elt ? event.detail.elt : document);
  });
})();
