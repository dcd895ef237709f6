// Similar proposals: while the author types a title or summary, ask the server (debounced) for public
// proposals of the same contest that look like duplicates, and list them. Without JavaScript the form works as before.
(function () {
  "use strict";
  var box = document.getElementById("similar-proposals");
  if (!box || !window.fetch) { return; }
  var form = box.closest("form") || document;
  var title = form.querySelector("[name=title]");
  var summary = form.querySelector("[name=summary]");
  var list = box.querySelector("ul");
  if (!title || !list) { return; }
  var timer = null;
  var latest = 0;

  function show(results) {
    list.textContent = "";
    results.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;  // text, never HTML
      a.target = "_blank";
      a.rel = "noopener";
      li.appendChild(a);
      list.appendChild(li);
    });
    box.hidden = results.length === 0;
  }

  function lookUp() {
    var params = new URLSearchParams({ title: title.value, summary: summary ? summary.value : "" });
    if (box.dataset.exclude) { params.set("exclude", box.dataset.exclude); }
    if ((title.value + (summary ? summary.value : "")).trim().length < 4) { show([]); return; }
    var request = ++latest;
    fetch(box.dataset.endpoint + "?" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (request === latest) { show(data.results || []); } })
      .catch(function () { /* a failed lookup only means no hint */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 400);
  }

  title.addEventListener("input", schedule);
  if (summary) { summary.addEventListener("input", schedule); }
})();
