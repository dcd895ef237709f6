/* Live reports (live/ machinery, board kind "rp"): the map and the staff queue hear that reports changed.
   A snapshot carries counts and a version; on a newer version the map reloads its markers and the queue
   reloads its table (unless a row is selected, so a bulk change in progress is never disturbed).
   While the socket is down the page polls itself every 15 s. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-path]");
  if (!root || !("WebSocket" in window)) return;
  var statusLine = document.querySelector("[data-live-status]");
  var version = 0, attempts = 0, pollTimer = null;

  function changed() {
    if (root.id === "report-map") {
      document.dispatchEvent(new CustomEvent("reports:changed"));
      return;
    }
    if (root.querySelector("input[type=checkbox]:checked")) return;
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(root.id);
        if (fresh) root.innerHTML = fresh.innerHTML;
        root.setAttribute("data-live-version", String(version));
      });
  }

  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + root.getAttribute("data-live-path"));
    socket.addEventListener("open", function () {
      attempts = 0;
      root.setAttribute("data-live", "open");
      if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
    });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (message.type !== "reports" || typeof message.version !== "number" || message.version <= version) return;
      var first = version === 0;
      version = message.version;
      if (!first) changed();
    });
    socket.addEventListener("close", function (event) {
      root.setAttribute("data-live", "closed");
      if (event.code === 4404 || event.code === 4400) return;
      if (!pollTimer) pollTimer = setInterval(changed, 15000);
      attempts += 1;
      setTimeout(connect, Math.min(30000, 1000 * Math.pow(2, attempts)));
    });
  }
  if (statusLine) statusLine.textContent = "";
  connect();
})();
