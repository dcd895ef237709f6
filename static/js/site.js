// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Change language as soon as a new one is picked; the button stays for keyboard and no-JS users.
  var select = document.getElementById("language-select");
  if (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }
})();
