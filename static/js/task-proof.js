/* Proof of a field task: "Use my position" fills latitude and longitude from the device (if allowed). */
(function () {
  "use strict";
  var button = document.querySelector("[data-fill-position]");
  if (!button || !navigator.geolocation) return;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
    });
  });
})();
