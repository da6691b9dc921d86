// app.js - a first map: the bundled district boundaries on a plain background (no tile
// provider: everything comes from this server), each with its Thai and English name.
'use strict';

(function () {
  const status = document.getElementById('status');
  // Chiang Mai province, for the first view before the boundaries arrive.
  const map = L.map('map', { zoomControl: true }).setView([18.79, 98.98], 8);

  function nameOf(props) {
    const th = props.ADM2_TH || '';
    const en = props.ADM2_EN || '';
    return en && en !== th ? th + ' / ' + en : th || en;
  }

  fetch('../collections/cm-districts/items?f=json&limit=100', {
    headers: { Accept: 'application/geo+json' },
  })
    .then(function (resp) {
      if (!resp.ok) {
        throw new Error('HTTP ' + resp.status);
      }
      return resp.json();
    })
    .then(function (collection) {
      const layer = L.geoJSON(collection, {
        style: { color: '#3b5b7a', weight: 1.5, fillColor: '#9ec3dc', fillOpacity: 0.35 },
        onEachFeature: function (feature, lyr) {
          const name = nameOf(feature.properties || {});
          if (name) {
            lyr.bindPopup(document.createTextNode(name));
          }
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      status.textContent = collection.features.length + ' อำเภอ / districts';
    })
    .catch(function (e) {
      status.textContent = 'โหลดข้อมูลไม่ได้ / Could not load the districts: ' + e.message;
    });
})();
