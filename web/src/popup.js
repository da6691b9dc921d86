// popup.js - a feature's attributes in a popup: its name (in the reader's language when
// the data has both), the layer it belongs to, and a table of every non-empty property.
// Built from DOM nodes with textContent: attribute values never become markup.

function nameOf(info, props, lang) {
  const field = info.nameProperty;
  if (!field || props[field] === null || props[field] === undefined) {
    return null;
  }
  if (lang === 'en') {
    const m = /^(.*)_(TH|th)$/.exec(field);
    const twin = m ? props[m[1] + '_' + (m[2] === 'TH' ? 'EN' : 'en')] : null;
    if (twin) {
      return `${twin} (${props[field]})`;
    }
  }
  return String(props[field]);
}

export function showPopup(map, info, feature, latlng, lang) {
  const props = feature.properties || {};
  const box = document.createElement('div');
  box.className = 'feature-popup';
  const title = document.createElement('h3');
  title.textContent = nameOf(info, props, lang) || info.title[lang] || info.id;
  const layerName = document.createElement('p');
  layerName.className = 'popup-layer';
  layerName.textContent = info.title[lang] || info.id;
  const table = document.createElement('table');
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === '') {
      continue;
    }
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = key;
    const td = document.createElement('td');
    td.textContent = String(value);
    tr.append(th, td);
    table.append(tr);
  }
  box.append(title, layerName, table);
  L.popup({ maxWidth: 320, maxHeight: 300, autoPanPadding: [16, 16] })
    .setLatLng(latlng)
    .setContent(box)
    .openOn(map);
}
