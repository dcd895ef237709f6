// Progressive enhancement only: every page works without this file.
// Phone-first header: on narrow screens the menu folds behind the "Menu" button.
// Without this file (or JavaScript) the menu simply stays open. No inline script: CSP-friendly.
(function () {
  "use strict";
  var button = document.querySelector(".menu-button");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) { return; }
  var narrow = window.matchMedia("(max-width: 40rem)");
  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("site-menu-closed", !open);
  }
  function fit() {
    button.hidden = !narrow.matches;
    set(!narrow.matches);
  }
  button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && button.getAttribute("aria-expanded") === "true") {
      set(false);
      button.focus();
    }
  });
  if (narrow.addEventListener) { narrow.addEventListener("change", fit); }
  fit();
})();
