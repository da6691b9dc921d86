// tile_decode.js - a Mapbox Vector Tile's layers as plain features (@mapbox/vector-tile +
// pbf decode): rings as flat [x0, y0, x1, y1, ...] arrays in tile units, with the box of
// all of them, which is what tile_paint.js draws and tile_hit.js tests taps against. Runs
// in the tile worker (tile_store.js), or on the page where there is no worker.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

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

// The named layers of a tile's bytes: { layers: Map name -> features, extent } (a layer
// the tile does not hold is absent; the extent is the last layer's, 4096 without any).
export function decodeTile(bytes, names) {
  const vt = new VectorTile(new PbfReader(bytes));
  const layers = new Map();
  let extent = 4096;
  for (const name of names) {
    const vtLayer = vt.layers[name];
    if (vtLayer) {
      layers.set(name, decodeLayer(vtLayer));
      extent = vtLayer.extent;
    }
  }
  return { layers, extent };
}
