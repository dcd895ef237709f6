/* The live contributor board (engagement/): how one row is drawn. Connection, polling and
   versions are live-board.js's. */
(function () {
  "use strict";

  var root = document.querySelector("[data-live-board='contributors']");
  if (!root || !window.CivitasLiveBoard) return;
  var cell = window.CivitasLiveBoard.cell;

  function row(entry) {
    var element = document.createElement("tr");
    element.setAttribute("data-user-id", entry.user_id);
    var name = cell("th", entry.name, entry.url);
    name.setAttribute("scope", "row");
    element.appendChild(cell("td", entry.rank));
    element.appendChild(name);
    element.appendChild(cell("td", entry.points));
    return element;
  }

  window.CivitasLiveBoard.watch(root, { type: "contributors", row: row });
})();
