// vector_tile_layer.js - a large layer on the Leaflet map as Mapbox Vector Tiles from the
// server's OGC API - Tiles, drawn on one canvas per tile by the layer's style document.
//
// Why a GridLayer of our own (with @mapbox/vector-tile + pbf to decode) rather than a
// ready renderer: the layers are styled by the server's style documents through
// style_eval.js, as the GeoJSON layers and posters are, and labels of every layer go
// through one placer (label_placer.js) so they never overlap; a renderer with its own
// styling rules and label engine would give two truths for one style.
//
// Leaflet's grid asks only for the tiles of the view plus keepBuffer; a pan keeps the
// tiles it holds and asks for the new ones only. Each tile remembers its decoded features
// (for taps, labels, restyling without another request) and how many features the server
// left out of it (X-Features-Dropped), for the map's "N of M shown".
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { getTile } from './api.js';
import { featureAt } from './tile_hit.js';
import { GEOMETRY, paintTile } from './tile_paint.js';
import { yieldToMain } from './yield_task.js';

const TAP_SLACK_PX = 6;

// A decoded MVT layer as plain features: rings as flat [x0, y0, x1, y1, ...] arrays in tile
// units, with the bounding box of all of them.
export function decodeLayer(vtLayer) {
  const features = [];
  for (let i = 0; i < vtLayer.length; i++) {
    const f = vtLayer.feature(i);
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    const rings = f.loadGeometry().map((ring) => {
      const flat = new Float32Array(ring.length * 2);
      ring.forEach((p, k) => {
        flat[2 * k] = p.x;
        flat[2 * k + 1] = p.y;
        box[0] = Math.min(box[0], p.x);
        box[1] = Math.min(box[1], p.y);
        box[2] = Math.max(box[2], p.x);
        box[3] = Math.max(box[3], p.y);
      });
      return flat;
    });
    features.push({ id: f.id, type: f.type, props: f.properties, rings, box });
  }
  return features;
}

export const VectorTileLayer = L.GridLayer.extend({
  options: { updateWhenIdle: true, keepBuffer: 1, maxNativeZoom: 22 },

  // urlFor(coords) -> the tile's URL; layerName: the MVT layer to draw; onTap(fid, latlng):
  // a tap on a drawn feature.
  initialize(urlFor, layerName, style, onTap, options) {
    L.GridLayer.prototype.initialize.call(this, options);
    this.urlFor = urlFor;
    this.layerName = layerName;
    this.style = style;
    this.onTap = onTap;
    this.records = new Map(); // tile key -> { coords, canvas, features, painted, dropped }
    this.on('tileunload', (ev) => this.forget(ev.coords));
  },

  onAdd(map) {
    L.GridLayer.prototype.onAdd.call(this, map);
    map.on('click', this.tapped, this);
  },

  onRemove(map) {
    map.off('click', this.tapped, this);
    for (const coords of [...this.records.values()].map((r) => r.coords)) {
      this.forget(coords);
    }
    L.GridLayer.prototype.onRemove.call(this, map);
  },

  forget(coords) {
    const key = this._tileCoordsToKey(coords);
    const record = this.records.get(key);
    if (record) {
      record.controller.abort();
      this.records.delete(key);
    }
  },

  createTile(coords, done) {
    const size = this.getTileSize();
    const ratio = window.devicePixelRatio || 1;
    const canvas = L.DomUtil.create('canvas', 'vector-tile');
    canvas.width = size.x * ratio;
    canvas.height = size.y * ratio;
    canvas.style.width = `${size.x}px`;
    canvas.style.height = `${size.y}px`;
    const record = { coords, canvas, ratio, features: null, painted: new Set(), dropped: 0, extent: 4096 };
    record.controller = new AbortController();
    this.records.set(this._tileCoordsToKey(coords), record);
    getTile(this.urlFor(coords), record.controller.signal)
      .then(async ({ bytes, dropped }) => {
        this.decode(new VectorTile(new PbfReader(bytes)), dropped, record);
        await yieldToMain(); // decoding and painting a dense tile are two long tasks, not one
        if (record.controller.signal.aborted) {
          return; // the tile left the map meanwhile
        }
        this.paint(record);
        done(null, canvas);
        this.fire('tiledata', { coords });
      })
      .catch((e) => {
        if (e.name !== 'AbortError') {
          record.failed = true;
          done(e, canvas);
        }
      });
    return canvas;
  },

  // Keeps what this layer draws of a decoded tile in its record (the base map keeps
  // several layers: base_map.js).
  decode(vt, dropped, record) {
    const vtLayer = vt.layers[this.layerName];
    record.features = vtLayer ? decodeLayer(vtLayer) : [];
    record.extent = vtLayer ? vtLayer.extent : 4096;
    record.dropped = dropped.get(this.layerName) || 0;
  },

  paint(record) {
    const ctx = record.canvas.getContext('2d');
    record.painted = paintTile(ctx, record.features, this.style, record.coords.z, record.extent, record.ratio);
  },

  // A new style (a scenario's override): every held tile is repainted, nothing refetched.
  setStyle(style) {
    this.style = style;
    for (const record of this.records.values()) {
      if (record.features) {
        this.paint(record);
      }
    }
    this.fire('tiledata');
  },

  // The loaded tiles of the current zoom that meet the view, with the view in that zoom's
  // global pixels.
  viewRecords() {
    if (!this._map || this._tileZoom === undefined) {
      return { records: [], view: null, zoom: null };
    }
    const zoom = this._tileZoom;
    const b = this._map.getBounds();
    const nw = this._map.project(b.getNorthWest(), zoom);
    const se = this._map.project(b.getSouthEast(), zoom);
    const size = this.getTileSize();
    const records = [...this.records.values()].filter((r) => {
      const { x, y, z } = r.coords;
      return r.features && z === zoom && (x + 1) * size.x > nw.x && x * size.x < se.x && (y + 1) * size.y > nw.y && y * size.y < se.y;
    });
    return { records, view: [nw.x, nw.y, se.x, se.y], zoom };
  },

  // A feature's box in the zoom's global pixels.
  globalBox(record, f) {
    const size = this.getTileSize();
    const k = size.x / record.extent;
    const ox = record.coords.x * size.x;
    const oy = record.coords.y * size.y;
    return [ox + f.box[0] * k, oy + f.box[1] * k, ox + f.box[2] * k, oy + f.box[3] * k];
  },

  // What the view shows of this layer: { drawn: Set of ids painted meeting the view,
  // dropped: features the server left out of the tiles meeting it, complete: whether every
  // tile of the view has arrived }.
  shownInView() {
    const { records, view } = this.viewRecords();
    const drawn = new Set();
    let dropped = 0;
    for (const r of records) {
      dropped += r.dropped;
      for (const f of r.features) {
        if (!r.painted.has(f.id)) {
          continue;
        }
        const g = this.globalBox(r, f);
        if (g[2] >= view[0] && g[0] <= view[2] && g[3] >= view[1] && g[1] <= view[3]) {
          drawn.add(f.id);
        }
      }
    }
    return { drawn, dropped };
  },

  // The painted features of the view's tiles, one entry per id with the box of all its
  // pieces (a road or an area cut by tile edges is one feature), in the zoom's global pixels.
  viewFeatures() {
    const { records, zoom } = this.viewRecords();
    const byId = new Map();
    for (const r of records) {
      for (const f of r.features) {
        if (!r.painted.has(f.id)) {
          continue;
        }
        const g = this.globalBox(r, f);
        const seen = byId.get(f.id);
        if (seen) {
          seen.box = [Math.min(seen.box[0], g[0]), Math.min(seen.box[1], g[1]), Math.max(seen.box[2], g[2]), Math.max(seen.box[3], g[3])];
        } else {
          byId.set(f.id, { id: f.id, props: f.props, isPoint: f.type === GEOMETRY.POINT, box: g });
        }
      }
    }
    return { features: [...byId.values()], zoom };
  },

  tapped(ev) {
    if (this._tileZoom === undefined) {
      return;
    }
    const size = this.getTileSize();
    const p = this._map.project(ev.latlng, this._tileZoom);
    const coords = { x: Math.floor(p.x / size.x), y: Math.floor(p.y / size.y), z: this._tileZoom };
    const record = this.records.get(this._tileCoordsToKey(coords));
    if (!record || !record.features) {
      return;
    }
    const k = record.extent / size.x;
    const x = (p.x - coords.x * size.x) * k;
    const y = (p.y - coords.y * size.y) * k;
    const hit = featureAt(record.features, record.painted, x, y, TAP_SLACK_PX * k);
    if (hit) {
      this.onTap(hit.id, ev.latlng);
    }
  },
});
