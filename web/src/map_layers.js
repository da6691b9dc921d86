// map_layers.js - one catalog layer on the Leaflet map, drawn with its style from /styles.
//
// How features arrive (never one unbounded download, never a silent cut):
// - large layers (more than SMALL_LAYER features, layer_requests.js) come as vector tiles
//   (vector_tile_layer.js): only the tiles of the view, a pan fetches only the new ones,
//   and where the server thinned a tile the map says how many it shows ("N of M");
// - small layers load whole as GeoJSON, again when zooming in far enough that the
//   server's simplification (zoom=) shows;
// - a large layer under a scenario's CQL2 filter (tiles take no filter) loads the features
//   in view, page by page up to VIEW_CAP, again after each move, and says so if cut;
// - below the style's minzoom nothing is fetched at all.
// Labels of every layer go to the map's one label placer (label_placer.js).
import { apiUrl, getFeatures, getJson } from './api.js';
import { labelLayers, labelOf } from './label_text.js';
import { evaluate, filterMatches, inZoomRange, mergeStyle, minZoomOf } from './style_eval.js';
import { detailZoom, isSmallLayer, pageParams } from './layer_requests.js';
import { VectorTileLayer } from './vector_tile_layer.js';
import { forEachYielding } from './yield_task.js';

const VIEW_CAP = 6000;

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

// Labels of point layers (named places) win over areas' and lines' where they would meet;
// among equals, the layer with fewer features (each one rarer, so more telling) wins.
function labelPriority(info) {
  const type = info.geometryType || '';
  const byType = /Point/.test(type) ? 3 : /Polygon/.test(type) ? 2 : 1;
  return byType + 1 / (1 + Math.log10(1 + info.featureCount));
}

// The URL template of a layer's tiles from its TileJSON: it carries the layer's version,
// so the browser may keep each tile until the layer changes.
async function tileTemplate(id, signal) {
  const doc = await getJson(`collections/${encodeURIComponent(id)}/tiles/WebMercatorQuad/tilejson.json`, null, signal);
  return doc.tiles[0];
}

export class MapLayer {
  constructor(map, info, style, renderer, onPopup, placer) {
    this.map = map;
    this.info = info;
    this.baseStyle = style;
    this.style = style;
    this.filter = null; // a scenario's CQL2 filter on this layer, sent as filter=
    this.renderer = renderer;
    this.onPopup = onPopup;
    this.placer = placer;
    this.labelPriority = labelPriority(info);
    this.minZoom = style ? minZoomOf(style) : 0;
    this.isSmall = isSmallLayer(info);
    this.group = L.layerGroup();
    this.tiles = null; // the VectorTileLayer, once this layer has been shown as tiles
    this.geo = null;
    this.loadedKey = null;
    this.controller = null;
    this.complete = true; // whether the GeoJSON drawn is every feature asked for
    this.matched = null; // how many features the GeoJSON query matched, when known
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
    if (this.tiles) {
      this.tiles.setStyle(this.style);
    }
  }

  // Tiles take no filter: a filtered large layer is fetched as GeoJSON for the view.
  usesTiles() {
    return !this.isSmall && !this.filter;
  }

  show() {
    this.group.addTo(this.map);
    this.placer.addSource(this);
    return this.refresh();
  }

  hide() {
    if (this.controller) {
      this.controller.abort();
    }
    this.group.remove();
    this.group.clearLayers();
    this.geo = null;
    if (this.tiles) {
      this.tiles.remove();
    }
    this.placer.removeSource(this);
    this.loadedKey = null;
    this.setState('idle');
  }

  setState(state) {
    this.state = state;
    this.onState(this);
  }

  clearGeoJson() {
    this.group.clearLayers();
    this.geo = null;
    this.loadedKey = null;
  }

  // What to fetch for the current view, as a key: unchanged key, nothing to fetch.
  wantedKey() {
    const dz = detailZoom(this.map.getZoom());
    if (this.isSmall) {
      return `all@${dz}@${this.filter || ''}`;
    }
    const b = this.map.getBounds().pad(0.25);
    const r = (x) => x.toFixed(3);
    return `${r(b.getWest())},${r(b.getSouth())},${r(b.getEast())},${r(b.getNorth())}@${dz}@${this.filter || ''}`;
  }

  async refresh() {
    if (this.map.getZoom() < this.minZoom) {
      this.clearGeoJson();
      this.tiles?.remove();
      this.setState('hidden');
      this.placer.schedule();
      return;
    }
    if (this.usesTiles()) {
      this.clearGeoJson();
      await this.showTiles();
    } else {
      this.tiles?.remove();
      await this.refreshGeoJson();
    }
    this.placer.schedule();
  }

  async showTiles() {
    if (!this.tiles) {
      this.setState('loading');
      try {
        const template = this.info.tileTemplate || (await tileTemplate(this.info.id));
        const urlFor = (c) => template.replace('{z}', c.z).replace('{y}', c.y).replace('{x}', c.x);
        this.tiles = new VectorTileLayer(urlFor, this.info.id, this.style, (fid, latlng) => this.tapped(fid, latlng), {
          minZoom: this.minZoom,
          pane: 'overlayPane',
          className: `vector-tiles-${this.info.id}`, // layer ids are [a-z0-9-]
        });
        this.tiles.on('loading', () => this.setState('loading'));
        this.tiles.on('load', () => this.tilesArrived());
        this.tiles.on('tiledata', () => this.placer.schedule());
      } catch (e) {
        this.error = e.message;
        this.setState('failed');
        return;
      }
    }
    if (!this.map.hasLayer(this.tiles)) {
      this.tiles.addTo(this.map);
    }
    if (this.tiles.isLoading()) {
      // Until the view's tiles arrive, or the tiles leave the map first (a scenario's filter
      // turns the layer to GeoJSON pages): a removed layer never fires 'load', and the map's
      // start waits for every shown layer.
      const tiles = this.tiles;
      await new Promise((resolve) => {
        const done = () => {
          tiles.off('load', done);
          tiles.off('remove', done);
          resolve();
        };
        tiles.on('load', done);
        tiles.on('remove', done);
      });
    } else {
      this.tilesArrived();
    }
  }

  tilesArrived() {
    this.setState(this.shownCount() ? 'partial' : 'ready');
    this.placer.schedule();
  }

  // A tap on a tiled feature: the tile holds its id, the popup shows the whole feature.
  async tapped(fid, latlng) {
    if (this.map.pm && this.map.pm.globalDrawModeEnabled()) {
      return; // a tap while a sketch tool is active places the drawing (sketch_editor.js)
    }
    try {
      const feature = await getJson(apiUrl(`collections/${encodeURIComponent(this.info.id)}/items/${encodeURIComponent(fid)}`));
      this.onPopup(this, feature, latlng);
    } catch (e) {
      this.error = e.message;
    }
  }

  async refreshGeoJson() {
    const key = this.wantedKey();
    if (key === this.loadedKey) {
      this.restyle();
      return;
    }
    if (this.controller) {
      this.controller.abort();
    }
    this.controller = new AbortController();
    const [bbox, dz] = key.split('@');
    const params = pageParams(dz, this.filter, bbox === 'all' ? null : bbox);
    this.setState('loading');
    try {
      const signal = this.controller.signal;
      const got = await getFeatures(this.info.id, params, VIEW_CAP, signal);
      if (!(await this.draw(got.features, signal))) {
        return; // a newer view or a hide took over while drawing
      }
      this.loadedKey = key;
      this.complete = got.complete;
      this.matched = got.numberMatched;
      this.setState(got.complete ? 'ready' : 'partial');
    } catch (e) {
      if (e.name !== 'AbortError') {
        this.setState('failed');
        this.error = e.message;
      }
    }
  }

  // Makes the features' map objects a few at a time, letting the browser paint and answer
  // taps between (thousands of areas at once held a phone's main thread for seconds);
  // resolves to false when signal is aborted first.
  async draw(features, signal) {
    this.group.clearLayers();
    this.geo = null;
    const zoom = this.map.getZoom();
    const geo = L.geoJSON(
      null,
      {
        renderer: this.renderer,
        style: (f) => pathOptions(this.style, f.properties, zoom),
        pointToLayer: (f, latlng) =>
          L.circleMarker(latlng, pathOptions(this.style, f.properties, zoom)),
        // Handled here: the map's click (which tiled layers answer) is not fired as well.
        onEachFeature: (f, lyr) => lyr.on('click', (ev) => {
          L.DomEvent.stopPropagation(ev);
          this.onPopup(this, f, ev.latlng);
        }),
      },
    );
    // Made off the map, then added at once: the canvas projects and draws them once, not
    // once per part.
    const made = await forEachYielding(features, (f) => geo.addData(f), signal);
    if (made) {
      this.geo = geo.addTo(this.group);
    }
    return made;
  }

  restyle() {
    if (!this.geo) {
      return;
    }
    const zoom = this.map.getZoom();
    this.geo.eachLayer((lyr) => lyr.setStyle(pathOptions(this.style, lyr.feature.properties, zoom)));
  }

  setLang(lang) {
    this.lang = lang;
    this.placer.schedule();
  }

  // { shown, total, approximate } when the view shows fewer of this layer's features than it holds
  // (tiles the server thinned, or a GeoJSON query cut at VIEW_CAP), else null.
  shownCount() {
    if (this.tiles && this.map.hasLayer(this.tiles)) {
      const { drawn, dropped } = this.tiles.shownInView();
      // A feature in the buffer of two tiles may be counted by both: the total is "about".
      return dropped > 0 ? { shown: drawn.size, total: drawn.size + dropped, approximate: true } : null;
    }
    if (this.geo && !this.complete) {
      const shown = this.geo.getLayers().length;
      return { shown, total: this.matched !== null && this.matched !== undefined ? this.matched : null };
    }
    return null;
  }

  // The ids of the features drawn in the view (tests compare them with what SQL finds).
  drawnIds() {
    if (this.tiles && this.map.hasLayer(this.tiles)) {
      return [...this.tiles.shownInView().drawn];
    }
    const view = this.map.getBounds();
    return this.geo ? this.geo.getLayers().filter((l) => view.intersects(l.getBounds ? l.getBounds() : L.latLngBounds([l.getLatLng()]))).map((l) => l.feature.id) : [];
  }

  // The label placer's question: this layer's labels at zoom, each at its feature.
  labelCandidates(zoom) {
    const symbols = labelLayers(this.style, zoom);
    if (symbols.length === 0 || zoom >= (this.placer.baseLabels.get(this.info.id) ?? Infinity)) {
      return [];
    }
    const out = [];
    const offer = (id, props, at, isPoint) => {
      const label = labelOf(symbols, props, zoom, this.lang);
      if (label) {
        out.push({ layer: this.info.id, id, at, isPoint, ...label });
      }
    };
    if (this.tiles && this.map.hasLayer(this.tiles)) {
      const got = this.tiles.viewFeatures();
      if (got.zoom !== zoom) {
        return [];
      }
      for (const f of got.features) {
        const at = f.isPoint ? L.point(f.box[0], f.box[1]) : L.point((f.box[0] + f.box[2]) / 2, (f.box[1] + f.box[3]) / 2);
        offer(f.id, f.props, at, f.isPoint);
      }
    } else if (this.geo) {
      const view = this.map.getBounds();
      this.geo.eachLayer((lyr) => {
        const at = lyr.getLatLng ? lyr.getLatLng() : lyr.getBounds().getCenter();
        if (view.contains(at)) {
          offer(lyr.feature.id, lyr.feature.properties, this.map.project(at, zoom), Boolean(lyr.getLatLng));
        }
      });
    }
    return out;
  }
}
