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
