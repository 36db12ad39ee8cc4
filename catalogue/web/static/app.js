// Progressive enhancement only: every page works without this file.
(function () {
  if (window.DKFDS) { window.DKFDS.init(); }
  // A form marked data-once is sent once: a second click while the first is on its way
  // does nothing (the server refuses a repeat anyway; this spares the person the message).
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      form.dataset.sent = "1";
    });
  });
})();
