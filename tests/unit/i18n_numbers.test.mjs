// i18n_numbers.test.mjs - the web map's numbers (web/src/i18n.js formatNumber): whole
// numbers grouped without Intl (so the first view never starts the browser's number data)
// read exactly as Intl.NumberFormat writes them in both languages. Run by ctest as
// `node --test` (Node's Intl has the full ICU data).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber } from '../../web/src/i18n.js';

// Seeded, so a failure repeats.
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const LOCALES = { th: 'th-TH', en: 'en-GB' };

function intl(lang, value) {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits }).format(value);
}

test('whole numbers and every magnitude read as Intl writes them', () => {
  const next = random(7);
  const values = [0, 1, -1, 0.125, 9.995, 10, 99.95, 99.5, 100, -100, 100.5, 101.5, -100.5, 999.5, 1000, -1000.5,
    12580, 1234567.49, 1234567.5, -99999.5, 2.5e9, 123456789012, Number.MAX_SAFE_INTEGER - 1, 1e16, 3.4e21, -7e300];
  for (let i = 0; i < 20000; i++) {
    values.push((next() - 0.5) * 10 ** (next() * 16));
  }
  for (const value of values) {
    for (const lang of Object.keys(LOCALES)) {
      assert.equal(formatNumber(lang, value), intl(lang, value), `${lang} ${value}`);
    }
  }
});

test('what is not a number says so', () => {
  assert.notEqual(formatNumber('en', NaN), 'NaN');
  assert.equal(formatNumber('en', Infinity), formatNumber('en', null));
});
