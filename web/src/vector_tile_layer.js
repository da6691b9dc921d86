// vector_tile_layer.js - a large layer on the Leaflet map as Mapbox Vector Tiles from the
// server's OGC API - Tiles, drawn on one canvas per tile by the layer's style document.
//
// Why a GridLayer of our own rather than a ready renderer: the layers are styled by the
// server's style documents through style_eval.js, as the GeoJSON layers and posters are,
// and labels of every layer go through one placer (label_placer.js) so they never
// overlap; a renderer with its own styling rules and label engine would give two truths
// for one style.
//
// The tile's work (fetch with retries, decoding, painting) is done off the main thread by
// the tile worker (tile_client.js, tile_store.js): the layer draws the bitmap it gets
// back, and keeps of the tile only the compact summary of its features (ids, boxes, which
// were painted, the properties its labels read) and how many features the server left
// out of it (X-Features-Dropped), for the map's "N of M shown". Taps are asked of the
// worker, which keeps the features; a new style repaints there from them, nothing is
// refetched. Leaflet's grid asks only for the tiles of the view plus keepBuffer; a pan
// keeps the tiles it holds and asks for the new ones only, and a tile that leaves the map
// has its work cancelled and its features dropped.
import { tileClient } from './tile_client.js';
import { GEOMETRY } from './tile_paint.js';

const TAP_SLACK_PX = 6;

let owners = 0;

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
    this.records = new Map(); // tile key -> { coords, canvas, ratio, layers, extent, dropped }
    this.owner = `layer-${++owners}`;
    this.client = tileClient();
    this.client.listen(this.owner, (result) => this.repainted(result));
    this.client.setPlan(this.owner, this.plan(), false);
    this.on('tileunload', (ev) => this.forget(ev.coords));
  },

  // What the tile store decodes and paints, and sends back (tile_store.js): this layer,
  // with the properties of the painted features when its style has labels.
  plan() {
    const labelled = Boolean(this.style && this.style.layers.some((l) => l.type === 'symbol'));
    return { layers: [{ name: this.layerName, style: this.style, send: labelled ? 'labels' : 'boxes' }] };
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

  keyOf(coords) {
    return `${this.owner}:${this._tileCoordsToKey(coords)}`;
  },

  forget(coords) {
    const key = this.keyOf(coords);
    if (this.records.delete(key)) {
      this.client.drop(key);
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
    const key = this.keyOf(coords);
    const record = { coords, canvas, ratio, layers: null, dropped: 0, extent: 4096 };
    this.records.set(key, record);
    const job = { key, owner: this.owner, url: this.urlFor(coords), z: coords.z, width: canvas.width, height: canvas.height, ratio };
    this.client
      .load(job)
      .then((result) => {
        if (!result || this.records.get(key) !== record) {
          return; // the tile left the map meanwhile
        }
        this.show(record, result);
        done(null, canvas);
        this.fire('tiledata', { coords });
      })
      .catch((e) => {
        if (this.records.get(key) === record) {
          record.failed = true;
          done(e, canvas);
        }
      });
    return canvas;
  },

  // A painted tile from the store on the tile's canvas, with what the map keeps of it.
  // (Drawn on a 2D canvas rather than handed over through a bitmaprenderer context: with
  // those, Chromium's screenshots of the map took longer here, 27 s against 18-20 s on a
  // loaded machine, and a copy of one tile is cheap.)
  show(record, result) {
    const ctx = record.canvas.getContext('2d');
    ctx.clearRect(0, 0, record.canvas.width, record.canvas.height);
    ctx.drawImage(result.image, 0, 0);
    if (typeof result.image.close === 'function') {
      result.image.close(); // an ImageBitmap's memory goes now, not at the next collection
    }
    record.layers = result.layers;
    record.extent = result.extent;
    record.dropped = result.dropped[this.layerName] || 0;
  },

  repainted(result) {
    const record = this.records.get(result.key);
    if (record && record.layers) {
      this.show(record, result);
      this.fire('tiledata', { coords: record.coords });
    } else if (typeof result.image.close === 'function') {
      result.image.close(); // the tile left the map: its bitmap's memory goes now
    }
  },

  // A new style (a scenario's override): every held tile is repainted, nothing refetched.
  setStyle(style) {
    this.style = style;
    this.client.setPlan(this.owner, this.plan(), true);
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
      return r.layers && z === zoom && (x + 1) * size.x > nw.x && x * size.x < se.x && (y + 1) * size.y > nw.y && y * size.y < se.y;
    });
    return { records, view: [nw.x, nw.y, se.x, se.y], zoom };
  },

  // The box of feature i of a tile's summary, in the zoom's global pixels.
  globalBox(record, boxes, i) {
    const size = this.getTileSize();
    const k = size.x / record.extent;
    const ox = record.coords.x * size.x;
    const oy = record.coords.y * size.y;
    const b = 4 * i;
    return [ox + boxes[b] * k, oy + boxes[b + 1] * k, ox + boxes[b + 2] * k, oy + boxes[b + 3] * k];
  },

  // A box in the zoom's global pixels in a tile's own units, to compare with its features'
  // boxes as the store sent them (nothing made per feature: a view holds thousands).
  inTileUnits(record, box) {
    const size = this.getTileSize();
    const k = record.extent / size.x;
    const ox = record.coords.x * size.x;
    const oy = record.coords.y * size.y;
    return [(box[0] - ox) * k, (box[1] - oy) * k, (box[2] - ox) * k, (box[3] - oy) * k];
  },

  // What the view shows of this layer: { drawn: Set of ids painted meeting the view,
  // dropped: features the server left out of the tiles meeting it }.
  shownInView() {
    const { records, view } = this.viewRecords();
    const drawn = new Set();
    let dropped = 0;
    for (const r of records) {
      dropped += r.dropped;
      const s = r.layers[this.layerName];
      const v = this.inTileUnits(r, view);
      const b = s ? s.boxes : null;
      for (let i = 0; s && i < s.ids.length; i++) {
        const j = 4 * i;
        if (s.painted[i] && b[j + 2] >= v[0] && b[j] <= v[2] && b[j + 3] >= v[1] && b[j + 1] <= v[3]) {
          drawn.add(s.ids[i]);
        }
      }
    }
    return { drawn, dropped };
  },

  // The painted features of the view's tiles, one entry per id with the box of all its
  // pieces (a road or an area cut by tile edges is one feature), in the zoom's global
  // pixels; props are those the store sent (a plan's 'labels').
  viewFeatures() {
    const { records, zoom } = this.viewRecords();
    const byId = new Map();
    for (const r of records) {
      const s = r.layers[this.layerName];
      for (let i = 0; s && i < s.ids.length; i++) {
        if (!s.painted[i]) {
          continue;
        }
        const id = s.ids[i];
        const g = this.globalBox(r, s.boxes, i);
        const seen = byId.get(id);
        if (seen) {
          seen.box = [Math.min(seen.box[0], g[0]), Math.min(seen.box[1], g[1]), Math.max(seen.box[2], g[2]), Math.max(seen.box[3], g[3])];
        } else {
          byId.set(id, { id, props: s.props ? s.props[i] : null, isPoint: s.types[i] === GEOMETRY.POINT, box: g });
        }
      }
    }
    return { features: [...byId.values()], zoom };
  },

  // A tap: the worker holding the tile says which painted feature is under it.
  async tapped(ev) {
    if (this._tileZoom === undefined) {
      return;
    }
    const size = this.getTileSize();
    const p = this._map.project(ev.latlng, this._tileZoom);
    const coords = { x: Math.floor(p.x / size.x), y: Math.floor(p.y / size.y), z: this._tileZoom };
    const key = this.keyOf(coords);
    const record = this.records.get(key);
    if (!record || !record.layers) {
      return;
    }
    const k = record.extent / size.x;
    const x = (p.x - coords.x * size.x) * k;
    const y = (p.y - coords.y * size.y) * k;
    const fid = await this.client.hit(key, this.layerName, x, y, TAP_SLACK_PX * k);
    if (fid !== null && this._map) {
      this.onTap(fid, ev.latlng);
    }
  },
});
