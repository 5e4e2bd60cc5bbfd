// The tips map of the officers' console: reads the points of the officer's subtree
// from /tips/map.json and draws them on the configured tile server. Text goes in with
// textContent only, never as HTML.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { scrollWheelZoom: false }).setView([16.0, 106.0], 5);
  L.tileLayer(el.getAttribute("data-tiles"), {
    maxZoom: 18,
    attribution: el.getAttribute("data-attribution") || ""
  }).addTo(map);
  fetch("/tips/map.json", { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : []; })
    .then(function (points) {
      var bounds = [];
      points.forEach(function (p) {
        var box = document.createElement("div");
        var link = document.createElement("a");
        link.href = "/tips/" + encodeURIComponent(String(p.id));
        link.textContent = p.code;
        var line = document.createElement("div");
        line.textContent = p.category + " · " + p.status;
        box.appendChild(link);
        box.appendChild(line);
        L.circleMarker([p.lat, p.lon], { radius: 8, color: "#b3121c", weight: 2, fillOpacity: 0.5 })
          .bindPopup(box)
          .addTo(map);
        bounds.push([p.lat, p.lon]);
      });
      if (bounds.length > 0) { map.fitBounds(bounds, { maxZoom: 15, padding: [24, 24] }); }
      el.setAttribute("data-drawn", String(points.length));
    });
})();
