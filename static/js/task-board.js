/* The live task board (microtasks/): how one campaign row is drawn. Connection, polling and
   versions are live-board.js's. */
(function () {
  "use strict";

  var root = document.querySelector("[data-live-board='tasks']");
  if (!root || !window.CivitasLiveBoard) return;
  var cell = window.CivitasLiveBoard.cell;

  function row(entry) {
    var element = document.createElement("tr");
    element.setAttribute("data-campaign-id", entry.campaign_id);
    var title = cell("th", entry.title, entry.url);
    title.setAttribute("scope", "row");
    element.appendChild(title);
    element.appendChild(cell("td", entry.agency));
    var slots = cell("td", entry.slots_left + " / " + entry.slots);
    slots.setAttribute("data-slots-left", "");
    element.appendChild(slots);
    element.appendChild(cell("td", entry.reward_points));
    var ends = document.createElement("td");
    var time = document.createElement("time");
    time.setAttribute("datetime", entry.ends_at);
    var date = new Date(entry.ends_at);
    time.textContent = isNaN(date.getTime()) ? entry.ends_at : date.toLocaleString(document.documentElement.lang);
    ends.appendChild(time);
    element.appendChild(ends);
    return element;
  }

  window.CivitasLiveBoard.watch(root, { type: "tasks", row: row });
})();
