// map_controls.js - the controls on the map itself, placed for a thumb on a phone: zoom and
// "my location" at the bottom right (clear of the menu, the search box and the panel at the
// left), a metric scale bar at the bottom left, and a collapsible legend of the visible
// layers at the top right (open from tablet width, folded on a phone).
import { t } from './i18n.js';
import { styleLegend } from './legend.js';

const WIDE = '(min-width: 768px)';
// The closest a located position is drawn: street level, not a single house.
const LOCATE_MAX_ZOOM = 16;

function locateControl(map, onError) {
  const Control = L.Control.extend({
    options: { position: 'bottomright' },
    onAdd() {
      const bar = L.DomUtil.create('div', 'leaflet-bar locate-control');
      const button = L.DomUtil.create('button', 'locate-button', bar);
      button.type = 'button';
      button.innerHTML = '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><circle cx="12" cy="12" r="4" fill="currentColor"/><path d="M12 2v4M12 18v4M2 12h4M18 12h4" stroke="currentColor" stroke-width="2"/><circle cx="12" cy="12" r="7.5" fill="none" stroke="currentColor" stroke-width="2"/></svg>';
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(button, 'click', () => {
        if (!('geolocation' in navigator)) {
          onError('locateUnavailable');
          return;
        }
        map.locate({ setView: true, maxZoom: LOCATE_MAX_ZOOM, timeout: 15000, enableHighAccuracy: true });
      });
      this.button = button;
      return bar;
    },
  });
  return new Control();
}

function legendControl() {
  const Control = L.Control.extend({
    options: { position: 'topright' },
    onAdd() {
      const details = L.DomUtil.create('details', 'map-legend');
      details.open = window.matchMedia(WIDE).matches;
      this.summary = L.DomUtil.create('summary', '', details);
      this.body = L.DomUtil.create('div', 'map-legend-body', details);
      L.DomEvent.disableClickPropagation(details);
      L.DomEvent.disableScrollPropagation(details);
      return details;
    },
  });
  return new Control();
}

export class MapControls {
  // notice: a Notice (notice.js) for the messages of "my location".
  constructor(map, notice) {
    this.map = map;
    this.lang = 'th';
    L.control.zoom({ position: 'bottomright' }).addTo(map);
    this.locate = locateControl(map, (key) => notice.show(this.lang, key)).addTo(map);
    L.control.scale({ position: 'bottomleft', imperial: false, maxWidth: 120 }).addTo(map);
    this.legend = legendControl().addTo(map);
    this.here = L.layerGroup().addTo(map);
    map.on('locationfound', (e) => {
      this.here.clearLayers();
      L.circle(e.latlng, { radius: e.accuracy, weight: 1, color: '#0b5c8e', fillOpacity: 0.1, interactive: false }).addTo(this.here);
      L.circleMarker(e.latlng, { radius: 7, weight: 2, color: '#fff', fillColor: '#0b5c8e', fillOpacity: 1, interactive: false }).addTo(this.here);
    });
    // Leaflet's code 1 is the browser's PERMISSION_DENIED; 0 (no geolocation), 2 and 3
    // (no position, too slow) leave nothing the reader can change but to try later.
    map.on('locationerror', (e) => notice.show(this.lang, e.code === 1 ? 'locateDenied' : 'locateUnavailable'));
    this.layers = [];
  }

  setLang(lang) {
    this.lang = lang;
    const label = t(lang, 'locate');
    this.locate.button.setAttribute('aria-label', label);
    this.locate.button.title = label;
    this.legend.summary.textContent = t(lang, 'mapLegend');
    this.render();
  }

  // layers: [{ title, style }] of the visible layers, top of the list first.
  showLegend(layers) {
    this.layers = layers;
    this.render();
  }

  render() {
    const zoom = this.map.getZoom();
    const body = this.legend.body;
    body.replaceChildren();
    for (const { title, style } of this.layers) {
      const h = document.createElement('h2');
      h.textContent = title;
      body.append(h, styleLegend(style, title, zoom));
    }
    this.legend.getContainer().hidden = this.layers.length === 0;
  }
}
