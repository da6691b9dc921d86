// style_vectors.test.mjs - the web map's style evaluation (web/src/style_eval.js) on the
// cases of tests/data/style_vectors.json, which tests/unit/test_styles.c runs through the
// C renderer's (src/styles/style_eval.c): the two languages answer alike. Run by ctest as
// `node --test`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { evaluate, filterMatches, mergeStyle, parseColor } from '../../web/src/style_eval.js';

const vectors = JSON.parse(readFileSync(new URL('../data/style_vectors.json', import.meta.url)));

// What the renderer would use of a value: a number, label text, or a colour; null: none.
function asWanted(value, want) {
  if (value === undefined || value === null) {
    return null;
  }
  if (want === 'number') {
    return typeof value === 'number' ? value : null;
  }
  if (want === 'string') {
    return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  }
  return parseColor(value) || null;
}

test('style values evaluate as in the C renderer', () => {
  for (const c of vectors.eval) {
    const got = asWanted(evaluate(c.expr, vectors.feature, c.zoom), c.want);
    const what = `${JSON.stringify(c.expr)} as ${c.want} at zoom ${c.zoom}`;
    if (c.want === 'color' && Array.isArray(c.result) && Array.isArray(got)) {
      got.forEach((v, i) => assert.ok(Math.abs(v - c.result[i]) <= 1, `${what}: ${got} vs ${c.result}`));
    } else if (typeof c.result === 'number' && typeof got === 'number') {
      assert.ok(Math.abs(got - c.result) < 1e-9, `${what}: ${got} vs ${c.result}`);
    } else {
      assert.deepEqual(got, c.result, what);
    }
  }
});

test('style filters match as in the C renderer', () => {
  for (const c of vectors.filter) {
    assert.equal(filterMatches(c.filter, vectors.feature), c.result, JSON.stringify(c.filter));
  }
});

test('scenario style overrides merge as in the C renderer', () => {
  const before = JSON.stringify(vectors.merge_base);
  for (const c of vectors.merge) {
    assert.deepEqual(mergeStyle(vectors.merge_base, c.override).layers, c.layers, JSON.stringify(c.override));
  }
  assert.equal(JSON.stringify(vectors.merge_base), before, 'the base style is not changed');
});
