// area_counts.test.mjs - the /stats request of the web map's area summary
// (web/src/area_counts.js): names and fields with quotes stay inside their CQL2 literals,
// and the counts are read from the chosen area's rows only. Run by ctest as `node --test`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { areaFilter, countsOf } from '../../web/src/area_counts.js';

test('the by-filter quotes names and fields', () => {
  const source = { nameField: 'adm3_th', contextField: 'adm2_th' };
  assert.equal(areaFilter({ name: 'สุเทพ', context: 'เมือง' }, source), `"adm3_th"='สุเทพ' AND "adm2_th"='เมือง'`);
  assert.equal(areaFilter({ name: "O'Hare' OR 1=1 --", context: null }, source), `"adm3_th"='O''Hare'' OR 1=1 --'`);
  assert.equal(areaFilter({ name: 'x' }, { nameField: 'a"b' }), `"a""b"='x'`);
});

test('counts come from the chosen area only, categories largest first', () => {
  const doc = {
    rows: [
      { area_id: 8, group: null, value: 12 },
      { area_id: 8, group: 'shop', value: 3 },
      { area_id: 8, group: 'temple', value: 9 },
      { area_id: 8, group: 'bar', value: 0 },
      { area_id: 9, group: null, value: 100 },
      { area_id: null, group: 'shop', value: 50 },
    ],
  };
  assert.deepEqual(countsOf(doc, 8), { total: 12, groups: [['temple', 9], ['shop', 3]] });
  assert.deepEqual(countsOf(doc, '9'), { total: 100, groups: [] });
  assert.throws(() => countsOf(doc, 10), /no count/);
  assert.throws(() => countsOf({}, 8), /no count/);
});
