// MetalPro back office: light progressive enhancement. Every page works without this file;
// it only adds conveniences. No inline script anywhere (the Content-Security-Policy forbids
// it), so behaviour hangs off data- attributes.
(function () {
  "use strict";

  // Buttons with data-confirm ask before submitting their form (irreversible actions).
  document.addEventListener("submit", function (ev) {
    var btn = ev.submitter;
    var msg = (btn && btn.getAttribute("data-confirm")) || ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
    }
  });
})();
