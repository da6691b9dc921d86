// workshop.mjs BASE_URL ARTIFACT_DIR - a whole workshop in Debian's Chromium (playwright-core)
// against a real `cityatlas serve` (ADMIN_TOKEN from the environment), several browser
// contexts at once. A facilitator on a laptop builds a new scenario in the map and opens a
// live session with two groups: the code, the join link and the QR code are shown. A
// projector opens the live view. Three participants on phones join by the link, each with a
// name and a group, and draw at the same time: the projector shows every sketch within two
// seconds, with counts by kind and group and the notes newest first, and each phone sees the
// others' sketches. A participant's tap on another's sketch only shows it. A stale edit (the
// facilitator changed the sketch meanwhile) gets the 412 shown with both versions, and "keep
// mine" wins. A participant deletes a sketch; the facilitator restores it from the history.
// The closed session refuses a participant's drawing in Thai, changing nothing; in a
// moderated session a sketch stays off the projector until the facilitator approves it; a
// participant past the rate limit is told in Thai how long to wait.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, check, launch, openPage } from './lib.mjs';

const [base, artifactDir] = process.argv.slice(2);
const TOKEN = process.env.ADMIN_TOKEN;
const ID = 'river-walk';
const LIVE_MS = 2000; // a change reaches the projector within this

// Refusals the test causes on purpose (403 closed session, 409, 412, 429) are also logged
// by Chromium as console errors.
const expected = (text) => /status of 4(03|09|12|29)/.test(text);

async function api(p, options = {}) {
  const resp = await fetch(new URL(p, base), options);
  return { status: resp.status, body: await resp.json().catch(() => null) };
}

const asAdmin = (extra = {}) => ({ Authorization: `Bearer ${TOKEN}`, ...extra });

async function allSketches() {
  return (await api(`scenarios/${ID}/sketches`, { headers: asAdmin() })).body.features;
}

async function waitText(page, selector, test, what, timeout = 15000) {
  try {
    await page.waitForFunction(([sel, src]) => {
      const node = document.querySelector(sel);
      return node && new Function('text', `return ${src}`)(node.textContent);
    }, [selector, test], { timeout });
  } catch {
    check(false, what, [await page.textContent(selector).catch(() => null), page.errors]);
  }
  return page.textContent(selector);
}

async function mapPoint(page, dx, dy) {
  const box = await page.locator('#map').boundingBox();
  return [box.x + box.width / 2 + dx, box.y + box.height / 2 + dy];
}

// Facilitator: a new scenario from the map, then a live session with two groups.
async function facilitatorBuilds(browser) {
  const page = await openPage(browser, base, DESKTOP, `${base}/map/#map=16/18.7880/98.9930&layers=cm-districts&lang=th`, expected);
  await page.click('#tab-scenarios');
  await page.locator('#scenario-builder').evaluate((d) => { d.open = true; });
  await page.fill('#builder-token', TOKEN);
  await page.click('#scenario-builder form button[type="submit"]');
  await page.click('[data-action="new-scenario"]');
  await page.fill('#scn-title-th', 'ทางเดินริมน้ำ');
  await page.fill('#scn-title-en', 'River walk');
  await page.fill('#scn-narrative-th', 'ชวนกันวาดทางเดินริมน้ำที่ทุกคนใช้ได้');
  await page.selectOption('#scn-add-layer', 'rivers-wdbii');
  await page.click('[data-action="save-scenario"]');
  await waitText(page, '#builder-message', "text === 'สร้างภาพอนาคตแล้ว'", 'the facilitator creates the scenario in the map');
  check((await api(`scenarios/${ID}`)).status === 200, 'the new scenario is on the server');

  await page.locator('#session-panel').evaluate((d) => { d.open = true; });
  const groups = page.locator('#session-form .session-group');
  await groups.nth(0).locator('.group-th').fill('ผู้สูงอายุ');
  await groups.nth(0).locator('.group-en').fill('Elders');
  await page.click('[data-action="add-group"]');
  await groups.nth(1).locator('.group-th').fill('เยาวชน');
  await groups.nth(1).locator('.group-en').fill('Youth');
  await page.fill('#session-minutes', '60');
  await page.click('[data-action="open-session"]');
  await page.waitForSelector('.session-card .session-code');
  const code = (await page.textContent('.session-card .session-code')).trim();
  const link = await page.getAttribute('.session-card .session-link', 'href');
  check(/^[A-Z0-9]{6}$/.test(code) && link.endsWith(`/map/#join=${code}`), 'the session shows its code and join link', { code, link });
  await page.waitForFunction(() => {
    const img = document.querySelector('.session-card .session-qr');
    return img && img.complete && img.naturalWidth > 0;
  });
  check(true, 'the QR code (the server\'s SVG) is shown');
  await page.screenshot({ path: path.join(artifactDir, 'desktop-session-open.png') });
  return { page, code, link };
}

// A participant joins on a phone with a name and a group.
async function join(browser, link, name, group) {
  const page = await openPage(browser, base, PHONE, link, expected);
  await page.waitForSelector('#join-form');
  await page.fill('#join-name', name);
  if (group) {
    await page.selectOption('#join-group', group);
  }
  await page.press('#join-name', 'Enter'); // the phone keyboard's "go" submits the card
  await page.waitForSelector('#sketch-kind');
  check((await page.textContent('#participant-name')).includes(name), `${name} joins and sees their name`);
  return page;
}

async function setPanel(page, isOpen) {
  if ((await page.locator('#panel.is-open').count() > 0) !== isOpen) {
    await page.click('#menu-button');
  }
  await page.waitForFunction((open) => (document.getElementById('panel').getBoundingClientRect().right > 0) === open, isOpen);
}

// A tap on the map (the panel closed first, as a person would).
async function tapMap(page, dx, dy) {
  await setPanel(page, false);
  const [x, y] = await mapPoint(page, dx, dy);
  await page.touchscreen.tap(x, y);
  await page.waitForTimeout(150);
}

async function clearMessage(page) {
  await page.evaluate(() => { document.querySelector('.editor-message').textContent = ''; });
}

// Draws a point with kind and note; returns the editor's message.
// The editor made ready for a point (kind, note, "add a point" pressed); finishPoint taps it.
async function preparePoint(page, kind, note) {
  await setPanel(page, true);
  await page.selectOption('#sketch-kind', kind);
  await page.fill('#sketch-note', note);
  await clearMessage(page);
  await page.click('[data-action="add-point"]');
}

async function finishPoint(page, note, dx, dy) {
  await tapMap(page, dx, dy);
  await setPanel(page, true);
  return waitText(page, '.editor-message', "text !== '' && !/แตะ|Tap/.test(text)", `${note}: the editor answers`);
}

async function drawPoint(page, kind, note, dx, dy) {
  await preparePoint(page, kind, note);
  return finishPoint(page, note, dx, dy);
}

async function projectorCount(page, n, what) {
  const started = Date.now();
  await waitText(page, '#live-total', `Number(text.split(' ')[0]) === ${n}`, what, 10000);
  return Date.now() - started;
}

async function workshop(browser) {
  const facilitator = await facilitatorBuilds(browser);
  const projector = await openPage(browser, base, DESKTOP, `${base}/map/#scn=${ID}&live&lang=th`, expected);
  await projector.waitForSelector('#live-total');
  check(await projector.textContent('#live-total') === '0 ภาพร่าง', 'the projector view starts with no sketch');
  // The projector streams (Server-Sent Events) and says so; a second one, in a browser
  // without EventSource, polls the changes list instead.
  await waitText(projector, '#live-state', "text.includes('สด')", 'the projector says it is live');
  check(await projector.evaluate(() => document.body.dataset.liveTransport) === 'stream', 'the projector uses the event stream');
  const poller = await openPage(browser, base, DESKTOP, `${base}/map/#scn=${ID}&live&lang=en`, expected);
  await poller.addInitScript(() => { delete window.EventSource; });
  await poller.reload();
  await poller.waitForSelector('body[data-ready="true"]');
  await waitText(poller, '#live-state', "text.includes('Live')", 'the polling projector says it is live (in English)');
  check(await poller.evaluate(() => document.body.dataset.liveTransport) === 'poll', 'without EventSource the projector polls');

  // They arrive one after the other (page loads on a shared 2-core machine), then draw at once.
  const somchai = await join(browser, facilitator.link, 'สมชาย', 'elders');
  const nok = await join(browser, facilitator.link, 'นก', 'youth');
  const lek = await join(browser, facilitator.link, 'เล็ก', 'youth');
  const said = await Promise.all([
    drawPoint(somchai, 'problem', 'ทางเท้าขาด', -60, 0),
    drawPoint(nok, 'proposal', 'ม้านั่งใต้ต้นไม้', 60, 0),
    drawPoint(lek, 'asset', 'ร้านน้ำชาเก่า', 0, 80),
  ]);
  const wroteAt = Date.now();
  check(said.every((s) => s === 'บันทึกแล้ว'), 'three participants draw at the same time', said);
  const server = await allSketches();
  check(server.length === 3 && server.every((f) => f.properties.status === 'visible'), 'the server has the three sketches, visible', server.map((f) => f.properties));
  const byName = (n) => server.find((f) => f.properties.created_by === n);
  check(byName('สมชาย').properties.group_name === 'elders' && byName('นก').properties.note === 'ม้านั่งใต้ต้นไม้' &&
    byName('เล็ก').properties.kind === 'asset', 'each sketch has its author, group, kind and note');
  await projectorCount(projector, 3, 'the projector shows every sketch');
  const lag = Date.now() - wroteAt;
  check(lag <= LIVE_MS + 500, `the projector caught up ${lag} ms after the last write`, lag);
  console.log(`    streaming projector: ${lag} ms after the last write`);
  await projectorCount(poller, 3, 'the polling projector shows every sketch');
  const pollLag = Date.now() - wroteAt;
  check(pollLag <= LIVE_MS + 1000, `the polling projector caught up ${pollLag} ms after the last write`, pollLag);
  const projectorRequests = projector.requests.filter((u) => /\/changes\?/.test(u)).length;
  check(projectorRequests === 0, 'the streaming projector never polled', projectorRequests);
  await poller.context().close();
  const notes = await projector.locator('#live-notes .live-note-text').allTextContents();
  check(notes.length === 3 && ['ทางเท้าขาด', 'ม้านั่งใต้ต้นไม้', 'ร้านน้ำชาเก่า'].every((n) => notes.includes(n)), 'the projector lists every note', notes);
  check(await projector.getAttribute('#live-by-group li[data-group="youth"]', 'data-count') === '2' &&
    (await projector.textContent('#live-by-group li[data-group="youth"]')).includes('youth') &&
    await projector.getAttribute('#live-by-kind li[data-kind="problem"]', 'data-count') === '1', 'counts by group and by kind');
  await projector.selectOption('#live-group', 'youth');
  check((await projector.locator('#live-notes .live-note').count()) === 2, 'the notes filter by group');
  await projector.selectOption('#live-group', '');
  await projector.selectOption('#live-kind', 'problem');
  const problems = await projector.locator('#live-notes .live-note-text').allTextContents();
  check(problems.length === 1 && problems[0] === 'ทางเท้าขาด', 'the notes filter by kind', problems);
  await projector.selectOption('#live-kind', '');
  await projector.screenshot({ path: path.join(artifactDir, 'projector-live.png') });

  // Each phone sees the others' sketches; a tap on another's only shows it.
  await waitText(somchai, '#sketch-count', "text.startsWith('3 ')", 'each phone sees the others\' sketches', 5000);
  await waitText(somchai, '#live-total', "text.startsWith('3 ')", 'each phone counts the room\'s sketches', 5000);
  const phoneNotes = await somchai.locator('#live-notes .live-note-text').allTextContents();
  check(phoneNotes.length === 3 && phoneNotes.includes('ร้านน้ำชาเก่า'), 'each phone lists the room\'s notes', phoneNotes);
  check(await somchai.getAttribute('#live-by-kind li[data-kind="asset"]', 'data-count') === '1', 'each phone counts by kind');
  check(await somchai.evaluate(() => document.body.dataset.liveTransport) === 'stream' && !(await somchai.evaluate(() => document.body.classList.contains('is-live'))),
    'the phone streams, in phone-sized type');
  await somchai.screenshot({ path: path.join(artifactDir, 'phone-live-notes.png') });
  const nokPoint = server.find((f) => f.properties.created_by === 'นก');
  await clearMessage(somchai);
  await tapMap(somchai, 60, 0);
  const readOnly = await waitText(somchai, '#status', "/ของคนอื่น/.test(text)", 'a tap on another participant\'s sketch says it is read only');
  check(/ดูได้อย่างเดียว/.test(readOnly), 'another\'s sketch is read only for a participant');
  check((await allSketches()).find((f) => f.properties.sketch_id === nokPoint.properties.sketch_id).properties.version === nokPoint.properties.version,
    'another\'s sketch is unchanged');
  const forbidden = await somchai.evaluate(async ({ id, scn }) => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('cityatlas-participant-'));
    const cred = JSON.parse(localStorage.getItem(key)).credential;
    const r = await fetch(`../scenarios/${scn}/sketches/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${cred}`, 'If-Match': '"v1"' } });
    return r.status;
  }, { id: nokPoint.properties.sketch_id, scn: ID });
  check(forbidden === 403, 'the participant\'s own credential cannot delete another\'s sketch', forbidden);

  // A stale edit: Somchai selects his point, the facilitator changes it meanwhile.
  const mine = byName('สมชาย');
  await tapMap(somchai, -60, 0);
  await setPanel(somchai, true);
  await somchai.waitForFunction(() => document.getElementById('sketch-note').value === 'ทางเท้าขาด');
  const put = await api(`scenarios/${ID}/sketches/${mine.properties.sketch_id}`, {
    method: 'PUT',
    headers: asAdmin({ 'Content-Type': 'application/geo+json' }),
    body: JSON.stringify({ type: 'Feature', geometry: mine.geometry, properties: { kind: 'problem', note: 'ทางเท้าขาด (ผู้ดำเนินการแก้)' } }),
  });
  check(put.status === 200, 'the facilitator edits the sketch through the API', put);
  await somchai.fill('#sketch-note', 'ทางเท้าขาด ต้องซ่อมก่อนหน้าฝน');
  await clearMessage(somchai);
  await somchai.click('[data-action="save"]');
  await somchai.waitForSelector('#sketch-conflict:not([hidden])');
  const current = await somchai.textContent('#conflict-current');
  check(current.includes('ผู้ดำเนินการแก้') && (await somchai.textContent('#conflict-mine')).includes('ต้องซ่อม'),
    'the stale edit shows the 412 with the current version beside the person\'s own', current);
  await somchai.screenshot({ path: path.join(artifactDir, 'phone-stale-edit.png') });
  await somchai.click('[data-action="keep-mine"]');
  await waitText(somchai, '.editor-message', "text === 'บันทึกแล้ว'", '"keep mine" saves over the current version');
  const kept = (await allSketches()).find((f) => f.properties.sketch_id === mine.properties.sketch_id);
  check(kept.properties.note === 'ทางเท้าขาด ต้องซ่อมก่อนหน้าฝน' && kept.properties.version === 3, 'the server has the person\'s version', kept.properties);
  await waitText(projector, '#live-notes', "text.includes('ต้องซ่อมก่อนหน้าฝน')", 'the projector shows the edited note');

  // Lek deletes her sketch; the facilitator restores it from the history.
  await tapMap(lek, 0, 80);
  await setPanel(lek, true);
  await lek.waitForFunction(() => document.getElementById('sketch-note').value === 'ร้านน้ำชาเก่า');
  await clearMessage(lek);
  await lek.click('[data-action="delete"]');
  await waitText(lek, '.editor-message', "text === 'บันทึกแล้ว'", 'the participant deletes her own sketch');
  await projectorCount(projector, 2, 'the deleted sketch leaves the projector');
  const desk = facilitator.page;
  await desk.goto(`${base}/map/#scn=${ID}&live&lang=th`);
  await desk.reload();
  await desk.waitForSelector('body[data-ready="true"]');
  await desk.locator('#live-desk').evaluate((d) => { d.open = true; });
  const restoreButton = desk.locator('#desk-history li[data-action="delete"] [data-action="restore"]');
  await restoreButton.first().waitFor({ timeout: 10000 });
  await restoreButton.first().click();
  await waitText(desk, '#desk-message', "text === 'นำกลับแล้ว'", 'the facilitator restores the deleted sketch');
  await projectorCount(projector, 3, 'the restored sketch is back on the projector');
  check((await allSketches()).some((f) => f.properties.note === 'ร้านน้ำชาเก่า' && f.properties.status === 'visible'), 'the server has the restored sketch');

  // The facilitator closes the session: a participant's drawing is refused in Thai.
  await desk.goto(`${base}/map/#scn=${ID}&lang=th`);
  await desk.reload();
  await desk.waitForSelector('body[data-ready="true"]');
  await desk.locator('#session-panel').evaluate((d) => { d.open = true; });
  await desk.locator('.session-card [data-action="close-session"]').click();
  await waitText(desk, '#session-message', "text.includes('ปิดกิจกรรม')", 'the facilitator closes the session');
  await waitText(somchai, '#live-state', "text.includes('ปิดแล้ว')", 'the phone\'s stream ends with the session, and says so', 5000);
  const before = (await allSketches()).length;
  const refused = await drawPoint(nok, 'proposal', 'หลังปิด', 0, -80);
  check(/ปิดรับความคิดเห็นแล้ว/.test(refused), 'a closed session refuses a participant\'s drawing, in Thai', refused);
  check((await allSketches()).length === before, 'the closed session\'s refusal changed nothing');
  await nok.context().close();
  await lek.context().close();
  await somchai.context().close();
  return { desk, projector };
}

// A moderated session: a sketch waits for approval before it reaches the projector.
async function moderated(browser, desk, projector) {
  await desk.locator('#session-mode').selectOption('moderated');
  await desk.click('[data-action="open-session"]');
  await desk.waitForSelector('.session-card:not(.is-closed) .session-code');
  const link = await desk.getAttribute('.session-card:not(.is-closed) .session-link', 'href');
  const ploy = await join(browser, link, 'พลอย', null); // this session has no groups
  const shown = Number((await projector.textContent('#live-total')).split(' ')[0]);
  check(await drawPoint(ploy, 'proposal', 'ลานกิจกรรมผู้สูงอายุ', 30, -100) === 'บันทึกแล้ว', 'a participant draws in a moderated session');
  const waiting = (await allSketches()).find((f) => f.properties.note === 'ลานกิจกรรมผู้สูงอายุ');
  check(waiting && waiting.properties.status === 'pending', 'the sketch waits for approval on the server', waiting && waiting.properties);
  await projector.waitForTimeout(LIVE_MS + 500);
  check(Number((await projector.textContent('#live-total')).split(' ')[0]) === shown && !(await projector.textContent('#live-notes')).includes('ลานกิจกรรม'),
    'the pending sketch is not on the projector');
  await desk.goto(`${base}/map/#scn=${ID}&live&lang=th`);
  await desk.reload();
  await desk.waitForSelector('body[data-ready="true"]');
  await desk.locator('#live-desk').evaluate((d) => { d.open = true; });
  const approve = desk.locator(`#desk-pending li[data-sketch="${waiting.properties.sketch_id}"] [data-action="approve"]`);
  await approve.waitFor({ timeout: 10000 });
  await desk.screenshot({ path: path.join(artifactDir, 'desktop-moderation.png') });
  await approve.click();
  await waitText(desk, '#desk-message', "text === 'อนุมัติแล้ว'", 'the facilitator approves it');
  await projectorCount(projector, shown + 1, 'the approved sketch appears on the projector');

  // Past the rate limit (the participant's own credential, spent by a script), the phone says
  // in Thai how long to wait. The editor is made ready first and tapped right after the
  // script's 429, so no new write is allowed in between (one a 10 s at the test's rate) even
  // on a loaded machine.
  await preparePoint(ploy, 'asset', 'อีกจุด');
  const statuses = await ploy.evaluate(async (scn) => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('cityatlas-participant-'));
    const cred = JSON.parse(localStorage.getItem(key)).credential;
    const got = [];
    for (let i = 0; i < 40 && !got.includes(429); i += 1) {
      const r = await fetch(`../scenarios/${scn}/sketches`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${cred}`, 'Content-Type': 'application/geo+json' },
        body: JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [98.993, 18.788] }, properties: { kind: 'asset', note: `ทดสอบ ${i}` } }),
      });
      got.push(r.status);
    }
    return got;
  }, ID);
  check(statuses.includes(429), 'the participant reaches the rate limit', statuses);
  const slow = await finishPoint(ploy, 'อีกจุด', -30, -100);
  check(/ส่งเร็วเกินไป ลองอีกครั้งในอีก \d+ วินาที/.test(slow), 'the rate limit is explained in Thai with the wait', slow);
  check(ploy.errors.length === 0 && projector.errors.length === 0 && desk.errors.length === 0, 'no console errors', [ploy.errors, projector.errors, desk.errors]);
  check(ploy.foreign.length + projector.foreign.length + desk.foreign.length === 0, 'no request to another host');
}

mkdirSync(artifactDir, { recursive: true });
const browser = await launch();
try {
  const { desk, projector } = await workshop(browser);
  await moderated(browser, desk, projector);
} finally {
  await browser.close();
}
