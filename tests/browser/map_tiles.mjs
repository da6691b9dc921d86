// map_tiles.mjs BASE_URL ARTIFACT_DIR - the web map's vector tiles in Debian's Chromium
// against a real `cityatlas serve` on the bundled data: the first view draws every road SQL
// finds in it (feature ids the page drew against /items?bbox=view); a pan asks only for new
// tiles; a failed tile request is retried and the map is not blank; a tap on a tiled road
// shows its popup from /items/{fid}, found by the tile worker that decoded and painted the
// tile (the page painted none; the unbundled page, and the bundled one whose worker file
// fails to load, paint the same roads themselves); where the server thinned tiles the map
// says "N of M shown" with the tiles' own counts; labels of several layers never overlap,
// and a Thai label's pixels equal the same text drawn alone with fillText; a dense points
// layer (POINTS_LAYER) has points drawn in every quadrant that has points in SQL, at z10
// and z15.
// Prints one "ok ..." line per check; exits 1 on the first failure.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DESKTOP, check, launch, openPage as openAt } from './lib.mjs';

const [base, artifactDir] = process.argv.slice(2);
const openPage = (browser, url) => openAt(browser, base, DESKTOP, url);
const ROADS = 'cm-cbd-roads';
const isTile = (u) => u.includes('/tiles/WebMercatorQuad/') && !u.includes('tilejson');
const figures = {};

// Every feature of a layer meeting a box, from the items API (all pages), by id.
async function sqlFeatures(layer, bbox) {
  const ids = new Map();
  let url = new URL(`collections/${layer}/items?bbox=${bbox.join(',')}&limit=5000`, base);
  while (url) {
    const page = await (await fetch(url)).json();
    page.features.forEach((f) => ids.set(f.id, f));
    const next = (page.links || []).find((l) => l.rel === 'next');
    url = next ? new URL(next.href, base) : null;
  }
  return ids;
}

// Waits until every tile of the view has arrived and the labels were placed after it.
async function settled(page) {
  await page.waitForFunction(() => document.querySelectorAll('canvas.vector-tile:not(.leaflet-tile-loaded)').length === 0
    && document.querySelectorAll('canvas.vector-tile').length > 0, null, { timeout: 60000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const viewBox = (page) => page.evaluate(() => {
  const b = window.cityatlasMap.map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
});
const drawn = (page, layer) => page.evaluate((l) => window.cityatlasMap.drawnIds(l), layer);

// The size in metres of a tile's grid cell (1/4096 of a tile) at zoom and latitude: a
// feature smaller than that is left out of the tile by the server, and counted as such.
const gridMetres = (zoom, lat) => (40075016.7 * Math.cos((lat * Math.PI) / 180)) / (4096 * 2 ** zoom);

function spanMetres(feature) {
  const c = feature.geometry.coordinates.flat(3);
  const lons = c.filter((_, i) => i % 2 === 0);
  const lats = c.filter((_, i) => i % 2 === 1);
  const k = Math.cos((lats[0] * Math.PI) / 180);
  return Math.hypot((Math.max(...lons) - Math.min(...lons)) * 111320 * k, (Math.max(...lats) - Math.min(...lats)) * 110574);
}

// What the road tiles of a page said they left out, per tile URL.
function recordDropped(page) {
  const dropped = new Map();
  page.on('response', (r) => {
    if (isTile(r.url()) && r.url().includes(ROADS)) {
      const m = /cm-cbd-roads=(\d+)/.exec(r.headers()['x-features-dropped'] || '');
      dropped.set(r.url(), m ? Number(m[1]) : 0);
    }
  });
  return () => [...dropped.values()].reduce((s, n) => s + n, 0);
}

async function chipCounts(page) {
  const line = page.locator('.shown-chip p[data-layer="cm-cbd-roads"]');
  await line.waitFor({ timeout: 10000 });
  return { line, shown: Number(await line.getAttribute('data-shown')), total: Number(await line.getAttribute('data-total')) };
}

async function firstViewAndPan(browser) {
  const page = await openPage(browser, `${base}/map/`);
  const droppedSum = recordDropped(page);
  const firstLoad = page.requests.length;
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  await settled(page);
  const zoom = await page.evaluate(() => window.cityatlasMap.map.getZoom());
  const box = await viewBox(page);
  const want = await sqlFeatures(ROADS, box);
  const got = new Set(await drawn(page, ROADS));
  const missing = [...want.values()].filter((f) => !got.has(f.id));
  const cell = gridMetres(zoom, (box[1] + box[3]) / 2);
  figures.first_view_roads_sql = want.size;
  figures.first_view_roads_drawn = got.size;
  figures.first_view_roads_below_grid = missing.length;
  check(want.size > 1000 && missing.every((f) => spanMetres(f) < cell), `the first view draws every road SQL finds in it (${want.size}) but those smaller than the tile grid's ${cell.toFixed(2)} m (${missing.length})`, missing.slice(0, 5).map((f) => [f.id, spanMetres(f)]));
  if (missing.length > 0) {
    const chip = await chipCounts(page);
    // The tiles count what they left out over their whole area, a little more than the view.
    const left = droppedSum();
    check(chip.shown === got.size && chip.total - chip.shown === left && left >= missing.length, `and the map says so: ${chip.shown} of ${chip.total} shown (the view's tiles left out ${left})`, { chip: [chip.shown, chip.total], sql: want.size, drawn: got.size, left });
  } else {
    check(await page.locator('.shown-chip').isHidden(), 'nothing was left out, so no "N of M shown" chip');
  }
  await page.screenshot({ path: path.join(artifactDir, 'tiles-first-view.png') });

  const before = page.requests.slice(firstLoad).filter(isTile);
  check(new Set(before).size === before.length, 'no tile was asked for twice', before.length);
  await page.evaluate(() => {
    window.cityatlasMap.map.panBy([300, 0], { animate: false });
  });
  await settled(page);
  const after = page.requests.slice(firstLoad).filter(isTile).slice(before.length);
  const roadsBefore = before.filter((u) => u.includes(ROADS)).length;
  const roadsAfter = after.filter((u) => u.includes(ROADS));
  figures.pan_tile_requests_roads = roadsAfter.length;
  figures.first_view_tile_requests_roads = roadsBefore;
  check(roadsAfter.length > 0 && roadsAfter.length < roadsBefore, 'a pan of 300 px asks for fewer road tiles than the first view', { roadsBefore, roadsAfter: roadsAfter.length });
  check(after.every((u) => !before.includes(u)), 'a pan asks only for tiles it did not have', after.filter((u) => before.includes(u)));
  const movedBox = await viewBox(page);
  const movedWant = await sqlFeatures(ROADS, movedBox);
  const movedGot = new Set(await drawn(page, ROADS));
  check([...movedWant.values()].every((f) => movedGot.has(f.id) || spanMetres(f) < cell), 'after the pan, every road SQL finds in the view is drawn (but those below the grid)', movedWant.size);
  check(page.errors.length === 0 && page.foreign.length === 0, 'no console errors or foreign requests', [page.errors, page.foreign]);
  await page.context().close();
  return got;
}

// Every tile fails once with 503: each is asked again, and the map draws what it drew before.
async function failedTilesRetried(browser, firstDrawn) {
  const failed = new Set();
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'th-TH', serviceWorkers: 'block' });
  await context.route((u) => isTile(u.href), (route) => {
    const url = route.request().url();
    if (!failed.has(url)) {
      failed.add(url);
      return route.fulfill({ status: 503, contentType: 'application/json', body: '{"code":"ServiceUnavailable"}' });
    }
    return route.continue();
  });
  const page = await context.newPage();
  const asked = [];
  page.on('request', (r) => isTile(r.url()) && asked.push(r.url()));
  await page.goto(`${base}/map/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  await settled(page);
  const got = await drawn(page, ROADS);
  check(failed.size > 0 && [...failed].every((u) => asked.filter((a) => a === u).length === 2), 'every failed tile was asked for once more', { failed: failed.size, asked: asked.length });
  check(got.length === firstDrawn.size, 'after the retries the map draws the same roads as without failures', { got: got.length, want: firstDrawn.size });
  const inked = await page.evaluate(() => [...document.querySelectorAll('canvas.vector-tile')].filter((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) {
      if (d[i] > 0) {
        return true;
      }
    }
    return false;
  }).length);
  check(inked > 0, 'the retried tiles are drawn, not blank', inked);
  const status = await page.textContent('[data-layer="cm-cbd-roads"] .layer-status');
  check(!['โหลดไม่สำเร็จ', 'กำลังโหลด…'].includes(status), 'the roads are neither marked as failed nor left "Loading…"', status);
  await page.screenshot({ path: path.join(artifactDir, 'tiles-after-retries.png') });
  await context.close();
}

// A tap on a tiled road: the popup shows the feature fetched from /items/{fid}.
async function tapOnTiledRoad(browser) {
  const page = await openPage(browser, `${base}/map/#map=17/18.7883/98.9853&layers=${ROADS}&lang=th`);
  await settled(page);
  const box = await viewBox(page);
  const roads = await (await fetch(new URL(`collections/${ROADS}/items?bbox=${box.join(',')}&limit=200`, base))).json();
  const size = await page.evaluate(() => window.cityatlasMap.map.getSize());
  let at = null;
  for (const road of roads.features.filter((f) => f.geometry.type === 'LineString')) {
    const [a, b] = road.geometry.coordinates;
    const p = await page.evaluate(([lat, lon]) => window.cityatlasMap.map.latLngToContainerPoint([lat, lon]), [(a[1] + b[1]) / 2, (a[0] + b[0]) / 2]);
    if (p.x > 60 && p.y > 60 && p.x < size.x - 60 && p.y < size.y - 60) {
      at = p;
      break;
    }
  }
  check(at !== null, 'a road crosses the middle of the view');
  const map = await page.locator('#map').boundingBox();
  await page.mouse.click(map.x + at.x, map.y + at.y);
  await page.waitForSelector('.feature-popup h3', { timeout: 15000 });
  check(page.requests.some((u) => /\/collections\/cm-cbd-roads\/items\/[^/?]+$/.test(u)), 'the tap fetched one road from /items/{fid}');
  // The road was found under the tap by the worker that decoded and painted its tile.
  const work = await page.evaluate(() => window.cityatlasMap.tileWork());
  figures.tiles_painted_in_worker = work.worker;
  check(work.mode === 'worker' && work.worker > 0 && work.page === 0, 'every tile was painted by the tile worker, none on the page', work);
  const workers = page.workers().filter((w) => /\/map\/dist\/assets\/tile-worker-\w+\.js$/.test(w.url()));
  const decoded = (await Promise.all(workers.map((w) => w.evaluate(() => self.tileStats.decoded)))).reduce((a, b) => a + b, 0);
  check(workers.length > 0 && decoded >= work.worker, `the tile worker's own count: ${decoded} tiles decoded in ${workers.length} worker(s)`, { workers: page.workers().map((w) => w.url()), decoded });
  await page.screenshot({ path: path.join(artifactDir, 'tiles-popup.png') });
  await page.context().close();
}

// The unbundled page (its modules' bare imports resolve through the page's import map,
// which a worker has not) paints the tiles on the page with the same store and code: the
// first view draws the same roads as the bundled page's worker did.
async function unbundledPaintsOnPage(browser, firstDrawn) {
  const page = await openPage(browser, `${base}/map/index.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  await settled(page);
  const work = await page.evaluate(() => window.cityatlasMap.tileWork());
  check(work.mode === 'page' && work.page > 0 && work.worker === 0, 'the unbundled page paints its tiles itself', work);
  const got = new Set(await drawn(page, ROADS));
  check(got.size === firstDrawn.size && [...firstDrawn].every((id) => got.has(id)), `and draws the same ${got.size} roads as the bundled page`, { unbundled: got.size, bundled: firstDrawn.size });
  check(page.errors.length === 0 && page.foreign.length === 0, 'no console errors or foreign requests', [page.errors, page.foreign]);
  await page.context().close();
}

// The worker's file does not load (a proxy in the way, a cache that lost it): the tiles are
// painted on the page instead, the same roads, and the map is not left blank.
async function workerMissing(browser, firstDrawn) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'th-TH', serviceWorkers: 'block' });
  await context.route(/\/dist\/assets\/tile-worker-\w+\.js$/, (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"code":"NotFound"}' }));
  const page = await context.newPage();
  const thrown = [];
  page.on('pageerror', (err) => thrown.push(String(err)));
  await page.goto(`${base}/map/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  await settled(page);
  const work = await page.evaluate(() => window.cityatlasMap.tileWork());
  check(work.mode === 'page' && work.page > 0, 'without its worker the map paints the tiles on the page', work);
  const got = new Set(await drawn(page, ROADS));
  check(got.size === firstDrawn.size && thrown.length === 0, `and draws the same ${got.size} roads, with no error thrown`, { got: got.size, want: firstDrawn.size, thrown });
  await context.close();
}

// At a low zoom the server thins or drops road pieces: the chip says how many are shown.
async function shownChip(browser) {
  const page = await openPage(browser, `${base}/map/#map=11/18.7883/98.9853&layers=${ROADS}&lang=th`);
  const droppedSum = recordDropped(page);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  await settled(page);
  const left = droppedSum();
  figures.z11_roads_dropped = left;
  if (left === 0) {
    check(await page.locator('.shown-chip').isHidden(), 'no tile left roads out at z11, so no chip');
  } else {
    const { line, shown, total } = await chipCounts(page);
    figures.z11_roads_shown = shown;
    check(total - shown === left, `the chip says ${shown} of ${total} roads shown, the tiles' own count of what they left out`, { shown, total, left });
    check((await line.textContent()).includes('จาก'), 'in Thai', await line.textContent());
    await page.click('.lang-switch button[data-lang="en"]');
    check((await line.textContent()).includes(' of about '), 'and in English after the switch ("about": a feature in two tiles\' buffers may be counted twice)', await line.textContent());
    await page.screenshot({ path: path.join(artifactDir, 'tiles-shown-chip.png') });
  }
  await page.context().close();
}

// Labels of several layers: none overlaps another; a Thai label's pixels equal fillText of
// the same string alone, and differ from the same letters drawn one by one (unshaped).
async function labels(browser) {
  const layers = ['cm-tambon', 'cm-cbd-landmarks', 'cm-cbd-residential-places', ROADS];
  const page = await openPage(browser, `${base}/map/#map=15/18.7883/98.9853&layers=${layers.join(',')}&lang=th`);
  await settled(page);
  // The label placer places at most once per 300 ms while the view loads (label_placer.js),
  // so the last tiles' labels may come a moment after the tiles: wait for what is checked
  // below (a timeout leaves it to the check to say what was placed).
  await page.waitForFunction(() => {
    const placed = window.cityatlasMap.placedLabels();
    return placed.length >= 5 && new Set(placed.map((p) => p.layer)).size >= 2;
  }, null, { timeout: 30000 }).catch(() => {});
  const placed = await page.evaluate(() => window.cityatlasMap.placedLabels());
  const fromLayers = new Set(placed.map((p) => p.layer));
  figures.labels_placed = placed.length;
  check(placed.length >= 5 && fromLayers.size >= 2, `labels from several layers are placed (${placed.length} from ${fromLayers.size})`, [...fromLayers]);
  const overlaps = [];
  placed.forEach((a, i) => placed.slice(i + 1).forEach((b) => {
    if (a.box[0] < b.box[2] && b.box[0] < a.box[2] && a.box[1] < b.box[3] && b.box[1] < a.box[3]) {
      overlaps.push([a.text, b.text]);
    }
  }));
  check(overlaps.length === 0, 'no two labels overlap', overlaps.slice(0, 5));
  const thai = placed.find((p) => /[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E]/.test(p.text));
  check(Boolean(thai), 'a label with Thai vowels or tone marks above/below is placed', placed.map((p) => p.text).slice(0, 10));
  const diff = await page.evaluate((label) => {
    const mapCanvas = document.querySelector('canvas.label-canvas');
    const ratio = mapCanvas.width / mapCanvas.clientWidth;
    const [x0, y0, x1, y1] = label.box.map((v) => Math.round(v * ratio));
    const crop = (c) => c.getContext('2d').getImageData(x0, y0, x1 - x0, y1 - y0).data;
    const alone = (oneByOne) => {
      const c = document.createElement('canvas');
      c.width = mapCanvas.width;
      c.height = mapCanvas.height;
      const ctx = c.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.font = label.font;
      ctx.textAlign = label.align;
      ctx.textBaseline = 'middle';
      ctx.lineJoin = 'round';
      ctx.lineWidth = label.halo;
      ctx.strokeStyle = '#ffffff';
      ctx.fillStyle = label.color;
      const parts = oneByOne ? [...label.text] : [label.text];
      let x = label.x - (oneByOne && label.align === 'center' ? ctx.measureText(label.text).width / 2 : 0);
      ctx.textAlign = oneByOne ? 'left' : label.align;
      for (const part of parts) {
        ctx.strokeText(part, x, label.y);
        ctx.fillText(part, x, label.y);
        x += oneByOne ? ctx.measureText(part).width : 0;
      }
      return c;
    };
    const count = (a, b) => {
      let n = 0;
      for (let i = 0; i < a.length; i += 4) {
        if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) + Math.abs(a[i + 3] - b[i + 3]) > 24) {
          n++;
        }
      }
      return n;
    };
    const onMap = crop(mapCanvas);
    let inked = 0;
    for (let i = 3; i < onMap.length; i += 4) {
      inked += onMap[i] > 0 ? 1 : 0;
    }
    return { inked, shaped: count(onMap, crop(alone(false))), unshaped: count(onMap, crop(alone(true))) };
  }, thai);
  figures.thai_label_pixels = diff;
  check(diff.inked > 50 && diff.shaped <= diff.inked * 0.01, `the Thai label "${thai.text}" on the map equals fillText of it alone`, diff);
  check(diff.unshaped > diff.shaped + 20, 'and differs from its letters drawn one by one (so the comparison can fail)', diff);
  await page.screenshot({ path: path.join(artifactDir, 'tiles-labels.png') });
  check(page.errors.length === 0, 'no console errors with labels', page.errors);
  await page.context().close();
}

// A dense points layer (POINTS_LAYER, generated by web_tiles.sh) at z10 and z15: every
// quadrant of the view where SQL finds points has points drawn (inked tile pixels).
async function densePoints(browser, layer) {
  for (const zoom of [10, 15]) {
    const page = await openPage(browser, `${base}/map/#map=${zoom}/18.788/98.986&layers=${layer}&lang=en`);
    await settled(page);
    const view = await page.evaluate(() => {
      const m = window.cityatlasMap.map;
      const b = m.getBounds();
      const c = m.getCenter();
      return { w: b.getWest(), s: b.getSouth(), e: b.getEast(), n: b.getNorth(), lon: c.lng, lat: c.lat };
    });
    const quadrants = [[view.w, view.lat, view.lon, view.n], [view.lon, view.lat, view.e, view.n], [view.w, view.s, view.lon, view.lat], [view.lon, view.s, view.e, view.lat]];
    const inSql = [];
    for (const q of quadrants) {
      const got = await (await fetch(new URL(`collections/${layer}/items?bbox=${q.join(',')}&limit=1`, base))).json();
      inSql.push(got.numberMatched);
    }
    const inked = await page.evaluate((id) => {
      const area = document.getElementById('map').getBoundingClientRect();
      const midX = area.left + area.width / 2;
      const midY = area.top + area.height / 2;
      const counts = [0, 0, 0, 0];
      for (const c of document.querySelectorAll(`.vector-tiles-${id} canvas.vector-tile`)) {
        const r = c.getBoundingClientRect();
        const k = r.width / c.width;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let y = 0; y < c.height; y += 2) {
          for (let x = 0; x < c.width; x += 2) {
            const px = r.left + x * k;
            const py = r.top + y * k;
            if (d[(y * c.width + x) * 4 + 3] > 0 && px >= area.left && px < area.right && py >= area.top && py < area.bottom) {
              counts[(px >= midX ? 1 : 0) + (py >= midY ? 2 : 0)]++;
            }
          }
        }
      }
      return counts;
    }, layer);
    figures[`points_z${zoom}`] = { sql: inSql, inked_pixels: inked };
    check(inSql.every((n, i) => n === 0 || inked[i] > 0) && inSql.some((n) => n > 0), `at z${zoom} every quadrant with points in SQL has points drawn`, { inSql, inked });
    await page.screenshot({ path: path.join(artifactDir, `tiles-points-z${zoom}.png`) });
    await page.context().close();
  }
}

mkdirSync(artifactDir, { recursive: true });
const browser = await launch();
try {
  const firstDrawn = await firstViewAndPan(browser);
  await failedTilesRetried(browser, firstDrawn);
  await tapOnTiledRoad(browser);
  await unbundledPaintsOnPage(browser, firstDrawn);
  await workerMissing(browser, firstDrawn);
  await shownChip(browser);
  await labels(browser);
  if (process.env.POINTS_LAYER) {
    await densePoints(browser, process.env.POINTS_LAYER);
  }
} finally {
  await browser.close();
}
console.log(`figures ${JSON.stringify(figures)}`);
