// On a phone a list table (class "table-cards") becomes a card per row (static/css/app.css):
// each cell shows its column's name before its value. The names are copied here from the
// header once, so that templates do not repeat them in every cell.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("table.table-cards")) {
    const headers = Array.from(table.querySelectorAll("thead tr:first-child > th")).map((th) =>
      th.querySelector(".visually-hidden") ? "" : th.innerText.replace(/\s+/g, " ").trim(),
    );
    for (const row of table.querySelectorAll("tbody > tr")) {
      Array.from(row.children).forEach((cell, index) => {
        if (headers[index] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", headers[index]);
        }
      });
    }
  }
});

// A wide table that stays a table scrolls sideways in its .table-responsive box. A keyboard user
// scrolls it with the arrows only if the box takes the focus (WCAG 2.1.1), so a box that
// overflows gets tabindex and a name; one that fits (a wider screen) is left out of the Tab order.
(() => {
  const TABBABLE = "a[href], button, input, select, textarea, [tabindex]";

  function update() {
    for (const box of document.querySelectorAll(".table-responsive")) {
      if (box.hasAttribute("tabindex") && !box.hasAttribute("data-scroll-focus")) {
        continue; // the template made it focusable itself (the district's KPI table)
      }
      const overflows = box.scrollWidth > box.clientWidth + 1;
      const reachable = box.querySelector(TABBABLE) !== null;
      if (overflows && !reachable) {
        const caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
        box.setAttribute("role", "group");
        box.setAttribute(
          "aria-label",
          caption ? caption.innerText.trim() + " (прокручивается вбок)" : "Таблица (прокручивается вбок)",
        );
      } else if (box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("data-scroll-focus");
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
})();
