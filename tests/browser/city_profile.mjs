// city_profile.mjs BASE_URL ARTIFACT_DIR - the web map follows the server's city profile
// (the landing document's "cityatlas:city"), whichever city is served: the title names the
// city in Thai and English, the first view is the profile's home view with its default
// layers, search finds a tambon by its Thai name (CITY_SEARCH) among the profile's
// boundaries, the layer list names its themes with the server's Thai names, and the
// statistic builder offers exactly the profile's boundary layers.
// Prints one "ok ..." line per check; exits 1 on the first failure.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DESKTOP, api as apiAt, check, hashParam, launch, openPage as openAt } from './lib.mjs';

const [base, artifactDir] = process.argv.slice(2);
const query = process.env.CITY_SEARCH;
const api = (p) => apiAt(base, p);
const openPage = (browser, viewport, url) => openAt(browser, base, viewport, url);

mkdirSync(artifactDir, { recursive: true });
const city = (await api('')) ['cityatlas:city'];
check(Boolean(city && city.title && city.home), 'the server serves a city profile', city);
const browser = await launch();
try {
  const page = await openPage(browser, DESKTOP, `${base}/map/`);
  check((await page.textContent('h1')).includes(city.title.th), `the Thai title names ${city.title.th}`);
  const [zoom, lat, lon] = hashParam(page, 'map').split('/').map(Number);
  check(zoom === city.home.zoom && Math.abs(lat - city.home.lat) < 0.001 && Math.abs(lon - city.home.lon) < 0.001,
    'the first view is the home view', { zoom, lat, lon, home: city.home });
  const layers = hashParam(page, 'layers').split(',');
  check(JSON.stringify([...layers].sort()) === JSON.stringify([...city.default_layers].sort()),
    'the default layers are the profile\'s', { layers, want: city.default_layers });
  const themes = new Set(city.themes.map((t) => t.title.th));
  const legends = await page.$$eval('#layer-list legend', (els) => els.map((e) => e.textContent));
  check(legends.length > 0 && legends.every((l) => themes.has(l)), 'the layer list names themes with the server\'s Thai names', legends);
  await page.click('#search');
  await page.keyboard.type(query);
  await page.waitForSelector('#search-results [role="option"]');
  check((await page.textContent('#search-results [role="option"]')).includes(query), `searching "${query}" finds it`);
  const before = hashParam(page, 'map');
  await page.keyboard.press('Enter');
  await page.waitForFunction((b) => new URLSearchParams(location.hash.slice(1)).get('map') !== b, before);
  await page.click('.lang-switch button[data-lang="en"]');
  check((await page.textContent('h1')).includes(city.title.en), `the English title names ${city.title.en}`);
  await page.click('#tab-stats');
  await page.click('.stat-builder summary');
  const offered = await page.$$eval('#build-by option', (els) => els.map((e) => e.value));
  check(JSON.stringify(offered) === JSON.stringify(city.boundaries.map((b) => b.layer)),
    'the statistic builder offers the profile\'s boundaries', { offered });
  await page.screenshot({ path: path.join(artifactDir, 'city-first-view.png') });
  check(page.errors.length === 0 && page.foreign.length === 0, 'no console errors or foreign requests', [page.errors, page.foreign]);
  await page.context().close();
} finally {
  await browser.close();
}
