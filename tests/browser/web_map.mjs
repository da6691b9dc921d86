// web_map.mjs BASE_URL ARTIFACT_DIR - the web map in Debian's Chromium, driven by
// playwright-core, against a real `cityatlas serve` on the bundled data. Checks what a
// person on a phone and at a workshop laptop does: the first view loads (no console
// errors, no request to another host, under 1.5 MB), a layer toggles, a popup shows a
// Thai name, the language switches, a featured statistic shows its legend, a copied URL
// reopens the same view, search finds a tambon by Thai and Latin name, the layer list
// works from the keyboard. Screenshots at 390x844 and 1280x800 go to ARTIFACT_DIR.
// Prints one "ok ..." line per check and the measured figures; exits 1 on the first failure.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, api as apiAt, check, hashOf, hashParam, launch, openPage as openAt } from './lib.mjs';

const [base, artifactDir] = process.argv.slice(2);
const MB = 1024 * 1024;
const figures = {};
const api = (p) => apiAt(base, p);
const openPage = (browser, viewport, url) => openAt(browser, base, viewport, url);

// The first view: transfer size and time to interactive from the page's own timings.
async function firstView(browser) {
  const page = await openPage(browser, PHONE, `${base}/map/`);
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const mark = performance.getEntriesByName('cityatlas-interactive')[0];
    return {
      transfer: nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
      decoded: nav.decodedBodySize + resources.reduce((s, r) => s + r.decodedBodySize, 0),
      requests: resources.length + 1,
      interactiveMs: mark ? mark.startTime : null,
      domContentLoadedMs: nav.domContentLoadedEventEnd,
    };
  });
  Object.assign(figures, {
    first_view_transfer_kb: Math.round(timing.transfer / 1024),
    first_view_decoded_kb: Math.round(timing.decoded / 1024),
    first_view_requests: timing.requests,
    time_to_interactive_ms: Math.round(timing.interactiveMs),
    dom_content_loaded_ms: Math.round(timing.domContentLoadedMs),
  });
  check(page.errors.length === 0, 'no console errors on the first view', page.errors);
  check(page.foreign.length === 0, 'no request to another host', page.foreign);
  check(timing.transfer > 10000 && timing.transfer < 1.5 * MB, 'first view transfers under 1.5 MB', timing);
  check(timing.interactiveMs !== null, 'the page marks when it is interactive');
  check(hashParam(page, 'layers').split(',').includes('cm-cbd-roads') && hashParam(page, 'lang') === 'th', 'the default view is in the URL', hashOf(page));
  const itemRequests = page.requests.filter((u) => u.includes('/items'));
  check(itemRequests.every((u) => /[?&]zoom=\d+/.test(u) && /[?&]limit=\d+/.test(u)), 'every feature request is simplified and bounded', itemRequests);
  const roadTiles = page.requests.filter((u) => u.includes('/collections/cm-cbd-roads/tiles/WebMercatorQuad/'));
  check(roadTiles.length > 0 && roadTiles.length <= 30, 'the road network arrives as the view\'s vector tiles', roadTiles.length);
  check(!itemRequests.some((u) => u.includes('cm-cbd-roads')), 'no items pages of the (large) road network', itemRequests);
  await page.screenshot({ path: path.join(artifactDir, 'phone-first-view.png') });
  return page;
}

async function toggleAndPopup(browser) {
  const landmarks = await api('collections/cm-cbd-landmarks/items?limit=100');
  const landmark = landmarks.features.find((f) => /[\u0E00-\u0E7F]/.test(f.properties.name || ''));
  const [lon, lat] = landmark.geometry.coordinates;
  const page = await openPage(browser, PHONE, `${base}/map/#map=17/${lat}/${lon}&layers=cm-districts&lang=th`);
  await page.click('#menu-button');
  const box = page.locator('#layer-cm-cbd-landmarks');
  check(!(await box.isChecked()), 'the landmarks start hidden');
  await box.check();
  await page.waitForFunction(() => {
    const row = document.querySelector('[data-layer="cm-cbd-landmarks"]');
    return row.classList.contains('is-visible') && row.querySelector('.layer-status').textContent === '';
  });
  check(hashParam(page, 'layers').split(',').includes('cm-cbd-landmarks'), 'the toggled layer is in the URL', hashOf(page));
  check(await page.locator('[data-layer="cm-cbd-landmarks"] .legend li').count() > 0, 'a visible layer shows its legend');
  await page.click('#menu-button');
  const map = await page.locator('#map').boundingBox();
  // The panel's slide-out transition (slow on a loaded machine): until the map is on top.
  await page.waitForFunction(([x, y]) => Boolean(document.elementFromPoint(x, y)?.closest('#map')), [map.x + map.width / 2, map.y + map.height / 2]);
  await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
  await page.waitForSelector('.feature-popup h3', { timeout: 10000 });
  const title = await page.textContent('.feature-popup h3');
  check(title === landmark.properties.name, 'the popup shows the landmark\'s Thai name', { title, want: landmark.properties.name });
  await page.screenshot({ path: path.join(artifactDir, 'phone-popup.png') });
  await page.click('#menu-button');
  await box.uncheck();
  check(!hashParam(page, 'layers').split(',').includes('cm-cbd-landmarks'), 'unticking removes the layer from the URL');
  check(page.errors.length === 0 && page.foreign.length === 0, 'no errors or foreign requests while toggling', [page.errors, page.foreign]);
  await page.context().close();
}

async function languageStatsAndReload(browser) {
  const page = await openPage(browser, DESKTOP, `${base}/map/`);
  await page.click('.lang-switch button[data-lang="en"]');
  check(await page.textContent('h1') === 'Chiang Mai city map', 'the title switches to English');
  check(await page.getAttribute('html', 'lang') === 'en', 'the page language is en');
  const districts = await api('collections/cm-districts?lang=en');
  check(await page.textContent('label[for="layer-cm-districts"]') === districts.title, 'layer titles switch to English', districts.title);
  check(hashParam(page, 'lang') === 'en', 'the language is in the URL');

  const statId = 'hospital-distance-by-district';
  const stat = await api(`stats/featured/${statId}?f=json&lang=en`);
  await page.click('#tab-stats');
  await page.selectOption('#stat-select', statId);
  await page.waitForSelector('#stats-legend li');
  const swatches = await page.$$eval('#stats-legend .swatch', (els) => els.map((e) => e.style.getPropertyValue('--swatch')));
  check(JSON.stringify(swatches) === JSON.stringify(stat.classes.colors), 'the legend has the statistic\'s classes and colours', { swatches, want: stat.classes.colors });
  const legendTexts = await page.$$eval('#stats-legend li', (els) => els.map((e) => e.textContent));
  const labels = stat.classes.labels.map((l) => l.en);
  check(JSON.stringify(legendTexts) === JSON.stringify(labels), 'the legend has the classes\' ranges with their unit', { legendTexts, labels });
  check(await page.locator('.stats-chart canvas').count() === 1, 'a ranking chart is drawn');
  const about = await page.textContent('#stat-body');
  check(about.includes(stat.sources[0].attribution) && about.includes('Definition'), 'definition and sources are shown', about.slice(0, 200));
  check(hashParam(page, 'stat') === statId, 'the statistic is in the URL');
  await page.screenshot({ path: path.join(artifactDir, 'desktop-statistic.png') });

  // Reload from the copied URL in a fresh browser context: the same view.
  const url = page.url();
  const again = await openPage(browser, DESKTOP, url);
  await again.waitForSelector('#stats-legend li');
  check(hashOf(again) === new URL(url).hash, 'the copied URL reopens the same position, layers, statistic and language', { was: new URL(url).hash, now: hashOf(again) });
  check(await again.inputValue('#stat-select') === statId, 'the statistic is selected again');
  check(await again.textContent('h1') === 'Chiang Mai city map', 'the language is English again');
  const ticked = await again.$$eval('.layer-list input:checked', (els) => els.map((e) => e.id.replace('layer-', '')).join(','));
  check(ticked.split(',').sort().join() === hashParam(again, 'layers').split(',').sort().join(), 'the ticked layers are the URL\'s', ticked);
  await again.screenshot({ path: path.join(artifactDir, 'desktop-reloaded.png') });
  check(page.errors.length + again.errors.length === 0, 'no console errors with the statistic', [page.errors, again.errors]);
  check(page.foreign.length + again.foreign.length === 0, 'no foreign requests with the statistic');
  await page.context().close();
  await again.context().close();
}

async function searchAndKeyboard(browser) {
  const page = await openPage(browser, DESKTOP, `${base}/map/`);
  for (const [query, want] of [['san sai', 'San Sai'], ['ศรีภูมิ', 'ศรีภูมิ']]) {
    await page.fill('#search', '');
    await page.click('#search');
    await page.keyboard.type(query);
    await page.waitForSelector('#search-results [role="option"]');
    check((await page.textContent('#search-results [role="option"]')).includes(want), `searching "${query}" finds ${want}`);
    const before = hashParam(page, 'map');
    await page.keyboard.press('Enter');
    await page.waitForFunction((b) => new URLSearchParams(location.hash.slice(1)).get('map') !== b, before);
  }
  const [zoom, lat, lon] = hashParam(page, 'map').split('/').map(Number);
  check(zoom >= 13 && Math.abs(lat - 18.79) < 0.03 && Math.abs(lon - 98.99) < 0.03, 'the map zoomed to Si Phum', { zoom, lat, lon });
  await page.screenshot({ path: path.join(artifactDir, 'desktop-search.png') });

  // The layer list from the keyboard: focus a checkbox, Space ticks it.
  await page.focus('#layer-cm-cbd-residential-places');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => location.hash.includes('cm-cbd-residential-places'));
  check(await page.isChecked('#layer-cm-cbd-residential-places'), 'Space on a focused layer ticks it');
  check(page.errors.length === 0 && page.foreign.length === 0, 'no errors or foreign requests while searching', [page.errors, page.foreign]);
  await page.context().close();
}

// "Or build one": a statistic from the /stats API through the form, shared by its URL.
async function builtStatistic(browser) {
  const page = await openPage(browser, DESKTOP, `${base}/map/#lang=en`);
  await page.click('#tab-stats');
  await page.click('.stat-builder summary');
  await page.selectOption('#build-layer', 'cm-cbd-roads');
  await page.selectOption('#build-by', 'cm-tambon');
  await page.selectOption('#build-metric', 'length');
  await page.selectOption('#build-column', 'per_km2');
  await page.click('.stat-builder button[type="submit"]');
  await page.waitForSelector('#stats-legend li');
  const stat = await api('stats?layer=cm-cbd-roads&by=cm-tambon&metric=length&classify-column=per_km2');
  const swatches = await page.$$eval('#stats-legend .swatch', (els) => els.map((e) => e.style.getPropertyValue('--swatch')));
  check(JSON.stringify(swatches) === JSON.stringify(stat.classes.colors), 'a built statistic shows the API\'s classes', { swatches, want: stat.classes });
  check(hashParam(page, 'sq') === 'cm-cbd-roads~cm-tambon~length~per_km2', 'the built statistic is in the URL', hashParam(page, 'sq'));
  check((await page.textContent('#stat-body h3')).includes('Road network'), 'its heading names the layer');
  const again = await openPage(browser, DESKTOP, page.url());
  await again.waitForSelector('#stats-legend li');
  check(await again.inputValue('#build-metric') === 'length', 'the copied URL rebuilds the statistic');
  check(page.errors.length + again.errors.length === 0, 'no console errors with a built statistic', [page.errors, again.errors]);
  await page.context().close();
  await again.context().close();
}

mkdirSync(artifactDir, { recursive: true });
const browser = await launch();
try {
  const first = await firstView(browser);
  await first.context().close();
  await toggleAndPopup(browser);
  await languageStatsAndReload(browser);
  await searchAndKeyboard(browser);
  await builtStatistic(browser);
  const desk = await openPage(browser, DESKTOP, `${base}/map/`);
  await desk.screenshot({ path: path.join(artifactDir, 'desktop-first-view.png') });
  await desk.context().close();
} finally {
  await browser.close();
}
console.log(`figures ${JSON.stringify(figures)}`);
