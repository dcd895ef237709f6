// Live countdown for <time data-countdown datetime="ISO">. Progressive enhancement:
// the server already rendered "in N days"; this only keeps it current. No dependencies.
(function () {
  "use strict";
  var elements = document.querySelectorAll("time[data-countdown]");
  if (!elements.length || typeof Intl === "undefined" || !Intl.RelativeTimeFormat) {
    return;
  }
  var format = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: "auto" });
  var units = [
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
    ["second", 1],
  ];

  function describe(seconds) {
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(seconds) >= units[i][1] || units[i][0] === "second") {
        return format.format(Math.round(seconds / units[i][1]), units[i][0]);
      }
    }
    return "";
  }

  function update() {
    var now = Date.now();
    var soonest = Infinity;
    elements.forEach(function (element) {
      var target = Date.parse(element.getAttribute("datetime"));
      if (isNaN(target)) {
        return;
      }
      var seconds = (target - now) / 1000;
      element.textContent = describe(seconds);
      soonest = Math.min(soonest, Math.abs(seconds));
    });
    // Tick every second in the last hour, otherwise every minute.
    window.setTimeout(update, soonest < 3600 ? 1000 : 60000);
  }

  update();
})();
