// lib.mjs - what the browser tests share: checks that print "ok ..." or stop the run,
// API reads, Debian's Chromium launched headless through playwright-core, and pages that
// record console errors and requests to other hosts.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.CITYATLAS_REPO, 'web', 'package.json'));
const { chromium } = require('playwright-core');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export function check(condition, what, detail) {
  if (!condition) {
    console.error(`FAIL: ${what}${detail !== undefined ? ': ' + JSON.stringify(detail) : ''}`);
    process.exit(1);
  }
  console.log(`ok ${what}`);
}

export async function api(base, p) {
  const resp = await fetch(new URL(p, base));
  check(resp.ok, `GET ${p}`, resp.status);
  return resp.json();
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      // Software compositing: with SwiftShader's GL (--use-angle=swiftshader) the GPU
      // process kept drawing frames while the page was idle, about 0.7 of a core for as long
      // as a page stayed open, which made a browser test cost twice its CPU (nothing here
      // uses WebGL; the canvases are 2D).
      '--disable-gpu',
    ],
    timeout: 60000,
  });
}

// A page of a fresh context (phone sizes get touch) that records console errors (but
// those isExpected says are expected), page errors, every request, and requests to
// another host than base's; dialogs are accepted. Resolves once the map says it is ready.
export async function openPage(browser, base, viewport, url, isExpected = () => false) {
  const isPhone = viewport === PHONE;
  const context = await browser.newContext({
    viewport,
    isMobile: isPhone,
    hasTouch: isPhone,
    locale: 'th-TH',
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  const origin = new URL(base).host;
  page.errors = [];
  page.foreign = [];
  page.requests = [];
  page.on('console', (msg) => msg.type() === 'error' && !isExpected(msg.text()) && page.errors.push(msg.text()));
  page.on('pageerror', (err) => page.errors.push(String(err)));
  page.on('request', (req) => {
    const u = new URL(req.url());
    page.requests.push(req.url());
    if (u.protocol !== 'data:' && u.host !== origin) {
      page.foreign.push(req.url());
    }
  });
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  return page;
}

export const hashOf = (page) => new URL(page.url()).hash;
export const hashParam = (page, name) => new URLSearchParams(hashOf(page).slice(1)).get(name);
