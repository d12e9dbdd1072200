// «Скопировать»: a button with data-copy-target="<id>" copies the text of that element (a textarea or a
// code) to the clipboard and says so in its data-copy-status element (a live region). Without the
// clipboard API (an old browser, a page over plain HTTP) the text is selected in its box for Ctrl+C.
(() => {
  const say = (button, text) => {
    const status = document.getElementById(button.dataset.copyStatus || "");
    if (status) {
      status.textContent = text;
    }
  };
  const selectIn = (target) => {
    if (target.tagName === "TEXTAREA" || target.tagName === "INPUT") {
      target.hidden = false;
      target.focus();
      target.select();
      return;
    }
    const range = document.createRange();
    range.selectNodeContents(target);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  };
  const fallback = (button, target) => {
    selectIn(target);
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(button, copied ? button.dataset.copyDone || "Скопировано." : "Текст выделен: нажмите Ctrl+C (на телефоне — «Копировать»).");
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-copy-target]");
    if (!button) {
      return;
    }
    const target = document.getElementById(button.dataset.copyTarget);
    if (!target) {
      return;
    }
    const text = "value" in target ? target.value : target.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        () => say(button, button.dataset.copyDone || "Скопировано."),
        () => fallback(button, target),
      );
    } else {
      fallback(button, target);
    }
  });
})();
