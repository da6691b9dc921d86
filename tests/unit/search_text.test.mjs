// search_text.test.mjs - the web map's search (web/src/search_text.js, search_rank.js) on
// how people type names: Thai administrative prefixes, spaces, tone marks typed before the
// vowel, zero-width characters, Latin spelling variants; then on every tambon and district
// of both bundled cities (datasets/catalog.json and datasets/hatyai/catalog.json, read
// through their city profiles as the map reads them), so a second city needs no code.
// Run by ctest as `node --test`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { clean, fold, looseLatin, parseQuery } from '../../web/src/search_text.js';
import { MAX_RESULTS, makeEntry, search } from '../../web/src/search_rank.js';
import { CITY_CATALOGS, cityEntries } from './city_entries.mjs';

const TAMBON = { th: 'ตำบล', en: 'tambon' };
const DISTRICT = { th: 'อำเภอ', en: 'district' };
const PLACE = { th: 'สถานที่', en: 'place' };

const first = (groups) => (groups.length ? groups[0].entries[0] : null);

test('tone marks and vowels typed in either order fold alike', () => {
  // ก + mai ek + sara ii, and ก + sara ii + mai ek, look the same on screen.
  assert.equal(fold('ก\u0e48\u0e35'), fold('ก\u0e35\u0e48'));
  // น้ำ: tone before sara am, tone after nikhahit, nikhahit + sara aa typed apart.
  const water = fold('น\u0e49\u0e33');
  assert.equal(fold('น\u0e4d\u0e49\u0e32'), water);
  assert.equal(fold('น\u0e49\u0e4d\u0e32'), water);
  // A mark typed twice shows once.
  assert.equal(fold('ก\u0e48\u0e48\u0e35'), fold('ก\u0e35\u0e48'));
  // Different tone marks stay different.
  assert.notEqual(fold('ก\u0e48'), fold('ก\u0e49'));
});

test('zero-width characters, spaces and punctuation do not count', () => {
  assert.equal(fold('สัน\u200bทราย'), fold('สันทราย'));
  assert.equal(fold('\ufeffสัน ทราย '), fold('สันทราย'));
  assert.equal(fold('San-Sai'), 'sansai');
  assert.equal(fold('Hát Yai'), 'hatyai');
  assert.equal(clean('  ABC '), '  abc ');
});

test('administrative prefixes are optional, abbreviated or spelled out', () => {
  for (const typed of ['ต.สุเทพ', 'ต. สุเทพ', 'ตำบลสุเทพ', 'ตำบล สุเทพ', 'แขวงสุเทพ', 'tambon สุเทพ']) {
    const q = parseQuery(typed);
    assert.equal(q.name, fold('สุเทพ'), typed);
    assert.equal(q.level, 'tambon', typed);
  }
  for (const typed of ['อ.สันทราย', 'อำเภอ สันทราย', 'เขตสันทราย', 'กิ่งอำเภอสันทราย', 'Amphoe San Sai']) {
    assert.equal(parseQuery(typed).level, 'district', typed);
  }
  assert.equal(parseQuery('จ.เชียงใหม่').level, 'province');
  const both = parseQuery('ต.สุเทพ อ.เมืองเชียงใหม่');
  assert.equal(both.name, fold('สุเทพ'));
  assert.deepEqual(both.context.map((c) => c.key), [fold('เมืองเชียงใหม่')]);
  // No prefix: the whole query is the name; a Latin word that only starts like one is kept.
  assert.equal(parseQuery('สุเทพ').level, null);
  assert.equal(parseQuery('Khetsiri').level, null);
  assert.equal(parseQuery('Khetsiri').name, 'khetsiri');
});

test('Latin spellings match loosely by rules', () => {
  const same = [
    ['Sansai', 'San Sai'],
    ['Phra Singh', 'Phra Sing'],
    ['Huay Kaew', 'Huai Kaeo'],
    ['Huay Kaeow', 'Huai Kaeo'],
    ['Chang Puak', 'Chang Phueak'],
    ['Suthep', 'Sutheep'],
    ['Nimmanhemin', 'Nimmanhemin'],
    ['Vieng', 'Wiang'],
    ['Jedi Luang', 'Chedi Luang'],
    ['Nong Hoy', 'Nong Hoi'],
    ['Muang', 'Mueang'.replace('ue', 'u')],
    ['Khlong Hae', 'Klong Hae'],
    ['Ban Doo', 'Ban Du'],
  ];
  for (const [a, b] of same) {
    assert.equal(looseLatin(a), looseLatin(b), `${a} ~ ${b}`);
  }
  const different = [
    ['San Sai', 'San Kamphaeng'],
    ['Mae Hia', 'Mae Rim'],
    ['Pa Daet', 'Pa Tan'],
  ];
  for (const [a, b] of different) {
    assert.notEqual(looseLatin(a), looseLatin(b), `${a} !~ ${b}`);
  }
  assert.equal(looseLatin('สุเทพ'), '', 'Thai text has no loose Latin key');
  assert.notEqual(looseLatin('กก <b>'), looseLatin('b'), 'the Thai letters of mixed text count');
});

test('ranking: exact, prefix, contains (each as written, then loose), grouped by kind and bounded', () => {
  const entries = [
    makeEntry({ name: 'ตลาดสันทราย', kind: PLACE, order: 2 }),
    makeEntry({ name: 'สันทรายหลวง', latinName: 'San Sai Luang', kind: TAMBON, order: 1 }),
    makeEntry({ name: 'สันทราย', latinName: 'San Sai', kind: DISTRICT, order: 0 }),
    makeEntry({ name: 'สันทราย', latinName: 'San Sai', kind: TAMBON, order: 1, context: 'พร้าว' }),
  ];
  const groups = search(entries, 'สันทราย');
  const flat = groups.flatMap((g) => g.entries);
  assert.deepEqual(
    flat.map((e) => `${e.kind.en}:${e.name}`),
    ['district:สันทราย', 'tambon:สันทราย', 'tambon:สันทรายหลวง', 'place:ตลาดสันทราย'],
  );
  assert.deepEqual(groups.map((g) => g.kind.en), ['district', 'tambon', 'place']);
  // The prefix names the level: a tambon of the same name comes first.
  assert.equal(first(search(entries, 'ต.สันทราย')).kind.en, 'tambon');
  assert.equal(first(search(entries, 'อ.สันทราย')).kind.en, 'district');
  // The context part picks the tambon in that district.
  assert.equal(first(search(entries, 'ต.สันทราย อ.พร้าว')).context, 'พร้าว');
  assert.equal(search(entries, 'ต.สันทราย อ.ไม่มี').length, 0);
  // The parts in the other order.
  const reversed = first(search(entries, 'อ.พร้าว ต.สันทราย'));
  assert.ok(reversed.kind.en === 'tambon' && reversed.context === 'พร้าว', 'อ.พร้าว ต.สันทราย');
  // Latin: exact before loose.
  assert.equal(first(search(entries, 'sansai')).latinName, 'San Sai');
  assert.equal(first(search(entries, 'san sai luang')).name, 'สันทรายหลวง');
  // Bounded, and nothing for an empty or unmatched query.
  const many = Array.from({ length: 500 }, (_, i) => makeEntry({ name: `บ้าน${i}`, kind: PLACE }));
  assert.ok(search(many, 'บ้าน').flatMap((g) => g.entries).length <= MAX_RESULTS);
  assert.deepEqual(search(entries, '   '), []);
  assert.deepEqual(search(entries, '\u200b'), []);
  assert.deepEqual(search(entries, 'zzzz'), []);
  // Hostile text is only text.
  assert.deepEqual(search(entries, 'x'.repeat(100000)), []);
  assert.deepEqual(search(entries, '\u0000\u0001<script>'), []);
});

// Every vowel-above + tone pair typed tone first, which a Thai keyboard allows.
const toneFirst = (name) => name.replace(/([\u0e31\u0e34-\u0e37])([\u0e48-\u0e4b])/g, '$2$1');
// Spaces typed before every third letter that may start a syllable (a consonant or a vowel
// written before one), as people split a name they are unsure of.
const spaced = (name) => [...name].map((c, i) => (i % 3 === 2 && /[\u0e01-\u0e2e\u0e40-\u0e44]/.test(c) ? ` ${c}` : c)).join('');
// A Latin name typed the other common way: ay for ai, p for ph, all lower case, no spaces.
const otherSpelling = (name) => name.replace(/ai\b/g, 'ay').replace(/Ph/g, 'P').replace(/ /g, '').toLowerCase();

for (const [city, catalogPath] of CITY_CATALOGS) {
  test(`every tambon and district of ${city} is found first as people type it`, () => {
    const entries = cityEntries(catalogPath);
    const catalog = JSON.parse(readFileSync(catalogPath));
    const [districtLayer, tambonLayer] = catalog.city.boundaries.map((b) => b.layer);
    const tambon = entries.filter((e) => e.layer === tambonLayer);
    const districts = entries.filter((e) => e.layer === districtLayer);
    assert.ok(tambon.length > 10 && districts.length > 2, `${city} has tambon and districts`);
    let reordered = 0;
    for (const t of tambon) {
      const sameTambon = (e) => e && e.layer === tambonLayer && e.name === t.name;
      for (const typed of [`ต.${t.name}`, `ตำบล ${spaced(t.name)}`, `ต.${toneFirst(t.name)}`]) {
        assert.ok(sameTambon(first(search(entries, typed))), `${city}: "${typed}" finds tambon ${t.name}`);
      }
      // Two tambon may share a Latin name (แม่คะ and แม่ข่า are both "Mae Kha"): either will do.
      const sameLatin = (e) => e && e.layer === tambonLayer && looseLatin(e.latinName) === looseLatin(t.latinName);
      for (const typed of [`tambon ${t.latinName}`, `t.${otherSpelling(t.latinName)}`]) {
        assert.ok(sameLatin(first(search(entries, typed))), `${city}: "${typed}" finds tambon ${t.latinName}`);
      }
      reordered += toneFirst(t.name) !== t.name ? 1 : 0;
      // With its district, the one tambon of that name in that district.
      for (const typed of [`ต.${t.name} อ.${t.context}`, `อ.${t.context} ต.${t.name}`]) {
        const exact = first(search(entries, typed));
        assert.ok(sameTambon(exact) && exact.context === t.context, `${city}: ${typed}`);
      }
    }
    assert.ok(reordered > 0, `${city}: some tambon names were typed with the tone mark first`);
    for (const d of districts) {
      const found = first(search(entries, `อ.${d.name}`));
      assert.ok(found && found.layer === districtLayer && found.name === d.name, `${city}: อ.${d.name}`);
      const latin = first(search(entries, `amphoe ${d.latinName}`));
      assert.ok(latin && latin.layer === districtLayer && latin.latinName === d.latinName, `${city}: amphoe ${d.latinName}`);
    }
  });
}
