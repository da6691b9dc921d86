// base_map.js - the map's base, under every layer: the city's own layers from the
// server's multi-layer tileset (/tiles: boundaries, water, roads, places, as the city's
// catalog names them), drawn by the same canvas tile renderer as the large layers, so the
// map lets a resident recognise places offline, with no tiles from anywhere else.
//
// Place names come with it, whether or not their layer is ticked in the layer list: the
// base map is a source of the map's one label placer, placed before the layers' labels,
// its own in the catalog's order of importance (the finest boundaries, then the gazetteer
// layers as listed), at most one place name per PLACE_CELL_PX square for each layer and
// one base label per LABEL_AREA_PX of the view, so a phone is not cluttered. A layer the
// base map labels at this zoom does not label itself too (map_layers.js asks the placer).
import { getJson } from './api.js';
import { baseStyle } from './base_style.js';
import { GEOMETRY } from './tile_paint.js';
import { VectorTileLayer } from './vector_tile_layer.js';

const PLACE_CELL_PX = 110;
const LABEL_AREA_PX = 170 * 70;
const MIN_LABELS = 8;
// Above every layer's own labels (map_layers.js gives them 1 to 4).
const BASE_LABEL_PRIORITY = 10;
const LABEL_COLOR = { boundary: '#4a3f6b', place: '#3b3226' };

// The tileset's description, asked for once: main.js asks beside the catalog, so that
// start() has it at hand rather than starting a chain of requests after the first view.
let description = null;
export function prefetchBaseMap() {
  if (!description) {
    description = getJson('tiles/WebMercatorQuad/tilejson.json');
    description.catch(() => {}); // start() says what a failure means
  }
  return description;
}

// A tile of every base layer at once, painted in the tileset's order; the layers that
// name places send back their points' properties for the labels. Nothing to tap: the base
// map is not a layer of the list.
const BaseTiles = VectorTileLayer.extend({
  initialize(urlFor, entries, options) {
    this.entries = entries;
    // Base layers the map draws as layers of their own: painted by those layers, not
    // here (before the prototype's initialize, which asks for the plan).
    this.leftOut = new Set();
    VectorTileLayer.prototype.initialize.call(this, urlFor, null, null, () => {}, options);
  },

  // A new set of left-out layers: the held tiles are painted again (the worker keeps their
  // features: nothing is fetched again); the same set asks nothing of the worker.
  leaveOut(ids) {
    const same = ids.size === this.leftOut.size && [...ids].every((id) => this.leftOut.has(id));
    if (!same) {
      this.leftOut = ids;
      this.client.setPlan(this.owner, this.plan(), true);
    }
  },

  // A left-out layer is not painted (no style) but still sends its places for the labels.
  plan() {
    const style = (e) => (this.leftOut.has(e.id) ? null : e.style);
    const layers = new Map(this.entries.map((e) => [e.id, { name: e.id, style: style(e), send: 'nothing' }]));
    for (const e of this.entries.filter((entry) => entry.label)) {
      const named = layers.get(e.label.layer);
      if (named) {
        named.send = 'places';
      } else {
        layers.set(e.label.layer, { name: e.label.layer, style: null, send: 'places' });
      }
    }
    return { layers: [...layers.values()] };
  },

  tapped() {},
});

export class BaseMap {
  // lang(): the UI's language now.
  constructor(map, placer, lang) {
    this.map = map;
    this.placer = placer;
    this.lang = lang;
    this.labelPriority = BASE_LABEL_PRIORITY;
    this.entries = [];
    this.tiles = null;
    this.leftOut = new Set();
  }

  // ids: the map's visible layers. Those the base map carries too are left out of its
  // painting (their own layer draws them, with their style and taps), so no road or
  // boundary is drawn twice; the base map's entries say which layers it carries. Their
  // place names stay with the base map's labels.
  leaveOut(ids) {
    const carried = new Set(this.entries.map((e) => e.id));
    // Before the description has arrived every id is kept: start() sorts them out.
    this.leftOut = new Set([...ids].filter((id) => carried.has(id) || !this.tiles));
    if (this.tiles) {
      this.tiles.leaveOut(this.leftOut);
    }
  }

  // Fetches the tileset's description and puts the base under the map; a database whose
  // profile names no layer has no base map (404), and the map goes on without one.
  async start() {
    let doc;
    try {
      doc = await prefetchBaseMap();
    } catch {
      return;
    }
    let level = 0;
    this.entries = (doc['cityatlas:base_map'] || []).map((entry) => ({
      ...entry,
      style: baseStyle(entry, entry.kind === 'boundary' ? level++ : 0),
    }));
    const labelled = this.entries.filter((e) => e.label).sort((a, b) => a.label.priority - b.label.priority);
    this.labelled = labelled;
    this.placer.baseLabels = new Map(labelled.map((e) => [e.id, e.label.minzoom]));
    const template = doc.tiles[0];
    const b = doc.bounds;
    this.tiles = new BaseTiles((c) => template.replace('{z}', c.z).replace('{y}', c.y).replace('{x}', c.x), this.entries, {
      pane: 'tilePane',
      className: 'base-map',
      bounds: Array.isArray(b) ? L.latLngBounds([b[1], b[0]], [b[3], b[2]]) : undefined,
    });
    this.leaveOut(this.leftOut);
    this.tiles.on('tiledata', () => this.placer.schedule());
    this.tiles.addTo(this.map);
    this.placer.addSource(this);
  }

  // At most this many base labels in a view of size (CSS pixels).
  labelLimit(size) {
    return Math.max(MIN_LABELS, Math.floor((size.x * size.y) / LABEL_AREA_PX));
  }

  text(entry, props) {
    const { field, field_en: fieldEn } = entry.label;
    const en = fieldEn && this.lang() === 'en' ? props[fieldEn] : undefined;
    const text = en !== undefined && en !== null && en !== '' ? en : props[field];
    return text === undefined || text === null ? '' : String(text);
  }

  // The label placer's question: the names of the view at zoom, most important first.
  labelCandidates(zoom) {
    if (!this.tiles || !this.map.hasLayer(this.tiles)) {
      return [];
    }
    const { records, view, zoom: tileZoom } = this.tiles.viewRecords();
    if (tileZoom !== zoom) {
      return [];
    }
    const size = this.tiles.getTileSize();
    const out = [];
    for (const entry of this.labelled) {
      if (zoom < entry.label.minzoom) {
        continue;
      }
      const seen = new Set();
      const cells = new Set();
      const isPlace = entry.kind === 'place';
      for (const r of records) {
        const k = size.x / r.extent;
        const s = r.layers[entry.label.layer];
        for (let i = 0; s && i < s.ids.length; i++) {
          const id = s.ids[i];
          if (s.types[i] !== GEOMETRY.POINT || seen.has(id)) {
            continue;
          }
          const x = r.coords.x * size.x + s.boxes[4 * i] * k;
          const y = r.coords.y * size.y + s.boxes[4 * i + 1] * k;
          const text = this.text(entry, s.props[i]);
          if (x < view[0] || x > view[2] || y < view[1] || y > view[3] || text === '') {
            continue;
          }
          const cell = `${Math.floor(x / PLACE_CELL_PX)},${Math.floor(y / PLACE_CELL_PX)}`;
          if (isPlace && cells.has(cell)) {
            continue;
          }
          seen.add(id);
          cells.add(cell);
          out.push({
            layer: entry.id,
            id,
            text,
            size: isPlace ? 12 : 14,
            color: LABEL_COLOR[entry.kind] || LABEL_COLOR.place,
            at: L.point(x, y),
            isPoint: isPlace,
          });
        }
      }
    }
    return out;
  }
}
