/* The live proposal leaderboard (voting/): how one row is drawn, with its rank movement.
   Connection, polling and versions are live-board.js's. Labels come from voting.views (the
   movement words are translated on the server). */
(function () {
  "use strict";

  var root = document.querySelector("[data-live-board='leaderboard']");
  if (!root || !window.CivitasLiveBoard) return;
  var cell = window.CivitasLiveBoard.cell;

  function movementCell(labels, previousRank, rank) {
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
    var element = document.createElement("td");
    element.setAttribute("data-cell", "movement");
    element.className = "movement movement-" + kind;
    var visible = document.createElement("span");
    visible.setAttribute("aria-hidden", "true");
    visible.textContent = symbol;
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = text;
    element.appendChild(visible);
    element.appendChild(hidden);
    return element;
  }

  function row(entry, previous, labels) {
    var previousRank;
    previous.entries.forEach(function (old) { if (old.proposal_id === entry.proposal_id) previousRank = old.rank; });
    var element = document.createElement("tr");
    element.setAttribute("data-proposal-id", entry.proposal_id);
    var cells = [cell("td", entry.rank), cell("th", entry.title, entry.url), cell("td", entry.score), cell("td", entry.votes)];
    ["rank", "title", "score", "votes"].forEach(function (name, index) { cells[index].setAttribute("data-cell", name); });
    cells[1].setAttribute("scope", "row");
    cells.push(movementCell(labels, previousRank, entry.rank));
    cells.forEach(function (item) { element.appendChild(item); });
    return element;
  }

  window.CivitasLiveBoard.watch(root, {
    type: "leaderboard",
    row: row,
    summary: function (board, snapshot) { board.querySelector("[data-leaderboard-total]").textContent = snapshot.total_votes; },
  });
})();
