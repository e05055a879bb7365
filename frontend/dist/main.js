// Shows the binary's version through the Go binding window.go.app.App.Version().
// Outside the desktop window (no bindings) it says so instead of failing.
"use strict";

(() => {
  const out = document.getElementById("version");
  const show = (text, state) => {
    out.textContent = text;
    out.dataset.state = state;
  };

  const api = window.go && window.go.app && window.go.app.App;
  if (!api || typeof api.Version !== "function") {
    show("Version: unavailable (open this page in the clientportal control panel)", "missing");
    return;
  }
  api.Version().then(
    (version) => show("Version " + version, "ok"),
    () => show("Version: unavailable", "error"),
  );
})();
