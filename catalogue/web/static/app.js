// Progressive enhancement only: every page works without this file.
(function () {
  if (window.DKFDS) { window.DKFDS.init(); }
})();
