// tile_client.js - the page's side of the tile work: hands each tile to a tile worker
// (tile_worker.js, a small pool of module workers) and gets back a bitmap to draw plus
// the compact summaries the map needs (tile_store.js says which), so a tile costs the main
// thread one drawImage. Taps are asked of the worker that holds the tile.
//
// Where workers cannot paint (no OffscreenCanvas), on the unbundled page (its modules'
// bare imports resolve through the page's import map, which a worker does not have), or
// when a worker fails to start, the same TileStore runs on the page: the same fetch,
// decoding and painting code, only on the main thread.
/* global CITYATLAS_TILE_WORKER */
import { yieldToMain } from './yield_task.js';

const POOL_MAX = 2;
// At most this many tile URLs remembered for the service worker (a first view asks ~25).
const FETCHED_MAX = 200;

// build.mjs defines CITYATLAS_TILE_WORKER as the worker bundle's hashed file name, which
// sits beside the app's bundle.
function workerUrl() {
  return typeof CITYATLAS_TILE_WORKER === 'string' ? new URL(CITYATLAS_TILE_WORKER, import.meta.url) : null;
}

function workersCanPaint() {
  return typeof Worker === 'function' && typeof OffscreenCanvas === 'function' && typeof OffscreenCanvas.prototype.transferToImageBitmap === 'function';
}

function pageCanvas(width, height) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

class TileClient {
  constructor() {
    this.plans = new Map(); // owner -> plan, replayed to a store that starts later
    this.listeners = new Map(); // owner -> fn(result) for repainted tiles
    this.workers = []; // { worker, busy }
    this.home = new Map(); // tile key -> the worker entry holding it
    this.pending = new Map(); // message id -> { resolve, reject, entry, job }
    this.nextId = 1;
    this.local = null; // Promise of the page's own TileStore, once needed
    this.counts = { worker: 0, page: 0 }; // tiles painted in a worker / on the page
    // Tiles a worker fetched: they are not in the page's resource timing, which is how
    // offline.js finds what the first view fetched before the service worker was there.
    this.fetched = [];
    const url = workerUrl();
    this.mode = url && workersCanPaint() ? 'worker' : 'page';
    if (this.mode === 'worker') {
      const size = Math.max(1, Math.min(POOL_MAX, (navigator.hardwareConcurrency || 2) - 1));
      for (let i = 0; i < size; i++) {
        const entry = { worker: new Worker(url, { type: 'module', name: `tiles-${i}` }), busy: 0 };
        entry.worker.onmessage = ({ data }) => this.received(entry, data);
        entry.worker.onerror = (ev) => {
          ev.preventDefault();
          this.workerFailed();
        };
        this.workers.push(entry);
      }
    }
  }

  // The page's own store (loaded on first need: a page with workers never loads it).
  store() {
    if (!this.local) {
      this.local = import('./tile_store.js').then(({ TileStore }) => {
        const store = new TileStore({ canvas: pageCanvas, image: (c) => c });
        for (const [owner, plan] of this.plans) {
          store.setPlan(owner, plan);
        }
        return store;
      });
    }
    return this.local;
  }

  // A worker that cannot run (its file failed to load) hands the work to the page: what
  // was waiting is done there, and so is everything after.
  workerFailed() {
    if (this.mode !== 'worker') {
      return;
    }
    this.mode = 'page';
    for (const entry of this.workers) {
      entry.worker.terminate();
    }
    this.workers = [];
    this.home.clear();
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) {
      if (p.job) {
        this.load(p.job).then(p.resolve, p.reject);
      } else {
        p.resolve(null);
      }
    }
  }

  received(entry, data) {
    if (data.op === 'tile') {
      this.counts.worker++;
      this.listeners.get(data.result.owner)?.(data.result);
      return;
    }
    const p = this.pending.get(data.id);
    if (!p) {
      return;
    }
    this.pending.delete(data.id);
    if (data.op === 'loaded') {
      entry.busy--;
      if (data.result) {
        this.counts.worker++;
        if (this.fetched.length < FETCHED_MAX) {
          this.fetched.push(new URL(p.job.url, window.location.href).href);
        }
      }
      p.resolve(data.result);
    } else if (data.op === 'failed') {
      entry.busy--;
      p.reject(new Error(data.message));
    } else {
      p.resolve(data.fid);
    }
  }

  ask(entry, message, job) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, entry, job });
      entry.worker.postMessage({ ...message, id });
    });
  }

  // An owner's plan (tile_store.js); with repaint, its held tiles are painted again and
  // come back through its listener.
  setPlan(owner, plan, repaint) {
    this.plans.set(owner, plan);
    if (this.mode === 'worker') {
      for (const entry of this.workers) {
        entry.worker.postMessage({ op: 'plan', owner, plan, repaint });
      }
      return;
    }
    if (this.local || repaint) {
      this.store().then(async (store) => {
        store.setPlan(owner, plan);
        if (repaint) {
          for (const result of store.repaint(owner)) {
            this.counts.page++;
            this.listeners.get(owner)?.(result);
            await yieldToMain(); // one tile per task: a restyle of many tiles is not one long task
          }
        }
      });
    }
  }

  listen(owner, fn) {
    this.listeners.set(owner, fn);
  }

  // The painted tile of job ({ key, owner, url, z, width, height, ratio }), null when it
  // was dropped first; rejects when the server's answer is an error after the retries.
  async load(job) {
    if (this.mode === 'worker') {
      const entry = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      entry.busy++;
      this.home.set(job.key, entry);
      return this.ask(entry, { op: 'load', job }, job);
    }
    const result = await (await this.store()).load(job);
    if (result) {
      this.counts.page++;
    }
    return result;
  }

  // The id of the painted feature of the tile's layer at (x, y) in tile units, or null.
  async hit(key, layer, x, y, tolerance) {
    if (this.mode === 'worker') {
      const entry = this.home.get(key);
      return entry ? this.ask(entry, { op: 'hit', key, layer, x, y, tolerance }) : null;
    }
    return (await this.store()).hit(key, layer, x, y, tolerance);
  }

  // The tile left the map: its fetch is aborted and its features forgotten.
  drop(key) {
    if (this.mode === 'worker') {
      this.home.get(key)?.worker.postMessage({ op: 'drop', key });
      this.home.delete(key);
    } else if (this.local) {
      this.local.then((store) => store.drop(key));
    }
  }
}

let client = null;

// The one tile client of the page, made on first use.
export function tileClient() {
  if (!client) {
    client = new TileClient();
  }
  return client;
}

// The URLs of the tiles workers fetched so far (page fetches are in resource timing).
export function tilesFetchedByWorkers() {
  return client ? [...client.fetched] : [];
}

// Where the tiles were painted so far (tests check it): { mode, worker, page }.
export function tileWork() {
  return client ? { mode: client.mode, ...client.counts } : { mode: null, worker: 0, page: 0 };
}
