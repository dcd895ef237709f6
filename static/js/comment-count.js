// Keeps the comment count on an open proposal page current by polling a small JSON endpoint.
// Polling pauses while the tab is hidden and resumes (with an immediate refresh) when it is shown.
(function () {
  "use strict";
  var counter = document.querySelector("[data-comment-count][data-count-url]");
  if (!counter) return;
  var url = counter.getAttribute("data-count-url");
  var seconds = parseInt(counter.getAttribute("data-poll-seconds"), 10) || 20;
  var timer = null;

  function refresh() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && typeof data.count === "number") counter.textContent = String(data.count);
      })
      .catch(function () { /* offline: try again at the next tick */ });
  }
  function start() { if (timer === null) timer = window.setInterval(refresh, seconds * 1000); }
  function stop() { if (timer !== null) { window.clearInterval(timer); timer = null; } }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { stop(); } else { refresh(); start(); }
  });
  if (!document.hidden) start();
})();
