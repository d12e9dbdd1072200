// Upload progress of the list import form («Загрузка списков»).
// htmx sends the form (hx-post); this file shows how much of the file has gone, refuses a file
// over the size limit before sending it, and explains network and server failures.
// No inline scripts or style attributes anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  function importForm(event) {
    const element = event.target;
    return element && element.matches && element.matches("form[data-import-progress]") ? element : null;
  }

  function parts(form) {
    const progress = form.querySelector("[data-import-progress-bar]");
    return {
      progress: progress,
      bar: progress ? progress.querySelector(".progress-bar") : null,
      status: form.querySelector("[data-import-status]"),
    };
  }

  function showProgress(form, percent, text) {
    const { progress, bar, status } = parts(form);
    if (progress && bar) {
      progress.classList.remove("d-none");
      progress.setAttribute("aria-valuenow", String(percent));
      bar.style.width = percent + "%";
    }
    if (status) {
      status.classList.remove("d-none", "text-danger");
      status.classList.add("text-body-secondary");
      status.textContent = text;
    }
  }

  function showError(form, text) {
    const { progress, status } = parts(form);
    if (progress) {
      progress.classList.add("d-none");
    }
    if (status) {
      status.classList.remove("d-none", "text-body-secondary");
      status.classList.add("text-danger");
      status.textContent = text;
    }
  }

  // Before anything is sent: a file over the limit would only be refused by the server.
  document.addEventListener("htmx:confirm", function (event) {
    const form = importForm(event);
    if (!form) {
      return;
    }
    const input = form.querySelector("input[type=file]");
    const file = input && input.files ? input.files[0] : null;
    const limit = parseInt(form.dataset.maxSize || "0", 10);
    if (file && limit && file.size > limit) {
      event.preventDefault();
      showError(form, form.dataset.tooLargeMessage);
    }
  });

  document.addEventListener("htmx:beforeSend", function (event) {
    const form = importForm(event);
    if (!form || !event.detail || !event.detail.xhr) {
      return;
    }
    const upload = event.detail.xhr.upload;
    showProgress(form, 0, "Отправляем файл…");
    upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable && progress.total > 0) {
        const percent = Math.min(100, Math.round((progress.loaded / progress.total) * 100));
        showProgress(form, percent, "Отправлено " + percent + " %");
      }
    });
    upload.addEventListener("load", function () {
      showProgress(form, 100, "Файл отправлен. Проверяем строки списка — для большого файла это займёт до минуты…");
    });
  });

  document.addEventListener("htmx:responseError", function (event) {
    const form = importForm(event);
    if (form) {
      const code = event.detail && event.detail.xhr ? event.detail.xhr.status : "";
      showError(form, "Не удалось проверить файл: сервер ответил ошибкой " + code + ". Попробуйте ещё раз; "
        + "если ошибка повторится, сообщите администратору.");
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    const form = importForm(event);
    if (form) {
      showError(form, "Не удалось отправить файл: нет связи с сервером. Проверьте подключение к интернету "
        + "и попробуйте ещё раз.");
    }
  });
})();
