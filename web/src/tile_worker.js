// tile_worker.js - the map's tile worker: a module Web Worker (bundled by build.mjs into
// its own hashed file) running a TileStore (tile_store.js) so that fetching, decoding and
// painting tiles never holds the page's main thread; the page only draws the bitmaps it
// sends. Messages (tile_client.js sends them):
//   { op: 'plan', owner, plan, repaint } -> with repaint, { op: 'tile', result } per held tile
//   { op: 'load', id, job }              -> { op: 'loaded', id, result } (result null: dropped)
//                                           or { op: 'failed', id, message }
//   { op: 'hit', id, key, layer, x, y, tolerance } -> { op: 'hit', id, fid }
//   { op: 'drop', key }
import { TileStore, transferables } from './tile_store.js';

let canvas = null;
const store = new TileStore({
  // One canvas for every tile: transferToImageBitmap hands its pixels over and leaves it blank.
  canvas(width, height) {
    if (!canvas || canvas.width !== width || canvas.height !== height) {
      canvas = new OffscreenCanvas(width, height);
    }
    return canvas;
  },
  image: (c) => c.transferToImageBitmap(),
});
// What the worker has done, for the browser tests (they read it in the worker).
self.tileStats = store.stats;

function send(message, result) {
  self.postMessage(message, result ? transferables(result) : []);
}

self.onmessage = async ({ data }) => {
  switch (data.op) {
    case 'plan':
      store.setPlan(data.owner, data.plan);
      if (data.repaint) {
        for (const result of store.repaint(data.owner)) {
          send({ op: 'tile', result }, result);
        }
      }
      break;
    case 'load':
      try {
        const result = await store.load(data.job);
        send({ op: 'loaded', id: data.id, result }, result);
      } catch (e) {
        send({ op: 'failed', id: data.id, message: e.message });
      }
      break;
    case 'hit':
      send({ op: 'hit', id: data.id, fid: store.hit(data.key, data.layer, data.x, data.y, data.tolerance) });
      break;
    case 'drop':
      store.drop(data.key);
      break;
  }
};
