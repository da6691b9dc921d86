// phone.mjs BASE_URL ARTIFACT_DIR - the web map on a phone, in Debian's Chromium driven by
// playwright-core against a real `cityatlas serve` on the bundled data:
// - the bundle: /map/ names content-hashed files, sent immutable for a year; the page
//   no-cache with an ETag; the worker at /map/sw.js;
// - a throttled phone (CDP: DevTools' slow 4G, CPU 4x slower, 360x740):
//   time to the first features drawn and to the map drawn and answering ("ready"),
//   printed, bounded at 3x the goals (3 s and 5 s) times the machine's load since the
//   test machine is shared; the first view asks for the catalog in one language only, for
//   the base map's description before the first draw (no chain after it), and for the
//   statistics, the scenarios and the panels' code only after it; the base map leaves out
//   the visible layers it carries (no road drawn twice);
// - a failed JSON request is retried and the map is drawn; one that keeps failing says
//   so with a translated "try again" button that works once the server answers again;
// - offline: after a visit, a reload without network shows the app, the data seen and
//   the "offline" note;
// - layout at 360x740: the zoom and "my location" buttons overlap neither the search box
//   nor the open panel; the search list closes on a tap elsewhere; a metric scale bar; the
//   legend of the visible layers on the map; "my location" refused says so in Thai.
// Prints one "ok ..." line per check and the figures; exits 1 on the first failure.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { check, launch } from './lib.mjs';

const [base, artifactDir] = process.argv.slice(2);
const PHONE = { width: 360, height: 740 };
const figures = {};
const GOAL_FIRST_DRAW_MS = 3000;
const GOAL_READY_MS = 5000;
// Chrome DevTools' "Slow 4G" preset, as its network panel sends it over CDP: 1.6 Mbit/s
// down and 750 kbit/s up at 90 % goodput, 150 ms round trips times 3.75 for the radio.
const SLOW_4G = {
  latency: 150 * 3.75,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
};
// The bound is 3x the goal on an idle machine, and grows with the machine's load (the run
// queue per core, read before the measurement): the suite runs tests side by side and
// CPU throttling slows what is already slowed. The figures are printed either way.
const LOAD = Math.max(1, os.loadavg()[0] / os.cpus().length);
const SLACK = 3 * LOAD;

function newContext(browser, options = {}) {
  return browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'th-TH', ...options });
}

// A page that records console errors (but those isExpected allows) and page errors.
async function watchedPage(context, isExpected = () => false) {
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (msg) => msg.type() === 'error' && !isExpected(msg.text()) && page.errors.push(msg.text()));
  page.on('pageerror', (err) => page.errors.push(String(err)));
  return page;
}

// Resolves once the map says it is ready; else fails with what the page showed.
async function ready(page) {
  try {
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90000 });
  } catch (e) {
    const shown = await page.evaluate(() => ({
      ready: document.body.dataset.ready,
      status: document.getElementById('status').textContent,
      notice: document.getElementById('notice').textContent,
    }));
    check(false, `the map is ready (${e.message.split('\n')[0]})`, { ...shown, errors: page.errors });
  }
}

// How many of the map canvas's pixels are drawn (not transparent): the map is not blank.
function drawnPixels(page) {
  return page.evaluate(() => {
    let n = 0;
    for (const c of document.querySelectorAll('.leaflet-overlay-pane canvas')) {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4 * 7) {
        n += data[i] > 0 ? 1 : 0;
      }
    }
    return n;
  });
}

async function bundleHeaders() {
  const resp = await fetch(`${base}/map/`);
  const html = await resp.text();
  check(resp.headers.get('cache-control') === 'no-cache' && /^"/.test(resp.headers.get('etag') || ''), 'the page is no-cache with an ETag', [...resp.headers]);
  const assets = [...html.matchAll(/(?:src|href)="(dist\/assets\/app-[A-Z0-9]+\.(?:js|css))"/g)].map((m) => m[1]);
  check(assets.length === 2 && assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), 'the page loads one hashed script and one hashed style sheet', assets);
  check(!html.includes('src/main.js') && !html.includes('node_modules/leaflet/dist/leaflet.js'), 'the page loads no unbundled module');
  for (const a of assets) {
    const r = await fetch(`${base}/map/${a}`);
    await r.arrayBuffer();
    check(r.ok && r.headers.get('cache-control') === 'public, max-age=31536000, immutable', `${a} is immutable for a year`, r.headers.get('cache-control'));
  }
  const sw = await fetch(`${base}/map/sw.js`, { headers: { 'Service-Worker': 'script' } });
  const swText = await sw.text();
  check(sw.ok && /javascript/.test(sw.headers.get('content-type')) && sw.headers.get('cache-control') === 'no-cache', 'the service worker is at /map/sw.js, no-cache');
  check(assets.every((a) => swText.includes(a)), 'the worker precaches the hashed files the page names');
}

async function throttledFirstView(browser) {
  const context = await newContext(browser, { serviceWorkers: 'block' });
  const page = await watchedPage(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_4G });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(`${base}/map/`);
  await ready(page);
  const t = await page.evaluate(() => {
    const at = (name) => (performance.getEntriesByName(name)[0] || {}).startTime;
    const resources = performance.getEntriesByType('resource');
    const nav = performance.getEntriesByType('navigation')[0];
    const ready = at('cityatlas-interactive');
    return {
      firstDraw: at('cityatlas-first-draw'),
      mapMade: at('cityatlas-map-made'),
      ready,
      panels: performance.now(), // body[data-ready]: the panels have their lists too
      transfer: nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
      requests: resources.length + 1,
      // What was asked for before the map was ready, by path and query.
      early: resources.filter((r) => r.startTime < ready).map((r) => {
        const u = new URL(r.name);
        return { path: decodeURIComponent(u.pathname + u.search), start: Math.round(r.startTime), end: Math.round(r.responseEnd) };
      }),
    };
  });
  figures.throttled_first_draw_ms = Math.round(t.firstDraw);
  figures.throttled_ready_ms = Math.round(t.ready);
  figures.throttled_panels_ms = Math.round(t.panels);
  figures.throttled_transfer_kb = Math.round(t.transfer / 1024);
  figures.throttled_requests = t.requests;
  figures.machine_load_per_core = Number(LOAD.toFixed(2));
  console.log(`figures: throttled phone (slow 4G: 1.44 Mbit/s, 562 ms RTT; CPU 4x): first features drawn ${figures.throttled_first_draw_ms} ms (goal ${GOAL_FIRST_DRAW_MS}), ready ${figures.throttled_ready_ms} ms (goal ${GOAL_READY_MS}), panels ${figures.throttled_panels_ms} ms, ${figures.throttled_transfer_kb} kB in ${t.requests} requests; machine load ${figures.machine_load_per_core} per core`);
  check(page.errors.length === 0, 'no console errors on the throttled phone', page.errors);
  const early = t.early.map((r) => r.path);
  check(early.some((p) => /^\/collections\?lang=th/.test(p)) && !early.some((p) => /^\/collections\?lang=en/.test(p)), 'the first view asks for the catalog in the page\'s language only', early);
  const tilejson = t.early.find((r) => r.path.startsWith('/tiles/WebMercatorQuad/tilejson.json'));
  check(tilejson && tilejson.start < t.firstDraw, 'the base map\'s description is asked for before the first draw', { tilejson, firstDraw: t.firstDraw });
  check(!early.some((p) => /^\/(stats|scenarios)\b/.test(p)), 'statistics and scenarios are asked for after the map is ready', early);
  // A phone's browser opens six connections to the server: a request per style took them
  // all for a round trip while the layers' data waited.
  const styleRequests = t.early.filter((r) => r.path.startsWith('/styles'));
  check(styleRequests.length === 1 && styleRequests[0].path.startsWith('/styles?collections='), 'the first view\'s styles come in one request', styleRequests);
  const data = t.early.filter((r) => /^\/collections\/[^/?]+\/items\?/.test(r.path));
  check(data.length > 0 && styleRequests.length === 1 && data.every((r) => r.start < styleRequests[0].end), 'the first view\'s data is asked for beside the styles, not after them', { data, styleRequests });
  // first_view.js asks for them while the rest of the app's code is still being evaluated,
  // and main.js asks for the same URLs again only for a view whose zoom needs the map.
  check(styleRequests.length === 1 && [styleRequests[0], ...data].every((r) => r.start < t.mapMade), 'the first view\'s styles and data are asked for before the map is made', { mapMade: t.mapMade, styleRequests, data });
  const perLayer = new Map();
  for (const r of data) {
    const layer = r.path.split('?')[0];
    perLayer.set(layer, (perLayer.get(layer) || 0) + 1);
  }
  check([...perLayer.values()].every((n) => n === 1), 'each first-view layer\'s data is asked for once', [...perLayer]);
  const chunks = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.includes('/dist/assets/chunk-')).length);
  const earlyChunks = early.filter((p) => p.includes('/dist/assets/chunk-')).length;
  check(chunks > earlyChunks, 'the panels\' code is a chunk loaded after the map is ready', { chunks, earlyChunks });
  // The base map carries some of the visible layers (roads, boundaries, water): it leaves
  // them out while they are drawn as layers of their own.
  await page.waitForFunction(() => window.cityatlasMap.baseTiles() !== null, null, { timeout: 60000 });
  const twice = await page.evaluate(() => {
    const carried = window.cityatlasMap.baseMap().map((e) => e.id);
    const visible = [...document.querySelectorAll('.layer-row input:checked')].map((i) => i.id.replace(/^layer-/, ''));
    const leftOut = window.cityatlasMap.baseLeftOut();
    return { both: visible.filter((id) => carried.includes(id)), leftOut };
  });
  check(twice.both.length > 0 && twice.both.every((id) => twice.leftOut.includes(id)), 'the base map leaves out the visible layers it carries (nothing drawn twice)', twice);
  const slack = SLACK.toFixed(1);
  check(t.firstDraw > 0 && t.firstDraw < SLACK * GOAL_FIRST_DRAW_MS, `first features drawn within ${slack}x ${GOAL_FIRST_DRAW_MS} ms`, t);
  check(t.ready > 0 && t.ready < SLACK * GOAL_READY_MS, `ready within ${slack}x ${GOAL_READY_MS} ms`, t);
  check((await drawnPixels(page)) > 100, 'the throttled map is drawn');
  await page.screenshot({ path: path.join(artifactDir, 'phone-throttled.png') });
  await context.close();
}

// Styles only for the layers shown: no style of a hidden layer is fetched.
async function stylesOfVisibleLayers(page, requests) {
  const visible = await page.evaluate(() => [...document.querySelectorAll('.layer-row input:checked')].map((i) => i.id.replace(/^layer-/, '')));
  // One style per request (/styles/{id}), or several in one (/styles?collections=a,b).
  const styled = requests.flatMap((u) => {
    const url = new URL(u);
    if (/\/styles\/[^/?]+$/.test(url.pathname)) {
      return [decodeURIComponent(url.pathname.split('/').pop())];
    }
    return /\/styles$/.test(url.pathname) && url.searchParams.has('collections') ? url.searchParams.get('collections').split(',') : [];
  });
  check(styled.length > 0 && styled.every((id) => visible.includes(id)), 'styles are fetched only for the visible layers', { styled, visible });
}

async function retries(browser) {
  const context = await newContext(browser, { serviceWorkers: 'block' });
  // The failures this test makes are logged by the browser as failed loads.
  const page = await watchedPage(context, (text) => /Failed to load resource|ERR_FAILED|status of 503/.test(text));
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  let catalogTries = 0;
  let roadTries = 0; // tries of the page of features that fails once
  // The catalog fails twice (no answer, then a 503 with Retry-After), a page of features once.
  await page.route(/\/collections\?lang=th/, (route) => {
    catalogTries++;
    if (catalogTries === 1) {
      return route.abort('failed');
    }
    if (catalogTries === 2) {
      return route.fulfill({ status: 503, headers: { 'Retry-After': '1', 'Content-Type': 'application/json' }, body: '{"code":"ServiceUnavailable"}' });
    }
    return route.continue();
  });
  // The first page of features the map asks for (a layer small enough to come as GeoJSON;
  // large ones come as tiles, whose retries map_tiles.mjs checks) fails once.
  let failedItems = null;
  await page.route(/\/collections\/[^/?]+\/items\?/, (route) => {
    const url = route.request().url();
    if (failedItems === null) {
      failedItems = url;
    }
    if (url !== failedItems) {
      return route.continue();
    }
    return ++roadTries === 1 ? route.abort('failed') : route.continue();
  });
  await page.goto(`${base}/map/`);
  await ready(page);
  check(catalogTries === 3 && roadTries >= 2, 'failed JSON requests are tried again', { catalogTries, itemsTries: roadTries, failedItems });
  check((await drawnPixels(page)) > 100, 'after the retries the map is drawn');
  check(page.errors.length === 0, 'no other console errors', page.errors);
  await stylesOfVisibleLayers(page, requests);

  // A layer whose data keeps failing: the map says so, with a button that tries again.
  let down = true;
  await page.route(/\/collections\/cm-cbd-landmarks\/items/, (route) => (down ? route.abort('failed') : route.continue()));
  await page.click('#menu-button');
  await page.check('#layer-cm-cbd-landmarks');
  await page.click('#menu-button');
  const notice = page.locator('#notice');
  await notice.waitFor({ state: 'visible', timeout: 60000 });
  const words = await notice.textContent();
  check(/โหลดชั้นข้อมูลไม่สำเร็จ/.test(words) && /ลองอีกครั้ง/.test(words), 'a layer that keeps failing is said in Thai with a "try again" button', words);
  await page.screenshot({ path: path.join(artifactDir, 'phone-retry-notice.png') });
  down = false;
  await notice.locator('button').click();
  await page.waitForFunction(() => {
    const row = document.querySelector('.layer-row[data-layer="cm-cbd-landmarks"] .layer-status');
    return row && row.textContent === '';
  }, null, { timeout: 60000 });
  check(await notice.isHidden(), '"try again" loads the layer and the notice goes');
  await context.close();
}

async function offlineReload(browser) {
  const context = await newContext(browser, { serviceWorkers: 'allow' });
  const page = await watchedPage(context, (text) => /Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(text));
  await page.goto(`${base}/map/`);
  await ready(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60000 });
  // The worker keeps what the first view fetched before it was there ("keep" message),
  // and tells the page when it is done.
  await page.waitForSelector('body[data-offline-ready="true"]', { timeout: 90000 });
  const kept = await page.evaluate(async () => {
    const data = (await caches.keys()).find((n) => n.startsWith('cityatlas-data-'));
    return data ? (await (await caches.open(data)).keys()).map((k) => new URL(k.url).pathname) : [];
  });
  check(kept.some((p) => p.endsWith('/items')) && kept.some((p) => p === '/styles' || p.startsWith('/styles/')), 'the worker keeps the first view\'s data and styles', kept);
  // Tiles are fetched by the tile worker, not the page: they are kept too.
  check(kept.some((p) => p.includes('/tiles/WebMercatorQuad/')), 'and its vector tiles, fetched by the tile worker', kept);
  check(!(await page.locator('#offline-note').isVisible()), 'online: no offline note');
  await context.setOffline(true);
  await page.reload();
  await ready(page);
  check(await page.locator('#offline-note').isVisible(), 'offline: the map says it is offline');
  check((await drawnPixels(page)) > 100, 'offline: the data already seen is drawn');
  check(await page.locator('.leaflet-control-zoom').isVisible(), 'offline: the app is there');
  check(page.errors.length === 0, 'offline: no console errors but the failed loads', page.errors);
  await page.screenshot({ path: path.join(artifactDir, 'phone-offline.png') });
  await context.close();
}

const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function layout(browser) {
  const context = await newContext(browser, { serviceWorkers: 'block' });
  const page = await watchedPage(context, (text) => /Geolocation|User denied/i.test(text));
  await page.goto(`${base}/map/`);
  await ready(page);
  const scale = page.locator('.leaflet-control-scale-line');
  check(await scale.isVisible(), 'a scale bar is on the map');
  check(/\d+\s*(m|km)$/.test(await scale.textContent()), 'the scale bar is metric', await scale.textContent());
  const legend = page.locator('.map-legend');
  check(await legend.isVisible() && !(await legend.evaluate((d) => d.open)), 'the legend is on the map, folded on a phone');
  await legend.locator('summary').click();
  check((await legend.locator('.legend li').count()) > 0, 'the legend unfolds to the visible layers\' symbols');
  await legend.locator('summary').click();
  await page.click('#menu-button');
  await page.waitForTimeout(400); // the panel slides in
  const zoom = await page.locator('.leaflet-control-zoom').boundingBox();
  const locate = await page.locator('.locate-button').boundingBox();
  const search = await page.locator('#search').boundingBox();
  const panel = await page.locator('#panel').boundingBox();
  for (const [name, box] of [['zoom', zoom], ['my location', locate]]) {
    check(!overlaps(box, search), `the ${name} buttons do not cover the search box at 360x740`, { box, search });
    check(!overlaps(box, panel), `the ${name} buttons do not cover the open panel at 360x740`, { box, panel });
  }
  await page.screenshot({ path: path.join(artifactDir, 'phone-panel.png') });
  await page.fill('#search', 'ช');
  await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0, null, { timeout: 30000 });
  await page.touchscreen.tap(PHONE.width - 20, PHONE.height / 2);
  await page.waitForFunction(() => document.querySelectorAll('#search-results li').length === 0, null, { timeout: 10000 });
  check(true, 'the search list closes on a tap elsewhere');
  await page.click('#menu-button');

  // "My location" without the permission: said in Thai, on the map.
  await page.locator('.locate-button').click();
  const notice = page.locator('#notice');
  await notice.waitFor({ state: 'visible', timeout: 30000 });
  check(/ตำแหน่ง/.test(await notice.textContent()), '"my location" refused says so in Thai', await notice.textContent());
  await context.close();

  // With the permission, the map goes to the position and marks it.
  const here = { latitude: 18.79, longitude: 98.99 };
  const allowed = await newContext(browser, { serviceWorkers: 'block', geolocation: { ...here, accuracy: 30 }, permissions: ['geolocation'] });
  const page2 = await watchedPage(allowed);
  await page2.goto(`${base}/map/#map=12/18.70/98.90`);
  await ready(page2);
  await page2.locator('.locate-button').click();
  await page2.waitForFunction(({ latitude }) => /#map=1[5-6]\//.test(location.hash) && location.hash.includes(`/${latitude.toFixed(2)}`), here, { timeout: 30000 });
  check(true, '"my location" moves the map to the position');
  await page2.screenshot({ path: path.join(artifactDir, 'phone-located.png') });
  await allowed.close();
}

mkdirSync(artifactDir, { recursive: true });
const browser = await launch();
try {
  await bundleHeaders();
  await throttledFirstView(browser);
  await retries(browser);
  await offlineReload(browser);
  await layout(browser);
} finally {
  await browser.close();
}
console.log(`figures: ${JSON.stringify(figures)}`);
