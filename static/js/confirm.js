// Forms with data-confirm ask before they submit (no inline scripts: Content-Security-Policy).
// The question may sit on the form or on the button that submits it.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const message = (button && button.dataset && button.dataset.confirm) || (event.target.dataset ? event.target.dataset.confirm : null);
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
