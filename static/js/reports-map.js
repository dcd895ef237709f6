/* Report maps (Leaflet, vendored in static/vendor): the public map with clustered markers from the
   GeoJSON endpoint, the reporting form's pin, a report's own place. The tile URL comes from the
   REPORT_MAP_TILE_URL setting; without one the markers show on a plain background. Without
   JavaScript (or Leaflet) the maps stay hidden and the list and the coordinate fields do the job. */
(function () {
  "use strict";
  if (!window.L) return;
  var settingsElement = document.getElementById("report-map-settings");
  var settings = settingsElement ? JSON.parse(settingsElement.textContent) : { center: [0, 0], zoom: 2 };

  function baseMap(element, options) {
    element.hidden = false;
    // maxZoom on the map itself: with no tile layer (plain background) clustering needs it there.
    var map = L.map(element, Object.assign({ keyboard: true, maxZoom: 19, minZoom: 1 }, options || {}));
    if (settings.tileUrl) {
      L.tileLayer(settings.tileUrl, { attribution: settings.attribution || "", maxZoom: 19 }).addTo(map);
    } else {
      element.classList.add("report-map-plain");
    }
    return map;
  }

  function statusIcon(status) {
    return L.divIcon({ className: "report-marker report-marker-" + status, iconSize: [18, 18] });
  }

  // The public map: markers for the visible box, reloaded when the view moves or a live update arrives.
  var publicElement = document.getElementById("report-map");
  if (publicElement) {
    var map = baseMap(publicElement).setView(settings.center, settings.zoom);
    var cluster = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
    cluster.addTo(map);
    var filters = new URLSearchParams(window.location.search);
    var load = function () {
      var b = map.getBounds();
      var clamp = function (value, limit) { return Math.max(-limit, Math.min(limit, value)); };
      var params = new URLSearchParams({
        bbox: [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(","),
        status: filters.get("status") || "", category: filters.get("category") || ""
      });
      fetch(publicElement.getAttribute("data-geojson-url") + "?" + params, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (collection) {
          if (!collection) return;
          cluster.clearLayers();
          collection.features.forEach(function (feature) {
            var c = feature.geometry.coordinates, p = feature.properties;
            var marker = L.marker([c[1], c[0]], { icon: statusIcon(p.status), title: "#" + p.id + " " + p.category, keyboard: true });
            var link = document.createElement("a");
            link.href = p.url;
            link.textContent = "#" + p.id + " " + p.category;
            marker.bindPopup(link);
            cluster.addLayer(marker);
          });
          publicElement.setAttribute("data-marker-count", String(collection.features.length));
        });
    };
    map.on("moveend", load);
    document.addEventListener("reports:changed", load);
    load();
  }

  // The form's pin: click or tap to place it, drag to move it; the coordinate fields follow it.
  var pinElement = document.getElementById("report-pin-map");
  if (pinElement) {
    var latInput = document.getElementById("id_latitude"), lngInput = document.getElementById("id_longitude");
    var pinMap = baseMap(pinElement).setView(settings.center, settings.zoom);
    var pin = null;
    var place = function (lat, lng, fromField) {
      if (pin === null) {
        pin = L.marker([lat, lng], { draggable: true, keyboard: true, title: pinElement.getAttribute("aria-label") }).addTo(pinMap);
        pin.on("dragend", function () { var p = pin.getLatLng(); place(p.lat, p.lng); });
      } else {
        pin.setLatLng([lat, lng]);
      }
      pinElement.setAttribute("data-pin", lat.toFixed(6) + "," + lng.toFixed(6));
      if (!fromField) {
        latInput.value = lat.toFixed(6);
        lngInput.value = lng.toFixed(6);
        latInput.dispatchEvent(new Event("change", { bubbles: true }));
      }
      pinMap.setView([lat, lng], Math.max(pinMap.getZoom(), 16));
    };
    pinMap.on("click", function (event) { place(event.latlng.lat, event.latlng.lng); });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("input", function () {
        var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
        if (isFinite(lat) && isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) place(lat, lng, true);
      });
    });
    window.CivitasReportPin = { place: place };
    if (latInput.value && lngInput.value) place(parseFloat(latInput.value), parseFloat(lngInput.value), true);
  }

  // A report's page: its place.
  var pointElement = document.getElementById("report-point-map");
  if (pointElement) {
    var point = JSON.parse(pointElement.getAttribute("data-point"));
    var pointMap = baseMap(pointElement).setView(point, 17);
    L.marker(point, { keyboard: false }).addTo(pointMap);
  }
})();
