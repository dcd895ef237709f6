/* Live boards (live/): a server-rendered table kept up to date from a websocket, falling back to
   polling the board's JSON endpoint while the socket is down. One client for every board; a board
   script only says how to draw one row (CivitasLiveBoard.watch).

   The root element carries data-websocket-path and data-api-url and holds [data-live-status],
   [data-live-table], [data-live-rows], [data-live-empty] and [data-live-updated]; the first snapshot and
   the status labels come from json_script elements named by data-snapshot-id and data-labels-id.
   Only a snapshot of the board's type with a higher version than the one shown is applied. */
(function () {
  "use strict";

  var PING_INTERVAL_MS = 25000;
  // Browser tests shorten the polling interval with an init script; everyone else polls every 5 s.
  var POLL_INTERVAL_MS = window.civitasLeaderboardPollMs || 5000;
  var BACKOFF_START_MS = 1000;
  var BACKOFF_CAP_MS = 30000;
  // Close codes after which reconnecting cannot help: the board is gone (4404) or we spoke wrongly (4400).
  var FINAL_CLOSE_CODES = [4400, 4404];

  function watch(root, options) {
    var labels = JSON.parse(document.getElementById(root.getAttribute("data-labels-id")).textContent);
    var current = JSON.parse(document.getElementById(root.getAttribute("data-snapshot-id")).textContent);
    var table = root.querySelector("[data-live-table]");
    var rows = root.querySelector("[data-live-rows]");
    var empty = root.querySelector("[data-live-empty]");
    var statusLine = root.querySelector("[data-live-status]");
    var apiUrl = root.getAttribute("data-api-url");
    var socketUrl = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host +
      root.getAttribute("data-websocket-path");
    var socket = null, attempts = 0, reconnectTimer = null, pingTimer = null, pollTimer = null, status = "";

    function setStatus(key) {
      // Only the connection state is announced, never each update of the table.
      if (status === key) return;
      status = key;
      statusLine.textContent = labels[key] || "";
      root.setAttribute("data-status", key);
    }

    function render(snapshot, previous) {
      var fragment = document.createDocumentFragment();
      snapshot.entries.forEach(function (entry) { fragment.appendChild(options.row(entry, previous, labels)); });
      rows.textContent = "";
      rows.appendChild(fragment);
      table.hidden = snapshot.entries.length === 0;
      empty.hidden = snapshot.entries.length !== 0;
      if (options.summary) options.summary(root, snapshot);
      var updated = root.querySelector("[data-live-updated]");
      updated.setAttribute("datetime", snapshot.updated_at);
      var date = new Date(snapshot.updated_at);
      updated.textContent = isNaN(date.getTime()) ? snapshot.updated_at : date.toLocaleString(document.documentElement.lang);
    }

    function apply(snapshot) {
      if (!snapshot || snapshot.type !== options.type || !Array.isArray(snapshot.entries)) return;
      // Versions only grow: an older or repeated snapshot (a late poll, a reconnect) is ignored.
      if (typeof snapshot.version !== "number" || snapshot.version <= current.version) return;
      render(snapshot, current);
      current = snapshot;
    }

    function poll() {
      fetch(apiUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (snapshot) {
          if (snapshot && pollTimer !== null) { apply(snapshot); setStatus("polling"); }
        })
        .catch(function () { /* still offline: the next poll or reconnect tries again */ });
    }

    function startPolling() {
      if (pollTimer !== null) return;
      pollTimer = window.setInterval(poll, POLL_INTERVAL_MS);
      poll();
    }

    function stopPolling() {
      if (pollTimer === null) return;
      window.clearInterval(pollTimer);
      pollTimer = null;
    }

    function backoffDelay() {
      // Exponential, capped, with full jitter so many viewers do not reconnect in step.
      var ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * Math.pow(2, attempts));
      attempts += 1;
      return Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    }

    function scheduleReconnect() {
      if (reconnectTimer !== null) return;  // one pending reconnect at a time
      reconnectTimer = window.setTimeout(function () {
        reconnectTimer = null;
        connect();
      }, backoffDelay());
    }

    function connect() {
      if (socket !== null) return;
      if (!("WebSocket" in window)) { startPolling(); return; }
      try {
        socket = new WebSocket(socketUrl);
      } catch (error) {
        socket = null;
        if (status !== "polling") setStatus("reconnecting");
        startPolling();
        scheduleReconnect();
        return;
      }
      socket.addEventListener("open", function () {
        attempts = 0;
        setStatus("live");
        stopPolling();
        pingTimer = window.setInterval(function () {
          if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
        }, PING_INTERVAL_MS);
      });
      socket.addEventListener("message", function (event) {
        var message;
        try { message = JSON.parse(event.data); } catch (error) { return; }
        apply(message);
      });
      socket.addEventListener("close", function (event) {
        window.clearInterval(pingTimer);
        pingTimer = null;
        socket = null;
        if (FINAL_CLOSE_CODES.indexOf(event.code) !== -1) {
          // Retrying would be refused the same way: keep what is shown and say the updates stopped.
          stopPolling();
          setStatus("ended");
          return;
        }
        if (status !== "polling") setStatus("reconnecting");
        startPolling();
        scheduleReconnect();
      });
    }

    connect();
  }

  // A table cell; with `href`, its text is a link.
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

  window.CivitasLiveBoard = { watch: watch, cell: cell };
})();
