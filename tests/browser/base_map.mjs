// base_map.mjs BASE_URL ARTIFACT_DIR - the web map's base map in Debian's Chromium against a
// real `cityatlas serve`. With BASE_MODE=city (the bundled data), no layer ticked: tambon and
// landmark names are placed labels, each tambon name inside its tambon's polygon (from
// /items), none overlapping another, and the English names with the English UI; the river
// is drawn (the base map's water colour at the pixels along its geometry). With
// BASE_MODE=roads (tests/data/road_classes: one road per OSM highway class), a primary road
// is drawn wider than a residential one at the same zoom, and a class drawn from a later
// zoom is absent before it. Prints one "ok ..." line per check; exits 1 on the first failure.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DESKTOP, api, check, launch, openPage } from './lib.mjs';

const [base, artifactDir] = process.argv.slice(2);
const mode = process.env.BASE_MODE || 'city';
mkdirSync(artifactDir, { recursive: true });
const figures = {};

// Waits until the base map's tiles of the view have arrived and labels were placed after.
async function settled(page) {
  await page.waitForFunction(() => {
    const tiles = window.cityatlasMap.baseTiles();
    return tiles && !tiles.isLoading() && tiles.viewRecords().records.length > 0;
  }, null, { timeout: 60000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

// The RGBA pixels of the base map's canvas within RADIUS device pixels of each [lat, lon]
// (null off the loaded tiles): roads are drawn over water, so a river's point may sit
// under a bridge or a riverside road, and the river shows beside it.
const RADIUS = 3;
const basePixels = (page, points) => page.evaluate(([pts, radius]) => {
  const tiles = window.cityatlasMap.baseTiles();
  const map = window.cityatlasMap.map;
  const { records, zoom } = tiles.viewRecords();
  const size = tiles.getTileSize().x;
  return pts.map(([lat, lon]) => {
    const p = map.project([lat, lon], zoom);
    const r = records.find((rec) => rec.coords.x === Math.floor(p.x / size) && rec.coords.y === Math.floor(p.y / size));
    if (!r) {
      return null;
    }
    const x = Math.floor((p.x - r.coords.x * size) * r.ratio);
    const y = Math.floor((p.y - r.coords.y * size) * r.ratio);
    const d = r.canvas.getContext('2d').getImageData(x - radius, y - radius, 2 * radius + 1, 2 * radius + 1).data;
    const out = [];
    for (let i = 0; i < d.length; i += 4) {
      out.push([d[i], d[i + 1], d[i + 2], d[i + 3]]);
    }
    return out;
  });
}, [points, RADIUS]);

const overlaps = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

function insideRing(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}

function insidePolygon(geometry, lon, lat) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some((rings) => insideRing(rings[0], lon, lat) && !rings.slice(1).some((h) => insideRing(h, lon, lat)));
}

async function cityChecks(browser) {
  const landing = await api(base, '?f=json');
  const home = landing['cityatlas:city'].home;
  const page = await openPage(browser, base, DESKTOP, `${base}/map/#map=${home.zoom}/${home.lat}/${home.lon}&layers=`);
  await settled(page);
  // What the base map costs the first view: its tiles' bytes (measured, not checked).
  const baseTiles = page.requests.filter((u) => /\/tiles\/WebMercatorQuad\/\d+\/\d+\/\d+/.test(u) && !u.includes('/collections/'));
  const bytes = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((r) => /\/tiles\/WebMercatorQuad\/\d+\/\d+\/\d+/.test(r.name) && !r.name.includes('/collections/'))
    .reduce((sum, r) => sum + r.encodedBodySize, 0));
  figures.first_view_base_tiles = { requests: baseTiles.length, bytes };
  const ticked = await page.evaluate(() => document.querySelectorAll('#layer-list input:checked').length);
  check(ticked === 0, 'no layer is ticked in the layer list', ticked);
  const entries = await page.evaluate(() => window.cityatlasMap.baseMap());
  const tambon = entries.find((e) => e.kind === 'boundary' && e.label && e.label.minzoom <= home.zoom && e.label.priority === 0);
  const landmarks = entries.find((e) => e.kind === 'place' && e.label && e.label.minzoom <= home.zoom);
  check(tambon && landmarks, 'the base map labels the finest boundaries and a gazetteer layer at the home zoom', entries);
  const water = entries.find((e) => e.kind === 'water');
  check(water, 'the base map has a water layer from the catalog', entries);
  // Labels are placed as the view's tiles arrive (at most once per 300 ms while it loads):
  // wait for the three tambon names checked below, not only for the first tile's.
  await page.waitForFunction(([tambonId, landmarksId]) => {
    const placed = window.cityatlasMap.placedLabels();
    return placed.filter((p) => p.layer === tambonId).length >= 3 && placed.some((p) => p.layer === landmarksId);
  }, [tambon.id, landmarks.id], { timeout: 30000 });
  const placed = await page.evaluate(() => window.cityatlasMap.placedLabels());
  const tambonLabels = placed.filter((p) => p.layer === tambon.id);
  const landmarkLabels = placed.filter((p) => p.layer === landmarks.id);
  check(tambonLabels.length >= 3, `tambon names placed (${tambonLabels.map((p) => p.text).join(', ')})`, tambonLabels.length);
  check(landmarkLabels.length >= 1, `landmark names placed (${landmarkLabels.map((p) => p.text).join(', ')})`, landmarkLabels.length);
  figures.labels = { tambon: tambonLabels.length, landmarks: landmarkLabels.length, all: placed.length };
  const pairs = [];
  placed.forEach((a, i) => placed.slice(i + 1).forEach((b) => overlaps(a.box, b.box) && pairs.push([a.text, b.text])));
  check(pairs.length === 0, `no two of the ${placed.length} placed labels overlap`, pairs);
  // Priority: at the same spot a tambon name wins over a landmark, never the reverse.
  const first = placed.findIndex((p) => p.layer === landmarks.id);
  check(placed.slice(first).every((p) => p.layer !== tambon.id), 'tambon names are placed before landmark names');
  // Each tambon name stands inside its tambon (not at a centroid outside a concave shape).
  for (const label of tambonLabels) {
    const at = await page.evaluate(([x, y]) => {
      const ll = window.cityatlasMap.map.containerPointToLatLng([x, y]);
      return [ll.lng, ll.lat];
    }, [label.x, label.y]);
    const feature = await api(base, `collections/${tambon.id}/items/${label.id}`);
    check(insidePolygon(feature.geometry, at[0], at[1]), `"${label.text}" stands inside its polygon`, at);
    const name = feature.properties[tambon.label.field];
    check(name === label.text, `"${label.text}" is the Thai name of feature ${label.id}`, name);
  }
  // The river: the water colour at the pixels along its lines in the view.
  const view = await page.evaluate(() => window.cityatlasMap.map.getBounds().toBBoxString());
  const rivers = await api(base, `collections/${water.id}/items?bbox=${view}&limit=100`);
  const [w, s, e, n] = view.split(',').map(Number);
  const along = [];
  for (const f of rivers.features) {
    const lines = f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates.flat(f.geometry.type === 'MultiPolygon' ? 1 : 0);
    for (const line of lines) {
      for (let i = 0; i + 1 < line.length; i++) {
        const [x0, y0] = line[i];
        const [x1, y1] = line[i + 1];
        const mid = [(y0 + y1) / 2, (x0 + x1) / 2];
        if (mid[1] > w && mid[1] < e && mid[0] > s && mid[0] < n) {
          along.push(mid);
        }
      }
    }
  }
  check(along.length >= 5, `the river crosses the view (${along.length} segment midpoints from /items)`, along.length);
  const pixels = await basePixels(page, along);
  const isWater = (px) => px[3] > 200 && px[2] > px[0] + 40 && px[2] > px[1];
  const wet = pixels.filter((near) => near && near.some(isWater)).length;
  figures.river = { sampled: along.length, water_coloured: wet };
  check(wet >= 0.8 * along.length, `the river is drawn: ${wet} of ${along.length} points along it are water-coloured`, pixels.map((near) => near && near[Math.floor(near.length / 2)]));
  await page.screenshot({ path: path.join(artifactDir, 'base-city.png') });
  // English UI: the same tambon now named by the catalog's English field.
  await page.click('.lang-switch button[data-lang="en"]');
  await page.waitForFunction((id) => window.cityatlasMap.placedLabels().some((p) => p.layer === id && /^[A-Za-z]/.test(p.text)), tambon.id, { timeout: 20000 });
  const english = (await page.evaluate(() => window.cityatlasMap.placedLabels())).filter((p) => p.layer === tambon.id);
  check(english.every((p) => /^[\x20-\x7e]+$/.test(p.text)), `tambon names in English with the English UI (${english.slice(0, 4).map((p) => p.text).join(', ')})`, english.map((p) => p.text));
  await page.screenshot({ path: path.join(artifactDir, 'base-city-en.png') });
  check(page.foreign.length === 0, 'no request to another host (no external tiles)', page.foreign);
  check(page.errors.length === 0, 'no console errors', page.errors);
  await page.close();
}

// The width in device pixels of what the base map drew across the line of latitude lat at
// the view's centre column: the run of painted pixels around it.
const drawnWidth = (page, lat) => page.evaluate((la) => {
  const tiles = window.cityatlasMap.baseTiles();
  const map = window.cityatlasMap.map;
  const { records, zoom } = tiles.viewRecords();
  const size = tiles.getTileSize().x;
  const p = map.project([la, map.getCenter().lng], zoom);
  const r = records.find((rec) => rec.coords.x === Math.floor(p.x / size) && rec.coords.y === Math.floor(p.y / size));
  const x = Math.floor((p.x - r.coords.x * size) * r.ratio);
  const y = Math.floor((p.y - r.coords.y * size) * r.ratio);
  const ctx = r.canvas.getContext('2d');
  const column = ctx.getImageData(x, 0, 1, r.canvas.height).data;
  const inked = (k) => k >= 0 && k < r.canvas.height && column[4 * k + 3] > 0;
  let top = y;
  let bottom = y;
  while (inked(top - 1)) top--;
  while (inked(bottom + 1)) bottom++;
  return inked(y) ? bottom - top + 1 : 0;
}, lat);

async function roadChecks(browser) {
  const page = await openPage(browser, base, DESKTOP, `${base}/map/#map=15/10.01/100.005&layers=`);
  await settled(page);
  const entries = await page.evaluate(() => window.cityatlasMap.baseMap());
  const roads = entries.find((e) => e.kind === 'road');
  check(roads && roads.classes && roads.classes.field === 'highway', 'the base map ranks roads by the catalog\'s class field', roads);
  const items = await api(base, `collections/${roads.id}/items?limit=100`);
  const latOf = (cls) => items.features.find((f) => f.properties.highway === cls).geometry.coordinates[0][1];
  const widths = {};
  for (const cls of ['motorway', 'primary', 'secondary', 'residential', 'service']) {
    widths[cls] = await drawnWidth(page, latOf(cls));
  }
  figures.road_widths_z15 = widths;
  check(widths.residential > 0, 'a residential road is drawn at z15', widths);
  check(widths.primary > widths.residential, `a primary road is drawn wider than a residential one at z15 (${widths.primary} > ${widths.residential} px)`, widths);
  check(widths.motorway >= widths.primary && widths.residential >= widths.service, 'widths follow the ranking', widths);
  await page.screenshot({ path: path.join(artifactDir, 'base-roads-z15.png') });
  // From lower zooms for higher classes: at the road layer's first zoom only the first
  // classes are drawn.
  await page.evaluate((z) => window.cityatlasMap.map.setZoom(z, { animate: false }), roads.minzoom + 1);
  await settled(page);
  const low = { motorway: await drawnWidth(page, latOf('motorway')), residential: await drawnWidth(page, latOf('residential')) };
  figures.road_widths_low = { zoom: roads.minzoom + 1, ...low };
  check(low.motorway > 0 && low.residential === 0, `at z${roads.minzoom + 1} the motorway is drawn and the residential road not yet`, low);
  check(page.errors.length === 0, 'no console errors', page.errors);
  await page.close();
}

const browser = await launch();
try {
  await (mode === 'roads' ? roadChecks(browser) : cityChecks(browser));
} finally {
  await browser.close();
}
writeFileSync(path.join(artifactDir, `figures-${mode}.json`), JSON.stringify(figures, null, 2));
console.log(`figures ${JSON.stringify(figures)}`);
