// scenario_builder.mjs BASE_URL ARTIFACT_DIR - a facilitator builds scenarios in the web map
// without writing JSON (Debian's Chromium through playwright-core, a real `cityatlas serve`
// with the bundled catalog and scenarios; ADMIN_TOKEN from the environment). On a laptop in
// Thai: an empty title is refused on its field before anything is sent; a new scenario gets
// its extent from the map's view, a layer from the catalog with its own title and a filter
// made by ticking two categories, and sketch kinds whose default colours differ from the
// layer's and from each other; an extent outside the city and a taken id are refused by the
// server and shown on their fields in Thai, changing nothing; the scenario is duplicated,
// edited (a value unticked) and the copy deleted after a confirmation and brought back,
// sketches included, by "undo". The server's documents are checked after every step.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, check, launch, openPage } from './lib.mjs';

const [base, artifactDir] = process.argv.slice(2);
const TOKEN = process.env.ADMIN_TOKEN;
const NEW_ID = 'schools-and-markets';
const LAYER = 'cm-cbd-pois';

async function get(p) {
  const resp = await fetch(new URL(p, base));
  return { status: resp.status, body: resp.ok ? await resp.json() : null };
}

async function scenarioIds() {
  return (await get('scenarios')).body.scenarios.map((s) => s.id).sort();
}

// An expected refusal (400/404/409) is also logged by Chromium as a console error.
const expected = (text) => /status of 40[049]/.test(text);

async function message(page) {
  try {
    await page.waitForFunction(() => document.getElementById('builder-message').textContent !== '', null, { timeout: 15000 });
  } catch {
    check(false, 'the builder says something', page.errors);
  }
  return page.textContent('#builder-message');
}

async function clearMessage(page) {
  await page.evaluate(() => { document.getElementById('builder-message').textContent = ''; });
}

async function openBuilder(page) {
  await page.click('#tab-scenarios');
  await page.locator('#scenario-builder').evaluate((d) => { d.open = true; });
}

async function tick(page, value) {
  const box = page.locator(`.builder-row[data-layer="${LAYER}"] .filter-values input[value="${value}"]`);
  await box.waitFor({ timeout: 20000 });
  await box.check();
}

async function hexToRgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

// The map's view far outside the city: the server refuses the extent, shown on its field.
async function extentOutside(browser) {
  const page = await openPage(browser, base, DESKTOP, `${base}/map/#map=12/13.7500/100.5000&layers=cm-districts&lang=th`, expected);
  await openBuilder(page);
  await page.fill('#builder-token', 'not-a-token');
  await page.click('#scenario-builder form button[type="submit"]');
  check((await message(page)).includes('cat_'), 'a malformed token is refused in the page');
  await page.fill('#builder-token', TOKEN);
  await page.click('#scenario-builder form button[type="submit"]');
  await page.click('[data-action="new-scenario"]');
  const before = await scenarioIds();
  await page.fill('#scn-title-th', 'ไกลเกินไป');
  await page.fill('#scn-narrative-th', 'นอกเมือง');
  await clearMessage(page);
  await page.click('[data-action="save-scenario"]');
  const said = await message(page);
  check(said.startsWith('ขอบเขตแผนที่: อยู่นอกขอบเขตของเมือง') && await page.getAttribute('#scn-extent', 'aria-invalid') === 'true',
    'an extent outside the city is refused by the server, shown on the extent field in Thai', said);
  check(JSON.stringify(await scenarioIds()) === JSON.stringify(before), 'the refused scenario changed nothing on the server');
  await page.context().close();
}

async function buildOnLaptop(browser) {
  const page = await openPage(browser, base, DESKTOP, `${base}/map/#map=15/18.7900/98.9900&layers=cm-districts&lang=th`, expected);
  await openBuilder(page);
  await page.fill('#builder-token', TOKEN);
  await page.click('#scenario-builder form button[type="submit"]');
  await page.click('[data-action="new-scenario"]');

  await page.click('[data-action="save-scenario"]');
  let said = await message(page);
  check(said === 'ชื่อ (ไทย): ต้องกรอก', 'an empty title is refused in Thai, naming the field', said);
  check(await page.getAttribute('#scn-title-th', 'aria-invalid') === 'true' &&
    await page.evaluate(() => document.activeElement.id) === 'scn-title-th', 'the refused field is marked and focused');

  await page.fill('#scn-title-th', 'โรงเรียนกับตลาด');
  await page.fill('#scn-title-en', 'Schools and markets');
  check(await page.inputValue('#scn-id') === NEW_ID, 'the id is made from the English title', await page.inputValue('#scn-id'));
  await page.fill('#scn-narrative-th', 'เด็กเดินไปโรงเรียนผ่านตลาดได้อย่างปลอดภัย');
  await page.selectOption('#scn-add-layer', LAYER);
  const row = page.locator(`.builder-row[data-layer="${LAYER}"]`);
  await row.locator('input').first().fill('โรงเรียนและร้านค้า');
  await row.locator('.filter-property').selectOption('category');
  await tick(page, 'school');
  await tick(page, 'shop');
  const values = await row.locator('.filter-values input').evaluateAll((els) => els.map((e) => e.value));
  check(values.length >= 5 && values.includes('temple') && !values.some((v) => v === ''), 'the category values come from the layer', values);

  const colours = await page.locator('#scn-kinds input[type="color"]').evaluateAll((els) => els.map((e) => e.value.toUpperCase()));
  const style = await (await fetch(new URL(`styles/${LAYER}`, base))).json();
  const layerColours = (JSON.stringify(style).match(/#[0-9A-Fa-f]{6}/g) || []).map((c) => c.toUpperCase());
  const far = async (a, b) => {
    const [p, q] = [await hexToRgb(a), await hexToRgb(b)];
    return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) >= 60;
  };
  let isApart = colours.length === 3 && new Set(colours).size === 3;
  for (const c of colours) {
    for (const l of layerColours) {
      isApart = isApart && (await far(c, l));
    }
  }
  check(isApart, 'the default kind colours differ from the layer\'s colours and from each other', { colours, layerColours });
  await page.click('[data-action="add-kind"]');
  const kindRows = page.locator('#scn-kinds .builder-kind');
  await kindRows.nth(3).locator('input').nth(0).fill('ทางเดินปลอดภัย');
  await kindRows.nth(3).locator('input').nth(1).fill('Safe walkway');

  await clearMessage(page);
  await page.click('[data-action="save-scenario"]');
  said = await message(page);
  check(said === 'สร้างภาพอนาคตแล้ว', 'the scenario is created', said);
  const made = (await get(`scenarios/${NEW_ID}`)).body;
  check(made && made.layers.length === 1 && made.layers[0].collection === LAYER &&
    made.layers[0].filter === "category IN ('school', 'shop')" && made.layers[0].title.th === 'โรงเรียนและร้านค้า',
    'the server has the layer with its title and the ticked filter', made && made.layers);
  check(made.title.en === 'Schools and markets' && made.narrative.en === made.narrative.th, 'an empty English narrative takes the Thai one');
  check(made.sketch_kinds.length === 4 && made.sketch_kinds[3].id === 'safe-walkway' && made.sketch_kinds[3].title.th === 'ทางเดินปลอดภัย' &&
    made.sketch_kinds.map((k) => k.color.toUpperCase()).slice(0, 3).join() === colours.join(), 'the kinds and their colours are stored', made.sketch_kinds);
  const [w, s, e, n] = made.extent;
  check(w < 98.99 && e > 98.99 && s < 18.79 && n > 18.79 && e - w < 0.1, 'the extent is the map\'s view', made.extent);
  check(await page.inputValue('#scenario-select') === NEW_ID && (await page.textContent('#scenario-layers')).includes('โรงเรียนและร้านค้า'),
    'the new scenario is opened with its layer title');
  await page.waitForFunction((id) => new URLSearchParams(location.hash.slice(1)).get('layers') === id, LAYER);

  // A second new scenario with the same id: the server's 409 on the id field.
  await page.click('[data-action="new-scenario"]');
  await page.fill('#scn-title-th', 'ซ้ำ');
  await page.fill('#scn-title-en', 'Schools and markets');
  await page.fill('#scn-narrative-th', 'ซ้ำ');
  await clearMessage(page);
  await page.click('[data-action="save-scenario"]');
  said = await message(page);
  check(said.startsWith('รหัสในลิงก์: มีภาพอนาคตที่ใช้รหัสนี้แล้ว') && await page.getAttribute('#scn-id', 'aria-invalid') === 'true',
    'a taken id is refused on the id field in Thai', said);
  check((await get(`scenarios/${NEW_ID}`)).body.title.th === 'โรงเรียนกับตลาด', 'the existing scenario is unchanged');
  await page.click('[data-action="cancel-scenario"]');

  // Duplicate, then edit the copy: one value unticked.
  await page.click('[data-action="duplicate-scenario"]');
  check(await page.inputValue('#scn-id') === `${NEW_ID}-copy`, 'a copy gets its own id');
  await clearMessage(page);
  await page.click('[data-action="save-scenario"]');
  check(await message(page) === 'สร้างภาพอนาคตแล้ว', 'the copy is created');
  const copy = (await get(`scenarios/${NEW_ID}-copy`)).body;
  check(copy.title.th.includes('สำเนา') && JSON.stringify(copy.layers) === JSON.stringify(made.layers) &&
    JSON.stringify(copy.sketch_kinds) === JSON.stringify(made.sketch_kinds), 'the copy has the same layers and kinds', copy);
  await page.click('[data-action="edit-scenario"]');
  await page.fill('#scn-narrative-en', 'Children walk to school past the shops.');
  const shop = page.locator(`.builder-row[data-layer="${LAYER}"] .filter-values input[value="shop"]`);
  await shop.waitFor();
  check(await shop.isChecked(), 'the stored filter is shown as ticks');
  await shop.uncheck();
  await clearMessage(page);
  await page.click('[data-action="save-scenario"]');
  check(await message(page) === 'บันทึกภาพอนาคตแล้ว', 'the edit is saved');
  const edited = (await get(`scenarios/${NEW_ID}-copy`)).body;
  check(edited.layers[0].filter === "category = 'school'" && edited.narrative.en === 'Children walk to school past the shops.',
    'the server has the edited filter and narrative', edited);

  // Delete the copy (with a sketch) after the confirmation, then undo.
  const sketch = await fetch(new URL(`scenarios/${NEW_ID}-copy/sketches`, base), {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/geo+json' },
    body: JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [98.99, 18.79] }, properties: { kind: 'safe-walkway', note: 'ทางม้าลาย', group: 'กลุ่ม 1' } }),
  });
  check(sketch.status === 201, 'a sketch is added to the copy');
  await page.selectOption('#scenario-select', `${NEW_ID}-copy`);
  await page.waitForSelector('#sketch-legend li');
  let dialogs = 0;
  page.on('dialog', () => { dialogs += 1; });
  await clearMessage(page);
  await page.click('[data-action="delete-scenario"]');
  said = await message(page);
  check(dialogs === 1 && said.includes('ลบ') && (await get(`scenarios/${NEW_ID}-copy`)).status === 404,
    'the copy is deleted after a confirmation', said);
  await page.screenshot({ path: path.join(artifactDir, 'desktop-builder-deleted.png') });
  await clearMessage(page);
  await page.click('[data-action="undo-delete"]');
  said = await message(page);
  check(said === 'นำภาพอนาคตกลับมาแล้ว', 'undo says the scenario is back', said);
  const back = (await get(`scenarios/${NEW_ID}-copy`)).body;
  const items = (await get(`collections/scenario-${NEW_ID}-copy-sketches/items`)).body;
  check(back && JSON.stringify(back.layers) === JSON.stringify(edited.layers) && back.narrative.en === edited.narrative.en &&
    items.features.length === 1 && items.features[0].properties.note === 'ทางม้าลาย' && items.features[0].properties.group_name === 'กลุ่ม 1',
    'undo re-creates the scenario and its sketch', { back, items: items.features });
  check(page.errors.length === 0, 'no console errors while building', page.errors);
  check(page.foreign.length === 0, 'no request to another host');
  await page.context().close();
}

// On a phone in English: the form fits, and an English error names the field.
async function buildOnPhone(browser) {
  const page = await openPage(browser, base, PHONE, `${base}/map/#map=15/18.7900/98.9900&scn=${NEW_ID}&lang=en`, expected);
  await page.click('#menu-button');
  await openBuilder(page);
  await page.fill('#builder-token', TOKEN);
  await page.click('#scenario-builder form button[type="submit"]');
  await page.click('[data-action="edit-scenario"]');
  await page.fill('#scn-narrative-th', '');
  await page.click('[data-action="save-scenario"]');
  const said = await message(page);
  check(said === 'Narrative (Thai): required', 'on a phone in English, the empty narrative is named', said);
  const width = await page.evaluate(() => document.getElementById('scenario-form').scrollWidth);
  check(width <= 390, 'the form fits a phone\'s width', width);
  await page.locator('#scn-narrative-th').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(artifactDir, 'phone-builder.png') });
  check(page.errors.length === 0, 'no console errors on the phone', page.errors);
  await page.context().close();
}

mkdirSync(artifactDir, { recursive: true });
const browser = await launch();
try {
  await extentOutside(browser);
  await buildOnLaptop(browser);
  await buildOnPhone(browser);
} finally {
  await browser.close();
}
