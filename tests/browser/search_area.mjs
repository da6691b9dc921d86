// search_area.mjs BASE_URL ARTIFACT_DIR - finding "my tambon" in the web map: Thai typed
// with an administrative prefix, spaces and the tone mark before the vowel, and Latin
// spellings that differ from the data's (also of names the data has only in Thai), each
// give the expected first result under the
// expected kind heading (a named street too, which is zoomed to; a layer searched in part
// says so); choosing the tambon
// outlines it on the map (in view), and its summary counts every layer's features in it: the counts equal WANT_COUNTS (SpatiaLite's,
// from web_search.sh) and the categories WANT_GROUPS; the summary follows the language.
// Prints one "ok ..." line per check; exits 1 on the first failure.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, check, launch, openPage as openAt } from './lib.mjs';

const [base, artifactDir] = process.argv.slice(2);
const wantCounts = JSON.parse(process.env.WANT_COUNTS);
const wantGroups = JSON.parse(process.env.WANT_GROUPS);
const openPage = (browser, viewport, url) => openAt(browser, base, viewport, url);
mkdirSync(artifactDir, { recursive: true });

// Types query key by key (or pastes it, when paste), and returns the list shown.
async function typeQuery(page, query, paste = false) {
  await page.fill('#search', '');
  await page.click('#search');
  if (paste) {
    await page.fill('#search', query);
  } else {
    await page.keyboard.type(query);
  }
  await page.waitForSelector('#search-results [role="option"], #search-results .search-empty');
  return page.$$eval('#search-results li', (els) => els.map((e) => ({ cls: e.className, text: e.textContent })));
}

// [typed, the first result's text must include, the first heading]
const QUERIES = [
  ['ต.สุเทพ', 'สุเทพ', 'ตำบล'],
  ['ตำบล พระ สิงห์', 'พระสิงห์', 'ตำบล'],
  // ห้วยแก้ว with the tone mark typed after the vowel above it would be; here typed first.
  ['ต.ห\u0e49\u0e27ยแก\u0e49ว', 'ห้วยแก้ว', 'ตำบล'],
  ['อ.สันทราย', 'สันทราย', 'อำเภอ'],
  ['Phra Singh', 'Phra Sing', 'ตำบล'],
  ['huay kaew', 'Huai Kaeo', 'ตำบล'],
  ['sansai', 'San Sai', 'อำเภอ'],
  ['tambon suthep', 'Suthep', 'ตำบล'],
  // Names the data has only in Thai, found by their Latin reading (web/src/thai_romanize.js).
  ['wat phra singh', 'วัดพระสิงห์', 'สถานที่'],
  ['kad luang', 'กาดหลวง', 'แลนด์มาร์ก'],
  // A layer outside the profile with a name property (web_search.sh imports it), by its title.
  ['ถนน ทดสอบ ค้นหา', 'ถนนทดสอบค้นหา', 'ถนนทดสอบ'],
  ['soi search-test', 'Soi Search Test', 'ถนนทดสอบ'],
];

const browser = await launch();
try {
  const page = await openPage(browser, DESKTOP, `${base}/map/`);
  for (const [query, want, heading] of QUERIES) {
    const items = await typeQuery(page, query);
    const firstOption = items.find((i) => !i.cls.includes('search-group'));
    check(items[0].cls.includes('search-group') && items[0].text === heading && firstOption && firstOption.text.includes(want),
      `"${query}" finds ${want} first, under ${heading}`, items.slice(0, 3));
  }
  // A street is shown, not summarised.
  await typeQuery(page, 'ถนนทดสอบค้นหา');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => {
    const [z, lat, lon] = new URLSearchParams(location.hash.slice(1)).get('map').split('/').map(Number);
    return z >= 14 && Math.abs(lat - 18.8025) < 0.01 && Math.abs(lon - 98.965) < 0.01;
  });
  check(await page.isHidden('#area-summary'), 'choosing a street zooms to it without an area summary');
  const hostile = await typeQuery(page, `${'ก'.repeat(3000)}\u0000<b>`, true);
  check(hostile[0].cls === 'search-empty' && hostile.every((i) => i.cls !== ''), 'a long hostile query says nothing matches', hostile.slice(0, 2));
  // A layer with more names than the search keeps: found in part, and the list says so.
  const pins = await typeQuery(page, 'หมุดทดสอบ');
  const note = pins.find((i) => i.cls === 'search-note');
  check(pins[0].text === 'หมุดทดสอบจำนวนมาก' && note && note.text.includes('5,000') && note.text.includes('5,100') && note.text.includes('หมุดทดสอบจำนวนมาก'),
    'a layer searched in part says how much of it was searched', pins.filter((i) => i.cls !== ''));

  // Choose ต.สุเทพ from the keyboard.
  await typeQuery(page, 'ต.สุเทพ');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#area-summary:not([hidden])');
  await page.waitForFunction(
    (n) => document.querySelectorAll('#area-summary .area-summary-count[data-count]').length === n,
    Object.keys(wantCounts).length,
    { timeout: 60000 },
  );
  check((await page.textContent('#area-summary h2')).includes('ตำบล สุเทพ'), 'the summary names ตำบล สุเทพ');
  const counts = await page.$$eval('#area-summary .area-summary-layers > li', (els) =>
    Object.fromEntries(els.map((li) => [li.dataset.layer, Number(li.querySelector('.area-summary-count').dataset.count)])));
  for (const [layer, n] of Object.entries(wantCounts)) {
    check(counts[layer] === n, `${layer}: ${n} features in ตำบลสุเทพ, as SpatiaLite counts`, counts);
  }
  for (const [layer, groups] of Object.entries(wantGroups)) {
    const shown = await page.$$eval(`#area-summary li[data-layer="${layer}"] .area-summary-groups li`, (els) => els.map((e) => e.textContent));
    // At most 8 categories; the rest would be summed as "อื่น ๆ".
    const sorted = Object.entries(groups).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const rest = sorted.slice(8).reduce((sum, [, n]) => sum + n, 0);
    const want = [...sorted.slice(0, 8), ...(rest ? [['อื่น ๆ', rest]] : [])].map(([g, n]) => `${g}: ${n.toLocaleString('th-TH')}`);
    check(JSON.stringify(shown) === JSON.stringify(want), `${layer}: every category counted as SpatiaLite counts, the largest first`, { shown, want });
  }
  // The outline is drawn, and the view holds it.
  await page.waitForSelector('path.area-outline');
  const [outline, mapBox] = await Promise.all([page.locator('path.area-outline').boundingBox(), page.locator('#map').boundingBox()]);
  check(outline && outline.width > 50 && outline.height > 50 &&
    outline.x >= mapBox.x - 2 && outline.y >= mapBox.y - 2 &&
    outline.x + outline.width <= mapBox.x + mapBox.width + 2 && outline.y + outline.height <= mapBox.y + mapBox.height + 2,
  'the tambon is outlined and the view fits it', { outline, mapBox });
  await page.waitForFunction(() => {
    const [z, lat, lon] = new URLSearchParams(location.hash.slice(1)).get('map').split('/').map(Number);
    return z >= 11 && Math.abs(lat - 18.8) < 0.1 && Math.abs(lon - 98.93) < 0.1;
  });
  check(true, 'the map moved to Suthep');
  await page.screenshot({ path: path.join(artifactDir, 'desktop-tambon-summary.png') });

  await page.click('.lang-switch button[data-lang="en"]');
  check((await page.textContent('#area-summary h2')).includes('tambon Suthep'), 'the summary follows English');
  check((await page.textContent('#area-summary h3')) === 'In this area', 'its heading is English');
  await page.click('.area-summary-close');
  check(await page.isHidden('#area-summary') && (await page.locator('path.area-outline').count()) === 0, 'closing removes the summary and the outline');
  check(page.errors.length === 0 && page.foreign.length === 0, 'no errors or foreign requests while searching', [page.errors, page.foreign]);
  await page.context().close();

  // On a phone, from the menu.
  const phone = await openPage(browser, PHONE, `${base}/map/`);
  await phone.click('#menu-button');
  await typeQuery(phone, 'Phra Singh');
  await phone.keyboard.press('Enter');
  await phone.waitForSelector('#area-summary .area-summary-count[data-count]');
  check((await phone.textContent('#area-summary h2')).includes('พระสิงห์'), 'on a phone, Phra Singh opens ตำบล พระสิงห์');
  await phone.screenshot({ path: path.join(artifactDir, 'phone-tambon-summary.png') });
  check(phone.errors.length === 0, 'no errors on the phone', phone.errors);
  await phone.context().close();
} finally {
  await browser.close();
}
