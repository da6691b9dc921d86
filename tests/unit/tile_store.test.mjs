// tile_store.test.mjs - the tile worker's store (web/src/tile_store.js) in node, on a vector
// tile written here with pbf's writer: what it sends the page for each kind of plan layer
// (ids, types, boxes, which were painted, the properties labels read), the features a tap
// finds, a restyle from the kept features, the X-Features-Dropped counts, a base map water
// polygon with a hole (a moat: filled even-odd with base_style.js's colours), and a tile
// dropped while its fetch is under way (resolves to null, nothing kept). fetch is replaced
// by one answering the tile's bytes; the canvas records what was painted. Run by ctest as
// `node --test` (needs web/node_modules: scripts/install_web_deps.sh).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PbfWriter } from '../../web/node_modules/pbf/index.js';

// yield_task.js yields through a MessageChannel where there is one; in node its open port
// would keep the test process alive for ever, so it yields with setTimeout here.
delete globalThis.MessageChannel;
const { TileStore, transferables } = await import('../../web/src/tile_store.js');
const { baseStyle } = await import('../../web/src/base_style.js');

const POINT = 1;
const LINE = 2;
const POLYGON = 3;
const zigzag = (n) => (n << 1) ^ (n >> 31);

// MVT geometry commands: parts is a list of point lists; a point feature's parts are one
// MoveTo each, a line's a MoveTo then LineTo the rest, a polygon's rings the same then a
// ClosePath (the first ring the outer one, clockwise in tile coordinates; the others
// holes, counter-clockwise).
function commands(type, ...parts) {
  const out = [];
  let x = 0;
  let y = 0;
  const to = ([px, py]) => {
    out.push(zigzag(px - x), zigzag(py - y));
    x = px;
    y = py;
  };
  if (type === POINT) {
    out.push((1 & 7) | (parts[0].length << 3));
    parts[0].forEach(to);
    return out;
  }
  for (const points of parts) {
    out.push((1 & 7) | (1 << 3));
    to(points[0]);
    out.push((2 & 7) | ((points.length - 1) << 3));
    points.slice(1).forEach(to);
    if (type === POLYGON) {
      out.push((7 & 7) | (1 << 3));
    }
  }
  return out;
}

// A tile of layers { name: [{ id, type, points or rings, props }] } (string properties
// only).
function writeTile(layers) {
  const pbf = new PbfWriter();
  for (const [name, features] of Object.entries(layers)) {
    const keys = [];
    const values = [];
    const index = (list, v) => (list.includes(v) ? list.indexOf(v) : list.push(v) - 1);
    const tagged = features.map((f) => ({ ...f, tags: Object.entries(f.props).flatMap(([k, v]) => [index(keys, k), index(values, v)]) }));
    pbf.writeMessage(3, (_, p) => {
      p.writeVarintField(15, 2);
      p.writeStringField(1, name);
      for (const f of tagged) {
        p.writeMessage(2, (__, q) => {
          q.writeVarintField(1, f.id);
          q.writePackedVarint(2, f.tags);
          q.writeVarintField(3, f.type);
          q.writePackedVarint(4, commands(f.type, ...(f.rings || [f.points])));
        });
      }
      keys.forEach((k) => p.writeStringField(3, k));
      values.forEach((v) => p.writeMessage(4, (___, q) => q.writeStringField(1, v)));
      p.writeVarintField(5, 4096);
    });
  }
  return pbf.finish();
}

const ROADS = [
  { id: 11, type: LINE, points: [[100, 100], [1000, 100]], props: { highway: 'primary', name: 'ถนนหนึ่ง' } },
  { id: 12, type: LINE, points: [[100, 2000], [1000, 2000]], props: { highway: 'service', name: 'ซอยสอง' } },
];
const PLACES = [
  { id: 21, type: POINT, points: [[3000, 3000]], props: { name: 'วัดสาม' } },
  { id: 22, type: POLYGON, points: [[0, 0], [500, 0], [500, 500], [0, 500]], props: { name: 'ตำบลสี่' } },
];
const BYTES = writeTile({ roads: ROADS, places: PLACES });

// fetch answering the tile (with the server's count of what it left out), or waiting for
// its abort when hold is true.
function serveTile({ hold = false } = {}) {
  const asked = [];
  globalThis.fetch = (url, init) => {
    asked.push(String(url));
    if (hold) {
      return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError'))));
    }
    return Promise.resolve(new Response(BYTES, { headers: { 'X-Features-Dropped': 'roads=7, places=1' } }));
  };
  return asked;
}

// A canvas whose context records the paths it filled or stroked (drawn), and each with its
// colour and arguments (colours).
function surface() {
  const drawn = [];
  const colours = [];
  return {
    drawn,
    colours,
    canvas(width, height) {
      const canvas = { width, height };
      const ctx = new Proxy(
        { canvas },
        {
          get(target, name) {
            if (name in target) {
              return target[name];
            }
            return (...args) => {
              if (!['fill', 'stroke'].includes(name)) {
                return args;
              }
              colours.push([name, name === 'fill' ? target.fillStyle : target.strokeStyle, ...args]);
              return drawn.push(name);
            };
          },
          set(target, name, value) {
            target[name] = value;
            return true;
          },
        },
      );
      canvas.getContext = () => ctx;
      return canvas;
    },
    image: (c) => c,
  };
}

const lineStyle = (filter) => ({ layers: [{ id: 'r', type: 'line', filter, paint: { 'line-width': 4 } }, { id: 'l', type: 'symbol', layout: { 'text-field': ['get', 'name'] } }] });
const job = (key) => ({ key, owner: 'roads-layer', url: `https://tiles.invalid/${key}`, z: 15, width: 512, height: 512, ratio: 2 });

test('a tile is fetched, decoded, painted by its plan and summarised for the page', async () => {
  const asked = serveTile();
  const s = surface();
  const store = new TileStore(s);
  store.setPlan('roads-layer', { layers: [{ name: 'roads', style: lineStyle(['==', ['get', 'highway'], 'primary']), send: 'labels' }] });
  const result = await store.load(job('15/1/2'));
  assert.deepEqual(asked, ['https://tiles.invalid/15/1/2']);
  assert.equal(result.key, '15/1/2');
  assert.equal(result.owner, 'roads-layer');
  assert.equal(result.extent, 4096);
  assert.deepEqual(result.dropped, { roads: 7, places: 1 });
  const roads = result.layers.roads;
  assert.deepEqual([...roads.ids], [11, 12]);
  assert.deepEqual([...roads.types], [LINE, LINE]);
  assert.deepEqual([...roads.boxes], [100, 100, 1000, 100, 100, 2000, 1000, 2000]);
  assert.deepEqual([...roads.painted], [1, 0], 'the filter paints the primary road only');
  assert.deepEqual(roads.props.map((p) => p && { ...p }), [{ highway: 'primary', name: 'ถนนหนึ่ง' }, null], 'properties of the painted features only');
  assert.deepEqual(s.drawn, ['stroke']);
  assert.equal(store.stats.decoded, 1);
  // The typed arrays' buffers are handed over, not copied.
  assert.equal(transferables(result).length, 4);
  // A tap on the painted road finds it; on the unpainted one, nothing.
  assert.equal(store.hit('15/1/2', 'roads', 500, 110, 24), 11);
  assert.equal(store.hit('15/1/2', 'roads', 500, 2000, 24), null);
  assert.equal(store.hit('15/1/2', 'roads', 500, 1000, 24), null);
  // A new style repaints from the kept features: no second fetch.
  store.setPlan('roads-layer', { layers: [{ name: 'roads', style: lineStyle(undefined), send: 'boxes' }] });
  const [again] = store.repaint('roads-layer');
  assert.equal(asked.length, 1);
  assert.deepEqual([...again.layers.roads.painted], [1, 1]);
  assert.equal(again.layers.roads.props, null, "'boxes' sends no properties");
  assert.equal(store.hit('15/1/2', 'roads', 500, 2010, 24), 12);
  assert.deepEqual(store.repaint('another-layer'), []);
});

test('a base map plan: painted layers send nothing, a place layer its points\' properties', async () => {
  serveTile();
  const store = new TileStore(surface());
  const fill = { layers: [{ id: 'f', type: 'fill', paint: { 'fill-color': '#888888' } }] };
  store.setPlan('base', {
    layers: [
      { name: 'roads', style: lineStyle(undefined), send: 'nothing' },
      { name: 'places', style: fill, send: 'places' },
    ],
  });
  const result = await store.load({ ...job('15/3/4'), owner: 'base' });
  assert.deepEqual(Object.keys(result.layers), ['places']);
  const places = result.layers.places;
  assert.deepEqual([...places.ids], [21, 22]);
  assert.deepEqual([...places.painted], [0, 1], 'the fill paints the polygon, not the point');
  assert.deepEqual(places.props.map((p) => p && { ...p }), [{ name: 'วัดสาม' }, null], 'properties of the points only');
  assert.deepEqual([...places.boxes.slice(0, 4)], [3000, 3000, 3000, 3000]);
  assert.equal(store.hit('15/3/4', 'places', 250, 250, 0), 22, 'a tap inside the polygon');
});

// A city's water polygons, such as the moat around an old city (a ring: the water between
// two squares), are drawn by the base map's water style; the old city inside stays land.
test('a base map water polygon with a hole is filled with the water colour, the hole left out', async () => {
  const moat = {
    id: 31,
    type: POLYGON,
    rings: [
      [[0, 0], [2000, 0], [2000, 2000], [0, 2000]],
      [[200, 200], [200, 1800], [1800, 1800], [1800, 200]],
    ],
    props: { name: 'คูเมือง' },
  };
  const bytes = writeTile({ water: [moat] });
  globalThis.fetch = () => Promise.resolve(new Response(bytes));
  const s = surface();
  const store = new TileStore(s);
  const style = baseStyle({ kind: 'water', minzoom: 10 }, 0);
  store.setPlan('base', { layers: [{ name: 'water', style, send: 'nothing' }] });
  const result = await store.load({ ...job('15/9/9'), owner: 'base' });
  assert.deepEqual(Object.keys(result.layers), [], 'nothing sent for a painted base layer');
  const fill = style.layers.find((l) => l.type === 'fill').paint['fill-color'];
  const line = style.layers.find((l) => l.type === 'line').paint['line-color'];
  assert.deepEqual(s.colours, [['fill', fill, 'evenodd'], ['stroke', line]], 'filled even-odd (the hole stays out), then its banks stroked');
  assert.equal(store.hit('15/9/9', 'water', 100, 1000, 0), 31, 'a tap on the water');
  assert.equal(store.hit('15/9/9', 'water', 1000, 1000, 0), null, 'a tap in the hole (the old city) is not on the water');
});

test('a tile dropped while its fetch is under way resolves to null and keeps nothing', async () => {
  serveTile({ hold: true });
  const store = new TileStore(surface());
  store.setPlan('roads-layer', { layers: [{ name: 'roads', style: lineStyle(undefined), send: 'boxes' }] });
  const pending = store.load(job('15/5/6'));
  store.drop('15/5/6');
  assert.equal(await pending, null);
  assert.equal(store.tiles.size, 0);
  assert.equal(store.jobs.size, 0);
  assert.equal(store.stats.decoded, 0);
});

test('an error answer rejects after the retries of retry.js', async () => {
  let tries = 0;
  globalThis.fetch = () => {
    tries++;
    return Promise.resolve(new Response('no such tile', { status: 404 }));
  };
  const store = new TileStore(surface());
  store.setPlan('roads-layer', { layers: [{ name: 'roads', style: lineStyle(undefined), send: 'boxes' }] });
  await assert.rejects(store.load(job('15/7/8')), /HTTP 404/);
  assert.equal(tries, 1, 'a 404 is not a passing failure: asked once');
  assert.equal(store.tiles.size, 0);
});
