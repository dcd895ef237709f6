/* Live leaderboard: the server-rendered table, kept up to date from the websocket
   (/ws/contests/<slug>/leaderboard/), falling back to polling the JSON endpoint while
   the socket is down. Only snapshots with a higher version than the one shown are applied. */
(function () {
  "use strict";

  var PING_INTERVAL_MS = 25000;
  // Browser tests shorten the polling interval with an init script; everyone else polls every 5 s.
  var POLL_INTERVAL_MS = window.civitasLeaderboardPollMs || 5000;
  var BACKOFF_START_MS = 1000;
  var BACKOFF_CAP_MS = 30000;

  var root = document.querySelector("[data-leaderboard]");
  if (!root) return;
  var labels = JSON.parse(document.getElementById("leaderboard-labels").textContent);
  var current = JSON.parse(document.getElementById("leaderboard-snapshot").textContent);
  var table = root.querySelector("[data-leaderboard-table]");
  var rows = root.querySelector("[data-leaderboard-rows]");
  var empty = root.querySelector("[data-leaderboard-empty]");
  var statusLine = root.querySelector("[data-leaderboard-status]");
  var apiUrl = root.getAttribute("data-api-url");
  var socketUrl = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host +
    root.getAttribute("data-websocket-path");

  var socket = null, attempts = 0, reconnectTimer = null, pingTimer = null, pollTimer = null, status = "";

  function setStatus(key) {
    // Only the connection state is announced, never each update of the table.
    if (status === key) return;
    status = key;
    statusLine.textContent = labels[key];
    root.setAttribute("data-status", key);
  }

  function movementCell(cell, previousRank, rank) {
    var symbol, text, kind;
    if (previousRank === undefined) {
      symbol = labels["new"]; text = labels.new_entry; kind = "new";
    } else if (previousRank > rank) {
      var up = previousRank - rank;
      symbol = "▲ " + up; text = (up === 1 ? labels.up_one : labels.up_many).replace("%(count)s", up); kind = "up";
    } else if (previousRank < rank) {
      var down = rank - previousRank;
      symbol = "▼ " + down;
      text = (down === 1 ? labels.down_one : labels.down_many).replace("%(count)s", down); kind = "down";
    } else {
      symbol = "–"; text = labels.same; kind = "same";
    }
    cell.className = "movement movement-" + kind;
    cell.textContent = "";
    var visible = document.createElement("span");
    visible.setAttribute("aria-hidden", "true");
    visible.textContent = symbol;
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = text;
    cell.appendChild(visible);
    cell.appendChild(hidden);
  }

  function render(snapshot, previous) {
    var previousRanks = {};
    previous.entries.forEach(function (entry) { previousRanks[entry.proposal_id] = entry.rank; });
    var fragment = document.createDocumentFragment();
    snapshot.entries.forEach(function (entry) {
      var row = document.createElement("tr");
      row.setAttribute("data-proposal-id", entry.proposal_id);
      var rank = document.createElement("td");
      rank.setAttribute("data-cell", "rank");
      rank.textContent = entry.rank;
      var title = document.createElement("th");
      title.setAttribute("scope", "row");
      title.setAttribute("data-cell", "title");
      var link = document.createElement("a");
      link.href = entry.url;
      link.textContent = entry.title;
      title.appendChild(link);
      var score = document.createElement("td");
      score.setAttribute("data-cell", "score");
      score.textContent = entry.score;
      var votes = document.createElement("td");
      votes.setAttribute("data-cell", "votes");
      votes.textContent = entry.votes;
      var movement = document.createElement("td");
      movement.setAttribute("data-cell", "movement");
      movementCell(movement, previousRanks[entry.proposal_id], entry.rank);
      [rank, title, score, votes, movement].forEach(function (cell) { row.appendChild(cell); });
      fragment.appendChild(row);
    });
    rows.textContent = "";
    rows.appendChild(fragment);
    table.hidden = snapshot.entries.length === 0;
    empty.hidden = snapshot.entries.length !== 0;
    root.querySelector("[data-leaderboard-total]").textContent = snapshot.total_votes;
    var updated = root.querySelector("[data-leaderboard-updated]");
    updated.setAttribute("datetime", snapshot.updated_at);
    var date = new Date(snapshot.updated_at);
    updated.textContent = isNaN(date.getTime()) ? snapshot.updated_at : date.toLocaleString(document.documentElement.lang);
  }

  function apply(snapshot) {
    if (!snapshot || snapshot.type !== "leaderboard" || !Array.isArray(snapshot.entries)) return;
    // Versions only grow: an older or repeated snapshot (a late poll, a reconnect) is ignored.
    if (typeof snapshot.version !== "number" || snapshot.version <= current.version) return;
    render(snapshot, current);
    current = snapshot;
  }

  // --- Polling, while the socket is down ----------------------------------------------------

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

  // --- Websocket ------------------------------------------------------------------------------

  function backoffDelay() {
    // Exponential, capped, with full jitter so many viewers do not reconnect in step.
    var ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * Math.pow(2, attempts));
    attempts += 1;
    return Math.round(ceiling / 2 + Math.random() * ceiling / 2);
  }

  function scheduleReconnect() {
    if (reconnectTimer !== null) return;
    reconnectTimer = window.setTimeout(function () {
      reconnectTimer = null;
      connect();
    }, backoffDelay());
  }

  function connect() {
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
    socket.addEventListener("close", function () {
      window.clearInterval(pingTimer);
      pingTimer = null;
      socket = null;
      if (status !== "polling") setStatus("reconnecting");
      startPolling();
      scheduleReconnect();
    });
  }

  connect();
})();
