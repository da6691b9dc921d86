// stats_panel.mjs BASE_URL ARTIFACT_DIR - the web map's statistics panel in Debian's
// Chromium (playwright-core) against a real `cityatlas serve` on the bundled data, checked
// against the same server's /stats answers: every featured statistic's legend and ranking
// carry the unit of the mapped column (both languages, desktop and phone) and no class
// reads "x – x"; a "by type" statistic shows its categories; Thai mode shows the Thai
// definition; tapping an area on a phone (through the boundary layer drawn above it) shows
// its value with unit, rank and definition, not the raw attributes; the builder makes a
// per-capita statistic of chosen categories whose areas without population are listed and
// hatched as "no data", and its share image (200, image/png, decoded by the browser); the
// caption of a featured and of a built statistic is copied (read back from the clipboard).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, api as apiAt, check, hashParam, launch, openPage as openAt } from './lib.mjs';

const [base, artifactDir] = process.argv.slice(2);
const api = (p) => apiAt(base, p);
const openPage = (browser, viewport, url) => openAt(browser, base, viewport, url);
const pick = (text, lang) => (text && typeof text === 'object' ? text[lang] || text.en : text || '');
const THAI = /[\u0E00-\u0E7F]/;

// A point inside a (multi)polygon: the middle of the widest inside run of the horizontal
// line through the middle of its largest ring's box (ray casting, as stats_area.js does).
function insidePoint(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const span = (ring) => Math.max(...ring.map((p) => p[0])) - Math.min(...ring.map((p) => p[0]));
  const rings = polygons.sort((a, b) => span(b[0]) - span(a[0]))[0];
  const ys = rings[0].map((p) => p[1]);
  const y = (Math.min(...ys) + Math.max(...ys)) / 2;
  const xs = [];
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y) {
        xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
      }
    }
  }
  xs.sort((a, b) => a - b);
  let best = null;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (!best || xs[i + 1] - xs[i] > best[1] - best[0]) {
      best = [xs[i], xs[i + 1]];
    }
  }
  return { lon: (best[0] + best[1]) / 2, lat: y };
}

// The panel's statistic for lang, through the select, once its legend is drawn.
async function showFeatured(page, id) {
  await page.selectOption('#stat-select', id);
  await page.waitForFunction((want) => {
    const h = document.querySelector('#stat-body h3');
    return h && document.querySelector('#stats-legend li') && new URLSearchParams(location.hash.slice(1)).get('stat') === want;
  }, id);
}

// Units in the legend and the ranking caption, categories of a "by type" statistic.
async function featuredUnits(browser, viewport, lang, shot) {
  const list = await api('stats/featured');
  const page = await openPage(browser, viewport, `${base}/map/#lang=${lang}`);
  if (viewport === PHONE) {
    await page.click('#menu-button');
  }
  await page.click('#tab-stats');
  for (const s of list.statistics) {
    const stat = await api(`stats/featured/${s.id}?f=json`);
    await showFeatured(page, s.id);
    const column = stat.classes.column;
    const unit = pick(stat.units && stat.units[column], lang);
    const entries = await page.$$eval('#stats-legend li:not(.legend-no-data)', (els) => els.map((e) => e.textContent));
    check(entries.length === stat.classes.colors.length, `${s.id} (${lang}): one legend entry per class`, entries);
    if (unit) {
      check(entries.every((e) => e.endsWith(` ${unit}`)), `${s.id} (${lang}): every class ends with its unit "${unit}"`, entries);
      const caption = await page.textContent('.stats-ranking figcaption');
      check(caption.includes(unit), `${s.id} (${lang}): the ranking names the unit`, caption);
    } else {
      check(column === 'value' && stat.definition.metric !== 'count', `${s.id}: only a plain field's value goes without a unit`, stat.units);
    }
    const collapsed = entries.filter((e) => {
      const m = /^(.+?) – (.+?)(?: |$)/.exec(e);
      return m && m[1] === m[2];
    });
    check(collapsed.length === 0, `${s.id} (${lang}): no class reads "x – x"`, entries);
    if (stat.query.group) {
      const groups = [...new Set(stat.rows.filter((r) => r.group).map((r) => r.group))];
      const label = await page.getAttribute('.stats-groups canvas', 'aria-label');
      check(groups.length > 1 && groups.every((g) => label.includes(g)), `${s.id}: the categories are drawn (${groups.join(', ')})`, label);
      if (viewport === DESKTOP && lang === 'en') {
        await page.locator('.stats-groups').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(artifactDir, 'desktop-by-type.png') });
      }
    }
  }
  check(page.errors.length === 0 && page.foreign.length === 0, `no errors or foreign requests (${lang})`, [page.errors, page.foreign]);
  await page.screenshot({ path: path.join(artifactDir, `${shot}.png`) });
  await page.context().close();
}

// Thai mode shows the Thai definition, not the English one.
async function thaiDefinition(browser) {
  const id = 'road-length-per-km2-city-tambon';
  const stat = await api(`stats/featured/${id}?f=json`);
  const page = await openPage(browser, PHONE, `${base}/map/#stat=${id}&lang=th`);
  await page.waitForSelector('.stats-definition');
  const shown = await page.textContent('.stats-definition');
  check(shown === stat.definition.text.th && THAI.test(shown), 'Thai mode shows the Thai definition', shown);
  check(shown !== stat.definition.text.en, 'not the English one');
  await page.context().close();
}

// A tap on an area, through the tambon layer drawn above the choropleth.
async function tapArea(browser) {
  const id = 'road-length-per-km2-city-tambon';
  const stat = await api(`stats/featured/${id}?f=geojson&lang=th`);
  const column = stat.classes.column;
  const valued = stat.features.filter((f) => typeof f.properties[column] === 'number');
  const top = valued.sort((a, b) => b.properties[column] - a.properties[column])[1]; // rank 2
  const { lat, lon } = insidePoint(top.geometry);
  const page = await openPage(browser, PHONE, `${base}/map/#map=15/${lat}/${lon}&layers=cm-tambon&stat=${id}&lang=th`);
  await page.waitForFunction(() => document.querySelector('#stats-legend li'));
  const map = await page.locator('#map').boundingBox();
  await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
  await page.waitForSelector('.stats-area', { timeout: 10000 });
  const name = await page.textContent('.stats-area h3');
  const value = await page.textContent('.stats-area-value');
  const rank = await page.textContent('.stats-area-rank');
  const definition = await page.textContent('.stats-area-definition');
  const unit = pick(stat.units[column], 'th');
  check(name === top.properties.area_name, 'the tapped area is named', { name, want: top.properties.area_name });
  const want = top.properties[column].toLocaleString('th-TH', { maximumFractionDigits: top.properties[column] >= 100 ? 0 : top.properties[column] >= 10 ? 1 : 2 });
  check(value === `${want} ${unit}`, 'its value is shown with its unit', { value, want: `${want} ${unit}` });
  check(rank.includes(`2 จาก ${valued.length}`), 'its rank is shown (2 of the areas with a value)', rank);
  check(definition === stat.definition.text.th, 'its definition is shown (Thai)', definition);
  check(await page.locator('.feature-popup').count() === 0, 'not the raw attributes of the tambon layer');
  await page.waitForTimeout(500); // the popup pans the map into view
  await page.screenshot({ path: path.join(artifactDir, 'phone-area-popup.png') });
  check(await page.locator('.stats-area').count() === 1, 'the popup stays open');
  check(page.errors.length === 0 && page.foreign.length === 0, 'no errors or foreign requests while tapping', [page.errors, page.foreign]);
  await page.context().close();
}

async function grantClipboard(page) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(base).origin });
}

async function copiedCaption(page, want, what) {
  await page.click('.copy-caption');
  await page.waitForFunction(() => document.querySelector('.copy-message').textContent !== '');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(want.length > 20 && copied === want, `the caption of ${what} is copied`, { copied: copied.slice(0, 80), want: want.slice(0, 80) });
}

// The featured statistic's caption, copied.
async function featuredCaption(browser) {
  const id = 'hospital-distance-by-district';
  const stat = await api(`stats/featured/${id}?f=json`);
  const page = await openPage(browser, DESKTOP, `${base}/map/#stat=${id}&lang=en`);
  await grantClipboard(page);
  await page.waitForSelector('.copy-caption');
  await copiedCaption(page, pick(stat.caption, 'en'), 'a featured statistic');
  await page.context().close();
}

// The builder: hospitals (chosen from the category values) per capita by district.
async function builtPerCapita(browser) {
  const page = await openPage(browser, DESKTOP, `${base}/map/#lang=en`);
  await grantClipboard(page);
  await page.click('#tab-stats');
  await page.click('.stat-builder summary');
  await page.selectOption('#build-layer', 'cm-cbd-pois');
  await page.waitForSelector('#build-filter-field option[value="category"]', { state: 'attached' });
  await page.selectOption('#build-filter-field', 'category');
  await page.waitForSelector('#build-values input[value="hospital"]');
  await page.check('#build-values input[value="hospital"]');
  await page.selectOption('#build-by', 'cm-districts');
  await page.selectOption('#build-metric', 'count');
  await page.selectOption('#build-column', 'per_capita');
  await page.click('.stat-builder button[type="submit"]');
  await page.waitForSelector('#stats-legend li');
  check(hashParam(page, 'sq') === 'cm-cbd-pois~cm-districts~count~per_capita~category~hospital', 'the built statistic is in the URL', hashParam(page, 'sq'));
  const query = 'stats?layer=cm-cbd-pois&by=cm-districts&metric=count&classify-column=per_capita'
    + `&filter=${encodeURIComponent("\"category\" IN ('hospital')")}`
    + '&population=population&population-from=cm-district-population&join=ADM2_PCODE:adm2_pcode';
  const stat = await api(`${query}&f=geojson&lang=en`);
  const missing = stat.features.filter((f) => typeof f.properties.per_capita !== 'number');
  check(missing.length > 0, 'some districts have no population figure', missing.length);
  const unit = pick(stat.units.per_capita, 'en');
  const entries = await page.$$eval('#stats-legend li:not(.legend-no-data)', (els) => els.map((e) => e.textContent));
  check(entries.every((e) => e.endsWith(` ${unit}`)), `the classes are "${unit}"`, entries);
  const noData = await page.textContent('#stats-legend .legend-no-data');
  check(noData === `no data (${missing.length})`, 'the legend has a "no data" entry with their count', noData);
  const hatched = await page.$eval('#stats-legend .legend-no-data .swatch', (e) => e.style.getPropertyValue('--swatch'));
  check(hatched.startsWith('url(data:image/png'), 'drawn hatched', hatched.slice(0, 30));
  const listed = await page.textContent('.stats-no-data');
  check(missing.every((f) => listed.includes(f.properties.area_name)), 'the areas without data are listed by name', listed);
  const ranked = await page.getAttribute('.stats-ranking canvas', 'aria-label');
  check(missing.every((f) => !ranked.includes(f.properties.area_name)), 'and never ranked as 0', ranked);
  // A district without population, tapped in the view the copied URL opens: "no data".
  const { lat, lon } = insidePoint(missing[0].geometry);
  const again = await openPage(browser, DESKTOP, `${base}/map/#map=12/${lat}/${lon}&layers=cm-districts&sq=${encodeURIComponent(hashParam(page, 'sq'))}&lang=en`);
  await again.waitForSelector('#stats-legend li');
  const map = await again.locator('#map').boundingBox();
  await again.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
  await again.waitForSelector('.stats-area', { timeout: 10000 });
  check(await again.textContent('.stats-area h3') === missing[0].properties.area_name, 'a tapped district without population is named');
  check(await again.textContent('.stats-area-value') === 'no data', 'and says "no data", not 0', await again.textContent('.stats-area'));
  check(await again.locator('.stats-area-rank').count() === 0, 'and has no rank');
  await again.context().close();
  await page.locator('#stats-legend').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifactDir, 'desktop-built-per-capita.png') });

  // Its share image, from the server's route for any /stats query.
  const [resp] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/stats/share.png')),
    page.click('.make-share-image'),
  ]);
  check(resp.status() === 200 && resp.headers()['content-type'] === 'image/png', 'its share image answers 200 image/png', [resp.status(), resp.headers()['content-type']]);
  await page.waitForFunction(() => {
    const img = document.querySelector('.stats-share-image img');
    return img && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 60000 });
  const size = await page.$eval('.stats-share-image img', (img) => [img.naturalWidth, img.naturalHeight]);
  check(size[0] >= 600 && size[1] >= 300, 'the image loads in the page', size);
  const json = await api(`${query}&f=json`);
  await copiedCaption(page, pick(json.caption, 'en'), 'the built statistic');
  check(page.errors.length === 0 && page.foreign.length === 0, 'no errors or foreign requests while building', [page.errors, page.foreign]);
  await page.context().close();
}

mkdirSync(artifactDir, { recursive: true });
const browser = await launch();
try {
  await featuredUnits(browser, DESKTOP, 'en', 'desktop-units-en');
  await featuredUnits(browser, PHONE, 'th', 'phone-units-th');
  await thaiDefinition(browser);
  await tapArea(browser);
  await featuredCaption(browser);
  await builtPerCapita(browser);
} finally {
  await browser.close();
}
