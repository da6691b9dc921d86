// thai_romanize.test.mjs - Thai names read in RTGS Latin (web/src/thai_romanize.js) and
// found by Latin typing: every Thai/English name pair the bundled data holds (tambon,
// districts, provinces, city walls: any X_th / X_en property pair) read alike after the
// search's shared Latin normalisation in at least 90 % of cases; well-known names of both
// cities; and every Thai-only name of both cities' gazetteers found by its reading typed
// the ways visitors type it. Run by ctest as `node --test`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { romanizeThai } from '../../web/src/thai_romanize.js';
import { looseLatin } from '../../web/src/search_text.js';
import { makeEntry, search } from '../../web/src/search_rank.js';
import { CITY_CATALOGS, cityEntries, readCatalog } from './city_entries.mjs';

const THAI = /[\u0e01-\u0e4f]/;
const LATIN = /[A-Za-z]/;

// [Thai, its Latin form] for every feature property pair NAME_th / NAME_en of every GeoJSON
// layer of both catalogs, once per Thai name.
function dataPairs() {
  const pairs = new Map();
  for (const [, catalogPath] of CITY_CATALOGS) {
    const { catalog, features } = readCatalog(catalogPath);
    for (const dataset of catalog.datasets.filter((d) => d.path.endsWith('.geojson'))) {
      for (const feature of features(dataset.id)) {
        const p = feature.properties || {};
        for (const [key, thai] of Object.entries(p)) {
          const base = /^(.*)_(th|TH)$/.exec(key);
          const latin = base && (p[`${base[1]}_en`] ?? p[`${base[1]}_EN`]);
          if (latin && THAI.test(String(thai)) && !pairs.has(thai)) {
            pairs.set(String(thai), String(latin));
          }
        }
      }
    }
  }
  return pairs;
}

test('the Thai names of the data read as their Latin names (>= 90 % of at least 150 pairs)', () => {
  const pairs = dataPairs();
  assert.ok(pairs.size >= 150, `at least 150 name pairs in the data (got ${pairs.size})`);
  const misses = [...pairs].filter(([thai, latin]) => looseLatin(romanizeThai(thai)) !== looseLatin(latin));
  const rate = 1 - misses.length / pairs.size;
  console.log(`# RTGS reading equals the data's Latin name for ${pairs.size - misses.length} of ${pairs.size} pairs (${(100 * rate).toFixed(1)} %)`);
  for (const [thai, latin] of misses) {
    console.log(`#   ${thai}: read "${romanizeThai(thai)}", data "${latin}"`);
  }
  assert.ok(rate >= 0.9, `${(100 * rate).toFixed(1)} % of the pairs read alike`);
});

test('the writing rules: clusters, silent letters, implicit vowels, finals, digits', () => {
  const cases = [
    ['วัดพระสิงห์', 'Wat Phra Sing'], // silent ห์, cluster พร
    ['วัดเจดีย์หลวง', 'Wat Chedi Luang'], // silent ย์, leading ห
    ['ตลาดวโรรส', 'Talat Warorot'], // open implicit a, a last consonant closing its own syllable
    ['กาดหลวง', 'Kat Luang'],
    ['บ้านหนองหอย', 'Ban Nong Hoi'], // อ as the vowel o, ย closing it
    ['ถนนห้วยแก้ว', 'Thanon Huai Kaeo'], // ถนน: a then o; ว as the vowel ua; แ-ว
    ['ประตูท่าแพ', 'Pratu Tha Phae'],
    ['ดอยสุเทพ', 'Doi Suthep'],
    ['เชียงใหม่', 'Chiang Mai'], // เ-ีย, ใ with a silent ห
    ['หาดใหญ่', 'Hat Yai'],
    ['ช้างเผือก', 'Chang Phueak'], // เ-ือ
    ['สันทราย', 'San Sai'], // ทร reads s
    ['ศรีภูมิ', 'Si Phum'], // ศร reads s; the unspoken final ิ
    ['ไทย', 'Thai'], // ย after ai not read
    ['ธรรม', 'Tham'], // รร
    ['สวรรค์', 'Sawan'],
    ['จันทร์', 'Chan'], // ทร์ both silent
    ['ศาสตร์', 'Sat'],
    ['ลักษณ์', 'Lak'],
    ['เพชร', 'Phet'], // ร after a final not read
    ['นคร', 'Nakhon'],
    ['สงขลา', 'Songkhla'],
    ['แพร่', 'Phrae'], // a cluster shown by the leading vowel
    ['คลองอู่ตะเภา', 'Khlong U Taphao'],
    ['ต่างๆ', 'tang tang'], // ๆ repeats
    ['ซอย ๑๒', 'Soi 12'], // Thai digits
    ['Robinson เชียงใหม่', 'Robinson Chiang Mai'], // Latin kept
  ];
  for (const [thai, latin] of cases) {
    assert.equal(looseLatin(romanizeThai(thai)), looseLatin(latin), `${thai} reads ${latin} (got "${romanizeThai(thai)}")`);
  }
  assert.equal(romanizeThai(''), '');
  assert.equal(romanizeThai(null), '');
  assert.equal(romanizeThai('Nim City'), 'Nim City');
  // Stray marks and a long hostile text are only text.
  assert.equal(typeof romanizeThai('\u0e4c\u0e31\u0e48เ'), 'string');
  assert.ok(romanizeThai('ก'.repeat(100000)).length > 0);
});

const TEMPLE = { th: 'วัด', en: 'temple' };
const PLACE = { th: 'สถานที่', en: 'place' };
const VILLAGE = { th: 'ชุมชน', en: 'village' };
const ROAD = { th: 'ถนน', en: 'road' };
const TAMBON = { th: 'ตำบล', en: 'tambon' };
const names = (groups) => groups.flatMap((g) => g.entries).map((e) => e.name);

test('Latin typing finds Thai-only names, after the names written in Latin', () => {
  const entries = [
    makeEntry({ name: 'พระสิงห์', latinName: 'Phra Sing', kind: TAMBON, order: 0 }),
    makeEntry({ name: 'ห้วยแก้ว', latinName: 'Huai Kaeo', kind: TAMBON, order: 0 }),
    makeEntry({ name: 'หนองหอย', latinName: 'Nong Hoi', kind: TAMBON, order: 0 }),
    makeEntry({ name: 'ลวงเหนือ', latinName: 'Luang Nuea', kind: TAMBON, order: 0 }),
    makeEntry({ name: 'วัดพระสิงห์', kind: TEMPLE, order: 1 }),
    makeEntry({ name: 'Wat Phra Singh Hostel', kind: PLACE, order: 2 }),
    makeEntry({ name: 'หนองหอย', kind: VILLAGE, order: 1 }),
    makeEntry({ name: 'สำนักงานเทศบาลหนองหอย', kind: PLACE, order: 2 }),
    makeEntry({ name: 'ตลาดผลไม้ (กาดหลวง)', kind: PLACE, order: 2 }),
    makeEntry({ name: 'Doi Luang Coffee', kind: PLACE, order: 2 }),
    makeEntry({ name: 'ชาตรามือ สาขาตลาดวโรรส', kind: PLACE, order: 2 }),
    makeEntry({ name: 'ถนนห้วยแก้ว', kind: ROAD, order: 3 }),
  ];
  // The temple before a place whose name only starts so; the tambon of the Latin name first.
  assert.deepEqual(names(search(entries, 'wat phra singh')).slice(0, 2), ['วัดพระสิงห์', 'Wat Phra Singh Hostel']);
  for (const typed of ['Wat Phra Sing', 'wat pra singh', 'Wat Prasingh', 'watphrasing']) {
    assert.equal(names(search(entries, typed))[0], 'วัดพระสิงห์', typed);
  }
  assert.equal(names(search(entries, 'Phra Singh'))[0], 'พระสิงห์', 'the tambon named so in Latin comes first');
  // Kad / Kat, Talad / Talat: inside a longer name, before names that only start with
  // the rest of the query ("luang").
  for (const typed of ['kad luang', 'Kat Luang']) {
    assert.equal(names(search(entries, typed))[0], 'ตลาดผลไม้ (กาดหลวง)', typed);
  }
  assert.equal(names(search(entries, 'talad warorot'))[0], 'ชาตรามือ สาขาตลาดวโรรส');
  // "Ban", "road": the word for the kind of place may be typed where the data has none, or
  // in English where the data has it in Thai.
  const village = search(entries, 'ban nong hoi');
  assert.ok(village.some((g) => g.kind.en === 'village' && g.entries[0].name === 'หนองหอย'), 'ban nong hoi finds the village');
  assert.equal(names(search(entries, 'huay kaew road'))[0], 'ถนนห้วยแก้ว');
  assert.equal(names(search(entries, 'thanon huai kaeo'))[0], 'ถนนห้วยแก้ว');
  // Thai typing is untouched: the name written so first.
  assert.equal(names(search(entries, 'หนองหอย'))[0], 'หนองหอย');
  assert.deepEqual(search(entries, 'wat zzz'), []);
});

// A reading typed as visitors type it: aspirates left out (ph/p, th/t, kh/k), final t as d
// and ai as ay, capitals, no spaces.
const TYPINGS = [
  (r) => r,
  (r) => r.replace(/([ptk])h/g, '$1'),
  (r) => r.replace(/t\b/g, 'd').replace(/ai\b/g, 'ay').replace(/\b\w/g, (c) => c.toUpperCase()),
  (r) => r.replace(/\s+/g, ''),
];

for (const [city, catalogPath] of CITY_CATALOGS) {
  test(`every Thai-only name of ${city}'s gazetteer is found by its Latin reading`, () => {
    const { catalog } = readCatalog(catalogPath);
    const gazetteer = new Set(catalog.city.gazetteer.map((g) => g.layer));
    const entries = cityEntries(catalogPath);
    const thaiOnly = [
      ...new Set(entries.filter((e) => gazetteer.has(e.layer) && THAI.test(e.name) && !LATIN.test(e.name)).map((e) => e.name)),
    ];
    assert.ok(thaiOnly.length > 0, `${city} has Thai-only names`);
    // Each name typed one of the ways in turn: every way is tried on hundreds of names, and
    // the test stays quick (each search scans the whole city).
    const missed = [];
    thaiOnly.forEach((name, i) => {
      const typed = TYPINGS[i % TYPINGS.length](romanizeThai(name));
      if (!names(search(entries, typed)).includes(name)) {
        missed.push(`${name} as "${typed}"`);
      }
    });
    console.log(`# ${city}: ${thaiOnly.length} Thai-only names typed in Latin, ${missed.length} not found`);
    assert.deepEqual(missed, [], `${city}: every Thai-only name is found`);
  });
}
