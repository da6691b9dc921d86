// scenario_mode.mjs BASE_URL ARTIFACT_DIR - the web map's scenario mode in Debian's
// Chromium (playwright-core) against a real `cityatlas serve` with the bundled scenarios.
// Tokens come from the environment: GOOD_TOKEN (active) and REVOKED_TOKEN.
// A reader picks a scenario on a phone and sees its layers (with the scenario's filter
// sent to the server), its sketches and their kinds; a copied link reopens it. A
// facilitator on a laptop is refused with a malformed, an unknown and a revoked token
// (nothing changes on the server), then adds a point, selects it, edits its note, drags
// it, saves, deletes it, and draws a line; the server's sketch layer is checked after
// every step. Prints "ok ..." per check; exits 1 on the first failure.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, api as apiAt, check, hashParam, launch, openPage as openAt } from './lib.mjs';

const [base, artifactDir] = process.argv.slice(2);
const SCENARIO = 'kin-di-yu-di';
const SKETCHES = `collections/scenario-${SCENARIO}-sketches/items?limit=1000`;
const api = (p) => apiAt(base, p);
// A refused token is an expected 401/403, which Chromium also logs as an error.
const openPage = (browser, viewport, url) => openAt(browser, base, viewport, url, (text) => /status of 40[13]/.test(text));

const sketches = async () => (await api(SKETCHES)).features;

async function readerOnPhone(browser, doc) {
  const page = await openPage(browser, PHONE, `${base}/map/`);
  await page.click('#menu-button');
  await page.click('#tab-scenarios');
  const options = await page.$$eval('#scenario-select option', (els) => els.map((e) => e.value).filter(Boolean));
  check(options.length >= 4 && options.includes(SCENARIO), 'the four bundled scenarios are offered', options);
  await page.selectOption('#scenario-select', SCENARIO);
  await page.waitForSelector('#sketch-legend li');
  await page.waitForFunction((n) => document.getElementById('sketch-count').textContent.startsWith(String(n)), doc.sketch_count);
  const want = doc.layers.map((l) => l.collection).sort().join();
  check(hashParam(page, 'layers').split(',').sort().join() === want, 'the scenario\'s layers are the visible ones', hashParam(page, 'layers'));
  check(hashParam(page, 'scn') === SCENARIO, 'the scenario is in the URL');
  const filtered = doc.layers.find((l) => l.filter);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await page.waitForTimeout(500);
  check(page.requests.some((u) => u.includes(`collections/${filtered.collection}/items`) && new URL(u).searchParams.get('filter') === filtered.filter),
    'the scenario\'s filter is sent with its layer', filtered);
  check(await page.locator('#sketch-legend li').count() === 3, 'the sketch kinds are in the legend');
  const text = await page.textContent('#scenario-body');
  check(text.includes(doc.title.th) && text.includes(doc.narrative.th.split('\n')[0].slice(0, 30)), 'title and narrative are shown');
  await page.click('#menu-button');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(artifactDir, 'phone-scenario.png') });
  const again = await openPage(browser, PHONE, page.url());
  await again.waitForSelector('#sketch-legend li');
  check(await again.inputValue('#scenario-select') === SCENARIO, 'the copied link reopens the scenario');
  check(page.errors.length + again.errors.length === 0, 'no console errors for the reader', [page.errors, again.errors]);
  check(page.foreign.length + again.foreign.length === 0, 'no request to another host');
  await page.context().close();
  await again.context().close();
}

async function startEditing(page, token) {
  if (await page.locator('[data-action="stop"]').count()) {
    await page.click('[data-action="stop"]');
  }
  await page.locator('.sketch-editor').evaluate((d) => { d.open = true; });
  await page.fill('#facilitator-token', token);
  await page.click('[data-action="start"]');
}

async function mapPoint(page, dx, dy) {
  const box = await page.locator('#map').boundingBox();
  return [box.x + box.width / 2 + dx, box.y + box.height / 2 + dy];
}

async function addPoint(page, dx, dy) {
  await page.click('[data-action="add-point"]');
  const [x, y] = await mapPoint(page, dx, dy);
  await page.mouse.click(x, y);
}

async function message(page, previous) {
  await page.waitForFunction((p) => {
    const m = document.querySelector('.editor-message');
    return m && m.textContent !== '' && m.textContent !== p && !/แตะ|Tap/.test(m.textContent);
  }, previous, { timeout: 15000 });
  return page.textContent('.editor-message');
}

async function facilitatorOnLaptop(browser) {
  const page = await openPage(browser, DESKTOP, `${base}/map/#map=16/18.7900/98.9900&layers=cm-districts&scn=${SCENARIO}&lang=en`);
  await page.waitForSelector('#sketch-legend li');
  const before = await sketches();

  await startEditing(page, 'hello');
  check((await page.textContent('.editor-message')).includes('cat_'), 'a malformed token is refused in the page');
  for (const [token, what] of [['cat_' + 'x'.repeat(43), 'an unknown'], [process.env.REVOKED_TOKEN, 'a revoked']]) {
    await startEditing(page, token);
    await page.waitForSelector('#sketch-kind');
    await addPoint(page, 60, 40);
    const said = await message(page, '');
    check(/Token refused/.test(said), `${what} token: the refusal is shown`, said);
    check((await sketches()).length === before.length, `${what} token changes nothing on the server`);
  }

  await startEditing(page, process.env.GOOD_TOKEN);
  await page.waitForSelector('#sketch-kind');
  await page.selectOption('#sketch-kind', 'problem');
  await page.fill('#sketch-group', 'กลุ่ม 3');
  await page.fill('#sketch-note', 'ทางเท้าแคบ');
  await addPoint(page, 60, 40);
  check((await message(page, '')) === 'Saved', 'a point is saved');
  let now = await sketches();
  const added = now.find((f) => !before.some((b) => b.id === f.id));
  check(now.length === before.length + 1 && added && added.properties.kind === 'problem' &&
    added.properties.note === 'ทางเท้าแคบ' && added.properties.group_name === 'กลุ่ม 3', 'the server has the new point with its kind, note and group', added);

  const [x, y] = await mapPoint(page, 60, 40);
  await page.mouse.click(x, y);
  await page.waitForFunction(() => document.getElementById('sketch-note').value === 'ทางเท้าแคบ');
  await page.fill('#sketch-note', 'ทางเท้าแคบ ต้องขยาย');
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 40, y + 30, { steps: 8 });
  await page.mouse.up();
  await page.evaluate(() => { document.querySelector('.editor-message').textContent = ''; });
  await page.click('[data-action="save"]');
  const savedEdit = await message(page, '');
  check(savedEdit === 'Saved', 'the edit is saved', savedEdit);
  now = await sketches();
  const edited = now.find((f) => f.id === added.id);
  check(edited.properties.note === 'ทางเท้าแคบ ต้องขยาย', 'the note edit is saved', edited.properties);
  const moved = Math.hypot(edited.geometry.coordinates[0] - added.geometry.coordinates[0], edited.geometry.coordinates[1] - added.geometry.coordinates[1]);
  check(moved > 0.0002, 'dragging moved the point on the server', { from: added.geometry.coordinates, to: edited.geometry.coordinates });

  await page.mouse.click(x + 40, y + 30);
  await page.waitForFunction(() => document.getElementById('sketch-note').value.includes('ต้องขยาย'));
  await page.click('[data-action="delete"]');
  await page.waitForTimeout(800);
  check(!(await sketches()).some((f) => f.id === added.id), 'the deleted sketch is gone from the server');

  await page.click('[data-action="add-line"]');
  const line = [[-120, -80], [-60, -100], [0, -60]];
  for (const [dx, dy] of line) {
    const [lx, ly] = await mapPoint(page, dx, dy);
    await page.mouse.click(lx, ly);
  }
  const [ex, ey] = await mapPoint(page, ...line[line.length - 1]);
  await page.mouse.dblclick(ex, ey);
  await page.waitForFunction(() => document.querySelector('.editor-message').textContent === 'Saved');
  now = await sketches();
  const drawn = now.find((f) => !before.some((b) => b.id === f.id));
  check(drawn && drawn.geometry.type === 'LineString' && drawn.geometry.coordinates.length >= 3, 'a line is drawn and saved', drawn && drawn.geometry);
  await page.screenshot({ path: path.join(artifactDir, 'desktop-scenario-editing.png') });
  check(page.errors.length === 0, 'no console errors while editing', page.errors);
  check(page.foreign.length === 0, 'no request to another host while editing', page.foreign);
  await page.context().close();
}

// The participant's own words, not those of the area under the tap: on a phone, kind, group
// and note are set, "add point" pressed, and the tap lands inside an existing area sketch.
// Then a self-intersecting area, which the server refuses: it stays on the map with the
// reason in Thai, can be selected with what was typed for it, and deleted on purpose.
const AREA_CENTRE = [98.99, 18.79];

async function postSketch(feature) {
  const resp = await fetch(new URL(`scenarios/${SCENARIO}/sketches`, base), {
    method: 'POST',
    headers: { Authorization: `Bearer ${process.env.GOOD_TOKEN}`, 'Content-Type': 'application/geo+json' },
    body: JSON.stringify(feature),
  });
  check(resp.status === 201, 'an area sketch is added through the API', resp.status);
}

async function tapMap(page, dx, dy, pauseMs = 300) {
  const [x, y] = await mapPoint(page, dx, dy);
  await page.touchscreen.tap(x, y);
  await page.waitForTimeout(pauseMs);
}

// Taps go to the map only once the drawing tool is on: a loaded machine can take longer
// than a fixed wait, and a tap before it would select the sketch under it instead.
async function startTool(page, action) {
  await page.click('#menu-button');
  await page.click(`[data-action="${action}"]`);
  await page.click('#menu-button');
  await page.waitForFunction(() => {
    const pm = window.cityatlasMap && window.cityatlasMap.map.pm;
    return Boolean(pm && pm.globalDrawModeEnabled());
  }, null, { timeout: 15000 });
  await page.waitForTimeout(300);
}

async function participantOnPhone(browser) {
  const [lon, lat] = AREA_CENTRE;
  const d = 0.0015;
  await postSketch({
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] },
    properties: { kind: 'asset', note: 'สวนสาธารณะเดิม', group: 'กลุ่ม 1' },
  });
  const before = await sketches();
  const area = before.find((f) => f.properties.note === 'สวนสาธารณะเดิม');
  // The refused drawing is an expected 400, which Chromium also logs as an error.
  const page = await openAt(browser, base, PHONE, `${base}/map/#map=17/${lat}/${lon}&scn=${SCENARIO}`, (text) => /status of 400/.test(text));
  await page.waitForSelector('#sketch-legend li');
  await page.click('#menu-button');
  await page.click('#tab-scenarios');
  await startEditing(page, process.env.GOOD_TOKEN);
  await page.waitForSelector('#sketch-kind');
  await page.selectOption('#sketch-kind', 'problem');
  await page.fill('#sketch-group', 'ผู้สูงอายุ');
  await page.fill('#sketch-note', 'ต้องการม้านั่ง');
  await page.click('#menu-button');
  await startTool(page, 'add-point');
  await tapMap(page, 0, 0);
  await page.click('#menu-button');
  check((await message(page, '')) === 'บันทึกแล้ว', 'the point tapped inside an area is saved (Thai message)');
  let now = await sketches();
  const point = now.find((f) => !before.some((b) => b.id === f.id));
  check(point && point.geometry.type === 'Point' && point.properties.kind === 'problem' && point.properties.group_name === 'ผู้สูงอายุ' &&
    point.properties.note === 'ต้องการม้านั่ง', 'the new point has the participant\'s kind, group and note, not the area\'s', point && point.properties);
  const areaNow = now.find((f) => f.id === area.id);
  check(JSON.stringify(areaNow.properties) === JSON.stringify(area.properties), 'the area under the tap is unchanged');
  check(await page.inputValue('#sketch-kind') === 'problem' && await page.inputValue('#sketch-group') === 'ผู้สูงอายุ',
    'the form keeps the participant\'s kind and group after the tap');

  await page.fill('#sketch-note', 'พื้นที่ไขว้กัน');
  await page.click('#menu-button');
  await startTool(page, 'add-area');
  // The second and third corners are tapped quickly, as a practised hand does: Leaflet takes
  // two taps within 200 ms for a double tap wherever they land, and that must not end the
  // area at three corners (it would be saved as a triangle).
  for (const [dx, dy, pauseMs] of [[-60, -60, 300], [60, 60, 0], [60, -60, 300], [-60, 60, 300], [-60, -60, 300]]) {
    await tapMap(page, dx, dy, pauseMs);
  }
  const refusal = async () => {
    try {
      await page.waitForFunction(() => /ตัดกันเอง/.test(document.querySelector('.editor-message').textContent), null, { timeout: 30000 });
    } catch (e) {
      // say what the page showed instead, and keep a picture of it
      console.log('editor message:', await page.textContent('.editor-message'), '| status:', await page.textContent('#status'));
      await page.screenshot({ path: path.join(artifactDir, 'phone-refusal-timeout.png') }).catch(() => {});
      throw e;
    }
    await page.waitForTimeout(500); // a late tap must not replace the reason
    return page.textContent('.editor-message');
  };
  let said = await refusal();
  check(/ตัดกันเอง/.test(said) && /ยังไม่ได้บันทึก/.test(said) && !/[Ss]elf-intersection/.test(said),
    'a refused area is explained in Thai and said to be kept', said);
  check((await sketches()).length === now.length, 'the refused area changed nothing on the server');
  check(/ตัดกันเอง/.test(await page.textContent('#status')), 'the reason is on the map itself, with the menu closed');
  const unsaved = async () => Number(await page.getAttribute('#unsaved-count', 'data-count'));
  const n = await unsaved();
  check(n === 1, 'the refused drawing stays on the map as an unsaved drawing', n);
  await page.screenshot({ path: path.join(artifactDir, 'phone-refused-drawing.png') });
  await page.click('#menu-button');
  check(await page.inputValue('#sketch-note') === 'พื้นที่ไขว้กัน', 'the form keeps the note typed for the refused drawing');
  await page.evaluate(() => { document.querySelector('.editor-message').textContent = ''; });
  await page.click('[data-action="save"]');
  said = await refusal();
  check(/ตัดกันเอง/.test(said) && (await sketches()).length === now.length && await unsaved() === 1,
    'saving the kept drawing again sends it (selected) and is refused again, still kept', said);
  await page.click('[data-action="delete"]');
  await page.waitForTimeout(300);
  check(await unsaved() === 0, 'an unsaved drawing is removed only when its author deletes it');

  // A line ends when its last corner is tapped again (a double tap there does the same),
  // without zooming the map.
  const zoom = await page.evaluate(() => window.cityatlasMap.map.getZoom());
  const count = (await sketches()).length;
  await page.fill('#sketch-note', 'ทางเดินริมคลอง');
  await page.click('#menu-button');
  await startTool(page, 'add-line');
  await tapMap(page, -90, 70);
  await tapMap(page, 20, 90);
  await tapMap(page, 23, 92, 0);
  await page.click('#menu-button');
  check((await message(page, '')) === 'บันทึกแล้ว', 'tapping the last corner again ends a line and saves it');
  const lines = (await sketches()).filter((f) => f.properties.note === 'ทางเดินริมคลอง');
  check(lines.length === 1 && lines[0].geometry.type === 'LineString' && lines[0].geometry.coordinates.length === 2 &&
    (await sketches()).length === count + 1, 'the saved line has the two corners placed, not the finishing tap', lines);
  check(await page.evaluate(() => window.cityatlasMap.map.getZoom()) === zoom, 'ending a line does not zoom the map');
  check(page.errors.length === 0, 'no console errors for the participant', page.errors);
  await page.context().close();
}

mkdirSync(artifactDir, { recursive: true });
const doc = await api(`scenarios/${SCENARIO}`);
const browser = await launch();
try {
  await readerOnPhone(browser, doc);
  await facilitatorOnLaptop(browser);
  await participantOnPhone(browser);
} finally {
  await browser.close();
}
