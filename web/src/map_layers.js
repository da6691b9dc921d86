// map_layers.js - one catalog layer on the Leaflet map, drawn with its style from /styles.
//
// How features arrive (never one unbounded download):
// - every request carries zoom=, so the server simplifies geometry to about a pixel;
// - small layers (SMALL_LAYER features or fewer) load whole, again when zooming in far
//   enough that the simplification shows;
// - large layers load only the features in view, page by page up to VIEW_CAP, again after
//   each move; below the style's minzoom nothing is fetched at all.
import { getFeatures } from './api.js';
import { evaluate, filterMatches, inZoomRange, mergeStyle, minZoomOf } from './style_eval.js';

const SMALL_LAYER = 1500;
const VIEW_CAP = 6000;
const PAGE = 2000;
const LABEL_CAP = 300;

// The zoom the geometry is fetched at: whole steps of two, so panning at one zoom and
// small zoom changes reuse what arrived.
function detailZoom(zoom) {
  return Math.min(18, Math.ceil(zoom / 2) * 2);
}

// Names ending in _TH / _th have an English twin (_EN / _en) in the bundled data: labels
// follow the language switch through it, and fall back to the Thai name when it is empty.
function labelField(field, lang) {
  if (lang !== 'en' || typeof field !== 'string') {
    return field;
  }
  const m = /^(.*)_(TH|th)$/.exec(field);
  return m ? m[1] + '_' + (m[2] === 'TH' ? 'EN' : 'en') : field;
}

function styleLayersOf(style, type) {
  return style.layers.filter((l) => l.type === type);
}

// Leaflet path options for a feature from the fill, line and circle layers that match it.
function pathOptions(style, props, zoom) {
  const opts = { stroke: false, fill: false, interactive: true };
  for (const sl of style.layers) {
    if (!inZoomRange(sl, zoom) || !filterMatches(sl.filter, props)) {
      continue;
    }
    const p = sl.paint || {};
    const v = (name, dflt) => {
      const r = evaluate(p[name], props, zoom);
      return r === undefined ? dflt : r;
    };
    if (sl.type === 'fill') {
      Object.assign(opts, {
        fill: true,
        fillColor: v('fill-color', '#000000'),
        fillOpacity: v('fill-opacity', 1),
      });
      if (p['fill-outline-color'] !== undefined) {
        Object.assign(opts, { stroke: true, color: v('fill-outline-color'), weight: 1 });
      }
    } else if (sl.type === 'line') {
      const width = v('line-width', 1);
      const dash = p['line-dasharray'];
      Object.assign(opts, {
        stroke: true,
        color: v('line-color', '#000000'),
        weight: width,
        opacity: v('line-opacity', 1),
        dashArray: Array.isArray(dash) ? dash.map((d) => d * width).join(' ') : null,
        lineCap: (sl.layout && sl.layout['line-cap']) || 'butt',
        lineJoin: (sl.layout && sl.layout['line-join']) || 'miter',
      });
    } else if (sl.type === 'circle') {
      Object.assign(opts, {
        radius: v('circle-radius', 5),
        fill: true,
        fillColor: v('circle-color', '#000000'),
        fillOpacity: v('circle-opacity', 1),
        stroke: v('circle-stroke-width', 0) > 0,
        color: v('circle-stroke-color', '#000000'),
        weight: v('circle-stroke-width', 0),
      });
    }
  }
  if (!opts.fill && !opts.stroke) {
    opts.interactive = false;
    opts.radius = 0;
  }
  return opts;
}

export class MapLayer {
  constructor(map, info, style, renderer, onPopup) {
    this.map = map;
    this.info = info;
    this.baseStyle = style;
    this.style = style;
    this.filter = null; // a scenario's CQL2 filter on this layer, sent as filter=
    this.renderer = renderer;
    this.onPopup = onPopup;
    this.minZoom = style ? minZoomOf(style) : 0;
    this.isSmall = info.featureCount <= SMALL_LAYER;
    this.group = L.layerGroup();
    this.labels = L.layerGroup();
    this.loadedKey = null;
    this.controller = null;
    this.state = 'idle'; // idle | loading | ready | partial | hidden | failed
    this.onState = () => {};
    this.lang = 'th';
  }

  // A scenario's view of this layer: its filter and paint/layout overrides (null: none).
  // Each override key goes to the style layers of its type (fill-*, line-*, circle-*,
  // text-* for symbols), as the poster renderer applies them.
  setOverride(filter, override) {
    this.filter = filter || null;
    this.style = override ? mergeStyle(this.baseStyle, override) : this.baseStyle;
    this.loadedKey = null;
  }

  show() {
    this.group.addTo(this.map);
    this.labels.addTo(this.map);
    return this.refresh();
  }

  hide() {
    if (this.controller) {
      this.controller.abort();
    }
    this.group.remove();
    this.labels.remove();
    this.group.clearLayers();
    this.labels.clearLayers();
    this.loadedKey = null;
    this.setState('idle');
  }

  setState(state) {
    this.state = state;
    this.onState(this);
  }

  // What to fetch for the current view, as a key: unchanged key, nothing to fetch.
  wantedKey() {
    const zoom = this.map.getZoom();
    if (zoom < this.minZoom) {
      return null;
    }
    const dz = detailZoom(zoom);
    if (this.isSmall) {
      return `all@${dz}@${this.filter || ''}`;
    }
    const b = this.map.getBounds().pad(0.25);
    const r = (x) => x.toFixed(3);
    return `${r(b.getWest())},${r(b.getSouth())},${r(b.getEast())},${r(b.getNorth())}@${dz}@${this.filter || ''}`;
  }

  async refresh() {
    const key = this.wantedKey();
    if (key === null) {
      this.group.clearLayers();
      this.labels.clearLayers();
      this.loadedKey = null;
      this.setState('hidden');
      return;
    }
    if (key === this.loadedKey) {
      this.restyle();
      return;
    }
    if (this.controller) {
      this.controller.abort();
    }
    this.controller = new AbortController();
    const [bbox, dz] = key.split('@');
    const params = { zoom: dz, limit: PAGE, filter: this.filter || undefined };
    if (bbox !== 'all') {
      params.bbox = bbox;
    }
    this.setState('loading');
    try {
      const got = await getFeatures(this.info.id, params, VIEW_CAP, this.controller.signal);
      this.draw(got.features);
      this.loadedKey = key;
      this.setState(got.complete ? 'ready' : 'partial');
    } catch (e) {
      if (e.name !== 'AbortError') {
        this.setState('failed');
        this.error = e.message;
      }
    }
  }

  draw(features) {
    this.group.clearLayers();
    const zoom = this.map.getZoom();
    this.geo = L.geoJSON(
      { type: 'FeatureCollection', features },
      {
        renderer: this.renderer,
        style: (f) => pathOptions(this.style, f.properties, zoom),
        pointToLayer: (f, latlng) =>
          L.circleMarker(latlng, pathOptions(this.style, f.properties, zoom)),
        onEachFeature: (f, lyr) => lyr.on('click', (ev) => this.onPopup(this, f, ev.latlng)),
      },
    );
    this.geo.addTo(this.group);
    this.drawLabels();
  }

  restyle() {
    if (!this.geo) {
      return;
    }
    const zoom = this.map.getZoom();
    this.geo.eachLayer((lyr) => lyr.setStyle(pathOptions(this.style, lyr.feature.properties, zoom)));
    this.drawLabels();
  }

  setLang(lang) {
    this.lang = lang;
    this.drawLabels();
  }

  // Labels are DOM text (Leaflet tooltips), so the browser shapes Thai: tone marks and
  // vowels sit where they belong. Only the features in view get one, up to LABEL_CAP.
  drawLabels() {
    this.labels.clearLayers();
    if (!this.geo || !this.style) {
      return;
    }
    const zoom = this.map.getZoom();
    const view = this.map.getBounds();
    const symbols = styleLayersOf(this.style, 'symbol').filter((sl) => inZoomRange(sl, zoom));
    let placed = 0;
    for (const sl of symbols) {
      this.geo.eachLayer((lyr) => {
        const props = lyr.feature.properties;
        if (placed >= LABEL_CAP || !filterMatches(sl.filter, props)) {
          return;
        }
        const text = this.labelText(sl, props, zoom);
        const at = lyr.getLatLng ? lyr.getLatLng() : lyr.getBounds().getCenter();
        if (!text || !view.contains(at)) {
          return;
        }
        placed++;
        const size = evaluate(sl.layout['text-size'], props, zoom) || 12;
        const color = evaluate((sl.paint || {})['text-color'], props, zoom) || '#222';
        const label = L.tooltip({
          permanent: true,
          direction: lyr.getLatLng ? 'right' : 'center',
          className: 'map-label',
          interactive: false,
        })
          .setLatLng(at)
          .setContent(this.labelNode(text, size, color));
        label.addTo(this.labels);
      });
    }
  }

  labelText(sl, props, zoom) {
    const field = sl.layout['text-field'];
    if (Array.isArray(field) && field[0] === 'get') {
      const twin = evaluate(['get', labelField(field[1], this.lang)], props, zoom);
      return twin !== undefined && twin !== '' ? twin : evaluate(field, props, zoom);
    }
    return evaluate(field, props, zoom);
  }

  labelNode(text, size, color) {
    const span = document.createElement('span');
    span.textContent = String(text);
    span.style.fontSize = `${size}px`;
    span.style.color = color;
    return span;
  }
}
