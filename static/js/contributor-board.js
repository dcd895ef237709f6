/* Live contributor board: the server-rendered table, kept up to date from the websocket
   (/ws/leaderboards/contributors/<period>/ or /ws/contests/<slug>/contributors/<period>/), polling
   the JSON endpoint while the socket is down. Only snapshots with a higher version are applied. */
(function () {
  "use strict";

  var POLL_INTERVAL_MS = window.civitasLeaderboardPollMs || 5000;
  var BACKOFF_CAP_MS = 30000;
  var root = document.querySelector("[data-contributor-board]");
  if (!root) return;
  var labels = JSON.parse(document.getElementById("contributor-board-labels").textContent);
  var current = JSON.parse(document.getElementById("contributor-board-snapshot").textContent);
  var table = root.querySelector("[data-board-table]");
  var rows = root.querySelector("[data-board-rows]");
  var empty = root.querySelector("[data-board-empty]");
  var statusLine = root.querySelector("[data-board-status]");
  var apiUrl = root.getAttribute("data-api-url");
  var socketUrl = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host +
    root.getAttribute("data-websocket-path");
  var attempts = 0, pollTimer = null, status = "";

  function setStatus(key) {
    if (status === key) return;
    status = key;
    statusLine.textContent = labels[key] || "";
  }

  function cell(tag, text, href) {
    var element = document.createElement(tag);
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.textContent = text;
      element.appendChild(link);
    } else {
      element.textContent = text;
    }
    return element;
  }

  function apply(snapshot) {
    if (!snapshot || snapshot.type !== "contributors" || !Array.isArray(snapshot.entries)) return;
    if (typeof snapshot.version !== "number" || snapshot.version <= current.version) return;
    var fragment = document.createDocumentFragment();
    snapshot.entries.forEach(function (entry) {
      var row = document.createElement("tr");
      row.setAttribute("data-user-id", entry.user_id);
      var name = cell("th", entry.name, entry.url);
      name.setAttribute("scope", "row");
      row.appendChild(cell("td", entry.rank));
      row.appendChild(name);
      row.appendChild(cell("td", entry.points));
      fragment.appendChild(row);
    });
    rows.textContent = "";
    rows.appendChild(fragment);
    table.hidden = snapshot.entries.length === 0;
    empty.hidden = snapshot.entries.length !== 0;
    var updated = root.querySelector("[data-board-updated]");
    updated.setAttribute("datetime", snapshot.updated_at);
    var date = new Date(snapshot.updated_at);
    updated.textContent = isNaN(date.getTime()) ? snapshot.updated_at : date.toLocaleString(document.documentElement.lang);
    current = snapshot;
  }

  function poll() {
    fetch(apiUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(apply)
      .catch(function () { /* offline: try again at the next poll */ });
  }

  function startPolling() {
    if (pollTimer === null) pollTimer = window.setInterval(poll, POLL_INTERVAL_MS);
    setStatus("polling");
  }

  function stopPolling() {
    if (pollTimer !== null) { window.clearInterval(pollTimer); pollTimer = null; }
  }

  function connect() {
    if (!("WebSocket" in window)) { startPolling(); return; }
    var socket = new WebSocket(socketUrl);
    socket.onopen = function () { attempts = 0; stopPolling(); setStatus("live"); };
    socket.onmessage = function (event) {
      try { apply(JSON.parse(event.data)); } catch (error) { /* ignore a malformed message */ }
    };
    socket.onclose = function (event) {
      startPolling();
      if (event.code === 4404) return;  // the board is gone: polling says so
      attempts += 1;
      window.setTimeout(connect, Math.min(BACKOFF_CAP_MS, 1000 * Math.pow(2, attempts - 1)));
    };
  }

  connect();
})();
