// tile_store.js - the work of a vector tile that need not hold the page: fetch it (with
// retry.js's retries), decode it, paint it by its layers' styles, keep its features for
// restyling and taps, and report to the page only what the page needs in compact form.
// It runs in the tile worker (tile_worker.js); where a browser has no OffscreenCanvas the
// page runs the same store itself (tile_client.js), so there is one path for the work.
//
// The page names each map layer that draws tiles an owner and gives it a plan: the MVT
// layers to decode, in painting order, each with { name, style (null: decoded, not
// painted), send }, where send says what the page gets back of its features:
//   'nothing' - nothing;
//   'boxes'   - for each feature its id, geometry type, box (tile units) and whether it
//               was painted (the map's "N of M shown" and the ids tests compare with SQL);
//   'labels'  - the same, plus the properties of the painted ones (the layer's labels);
//   'places'  - the same, plus the properties of the points (the base map's place names).
import { decodeTile } from './tile_decode.js';
import { getTile } from './tile_fetch.js';
import { featureAt } from './tile_hit.js';
import { GEOMETRY, paintTile } from './tile_paint.js';
import { yieldToMain } from './yield_task.js';

function summarize(features, painted, send) {
  const n = features.length;
  const ids = new Float64Array(n);
  const types = new Uint8Array(n);
  const boxes = new Float32Array(4 * n);
  const drawn = new Uint8Array(n);
  const props = send === 'labels' || send === 'places' ? new Array(n).fill(null) : null;
  features.forEach((f, i) => {
    ids[i] = f.id;
    types[i] = f.type;
    boxes.set(f.box, 4 * i);
    drawn[i] = painted.has(f.id) ? 1 : 0;
    if (props && (send === 'labels' ? drawn[i] : f.type === GEOMETRY.POINT)) {
      props[i] = f.props;
    }
  });
  return { ids, types, boxes, painted: drawn, props };
}

// The buffers a summary's typed arrays hold, to transfer rather than copy.
export function transferables(result) {
  const list = result.image && typeof result.image.close === 'function' ? [result.image] : [];
  for (const s of Object.values(result.layers)) {
    list.push(s.ids.buffer, s.types.buffer, s.boxes.buffer, s.painted.buffer);
  }
  return list;
}

export class TileStore {
  // surface: { canvas(width, height): a canvas to paint a tile on, image(canvas): what the
  // page draws on the tile's own canvas (an ImageBitmap from the worker) }.
  constructor(surface) {
    this.surface = surface;
    this.plans = new Map(); // owner -> plan
    this.tiles = new Map(); // key -> { owner, z, width, height, ratio, extent, layers, dropped, painted }
    this.jobs = new Map(); // key -> AbortController of the tile's fetch and decoding
    this.stats = { decoded: 0, painted: 0 };
  }

  setPlan(owner, plan) {
    this.plans.set(owner, plan);
  }

  // job: { key, owner, url, z, width, height, ratio } (width and height in device pixels).
  // Resolves to the painted tile (see paint) or to null when the tile was dropped first;
  // rejects when the server's answer is an error after the retries.
  async load(job) {
    this.drop(job.key);
    const controller = new AbortController();
    this.jobs.set(job.key, controller);
    try {
      const { bytes, dropped } = await getTile(job.url, controller.signal);
      const plan = this.plans.get(job.owner);
      if (controller.signal.aborted || !plan) {
        return null;
      }
      const { layers, extent } = decodeTile(bytes, plan.layers.map((l) => l.name));
      this.stats.decoded++;
      await yieldToMain(); // a drop for this tile may be waiting: it is not painted then
      if (controller.signal.aborted) {
        return null;
      }
      const tile = { ...job, extent, layers, dropped: Object.fromEntries(dropped), painted: new Map() };
      delete tile.url;
      this.tiles.set(job.key, tile);
      return this.paint(job.key, tile);
    } catch (e) {
      if (e.name === 'AbortError') {
        return null;
      }
      throw e;
    } finally {
      if (this.jobs.get(job.key) === controller) {
        this.jobs.delete(job.key);
      }
    }
  }

  // Paints a decoded tile by its owner's plan: { key, owner, image, extent, dropped: { layer
  // name: features the server left out }, layers: { name: summary } }.
  paint(key, tile) {
    const plan = this.plans.get(tile.owner);
    const canvas = this.surface.canvas(tile.width, tile.height);
    // Painted by the CPU where the store runs (a worker): an accelerated canvas sends every
    // path to the GPU process, which then competes with the page's own compositing (with
    // Chromium's software GL, screenshots of the map took twice as long).
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const layers = {};
    for (const l of plan.layers) {
      const features = tile.layers.get(l.name) || [];
      const painted = l.style ? paintTile(ctx, features, l.style, tile.z, tile.extent, tile.ratio, true) : new Set();
      tile.painted.set(l.name, painted);
      if (l.send !== 'nothing') {
        layers[l.name] = summarize(features, painted, l.send);
      }
    }
    this.stats.painted++;
    return { key, owner: tile.owner, image: this.surface.image(canvas), extent: tile.extent, dropped: tile.dropped, layers };
  }

  // Every held tile of owner painted again by its plan (a new style), nothing refetched.
  repaint(owner) {
    const out = [];
    for (const [key, tile] of this.tiles) {
      if (tile.owner === owner) {
        out.push(this.paint(key, tile));
      }
    }
    return out;
  }

  // The id of the topmost painted feature of the tile's layer at (x, y) in tile units
  // (tolerance in the same units), or null.
  hit(key, layer, x, y, tolerance) {
    const tile = this.tiles.get(key);
    const features = tile && tile.layers.get(layer);
    if (!features) {
      return null;
    }
    const f = featureAt(features, tile.painted.get(layer) || new Set(), x, y, tolerance);
    return f ? f.id : null;
  }

  // The tile left the map: its fetch is aborted, its features forgotten.
  drop(key) {
    const controller = this.jobs.get(key);
    if (controller) {
      controller.abort();
      this.jobs.delete(key);
    }
    this.tiles.delete(key);
  }
}
