/* The reporting form: the photo's EXIF location (read by the server, nothing stored) places the pin,
   "Use my location" asks the device, and open reports within 50 m are listed with a "me too" button
   before anything is sent. The form works without this script: the fields are plain inputs. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var labels = JSON.parse(document.getElementById("report-form-labels").textContent);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var photoInput = document.getElementById("id_photos");
  var status = document.getElementById("photo-status");
  var latInput = document.getElementById("id_latitude"), lngInput = document.getElementById("id_longitude");
  var category = document.getElementById("id_category");
  var nearby = document.getElementById("nearby-reports"), list = document.getElementById("nearby-list");

  function setPlace(lat, lng) {
    if (window.CivitasReportPin) {
      window.CivitasReportPin.place(lat, lng);
    } else {
      latInput.value = lat.toFixed(6);
      lngInput.value = lng.toFixed(6);
    }
    checkNearby();
  }

  photoInput.addEventListener("change", function () {
    var file = photoInput.files && photoInput.files[0];
    if (!file) return;
    var body = new FormData();
    body.append("photo", file);
    fetch(form.getAttribute("data-photo-location-url"), {
      method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf, Accept: "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.location) {
          setPlace(answer.location[0], answer.location[1]);
          status.textContent = labels.placed;
        } else {
          status.textContent = labels.noGps;
        }
      });
  });

  var locate = document.getElementById("use-my-location");
  if (navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        setPlace(position.coords.latitude, position.coords.longitude);
      });
    });
  }

  function meTooButton(item) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = labels.meToo + " (#" + item.id + ")";
    button.addEventListener("click", function () {
      fetch(item.me_too_url, {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf, Accept: "application/json" }
      })
        .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
        .then(function (result) {
          var note = document.createElement("p");
          note.setAttribute("role", "status");
          note.textContent = result[0] ? labels.added : result[1].detail;
          button.replaceWith(note);
        });
    });
    return button;
  }

  // Placing the pin fires "change" on both fields and setPlace asks too: one question per distinct
  // place and kind, and only the latest question's answer is shown. A second answer rebuilding the
  // list would wipe a "me too" confirmation the person has just read.
  var lastAsked = null;
  function checkNearby() {
    var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
    if (!isFinite(lat) || !isFinite(lng)) return;
    var query = new URLSearchParams({ lat: lat, lng: lng, category: category.value || "" }).toString();
    if (query === lastAsked) return;
    lastAsked = query;
    fetch(form.getAttribute("data-nearby-url") + "?" + query, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (query !== lastAsked) return;
        if (!answer) { lastAsked = null; return; }  // asked again on the next change
        list.textContent = "";
        answer.results.forEach(function (item) {
          var entry = document.createElement("li");
          var link = document.createElement("a");
          link.href = item.url;
          link.textContent = "#" + item.id + " " + item.category + " · " + item.status + " · " + item.distance_m + " " + labels.metres;
          entry.appendChild(link);
          var text = document.createElement("p");
          text.textContent = item.description;
          entry.appendChild(text);
          if (item.can_me_too) entry.appendChild(meTooButton(item));
          list.appendChild(entry);
        });
        nearby.hidden = answer.results.length === 0;
      });
  }

  latInput.addEventListener("change", checkNearby);
  lngInput.addEventListener("change", checkNearby);
  category.addEventListener("change", checkNearby);
})();
