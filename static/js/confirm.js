// Forms with data-confirm ask before they submit (no inline scripts: Content-Security-Policy).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset ? event.target.dataset.confirm : null;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
