// search_text.js - how a typed name is compared with the names in the data, in one place.
// People type Thai names with or without the administrative word in front (ต. / ตำบล,
// อ. / อำเภอ, จ. / จังหวัด, แขวง, เขต), with spaces anywhere, with a tone mark typed
// before or after the vowel above the same letter, and with invisible zero-width spaces
// pasted from elsewhere; Latin spellings of Thai words vary ("Huay" / "Huai", "Kaew" /
// "Kaeo", "Singh" / "Sing", "Bangna" / "Bang Na"). Both sides are reduced to keys that
// these differences do not change, by rules rather than by a list of known names, so any
// city's names work. Names the data has only in Thai are also read in RTGS Latin
// (thai_romanize.js), so "Wat Phra Singh" finds วัดพระสิงห์, below the names written so.
// Pure functions: the browser and node's unit tests run the same code.
import { romanizeThai } from './thai_romanize.js';

// Characters that show nothing but break a comparison (zero-width space and joiners,
// word joiner, byte order mark, soft hyphen).
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

// Thai marks written above or below a consonant. A keyboard lets them be typed in any
// order and the screen shows the same thing, but Unicode's canonical order only settles
// the vowels below against the tone marks: these ranks give one order for all of them
// (vowels, then nikhahit, then tone marks, then the silencer and the repetition mark).
const THAI_MARK_RANK = new Map([
  ['\u0e31', 1], // mai han-akat
  ['\u0e34', 1], ['\u0e35', 1], ['\u0e36', 1], ['\u0e37', 1], // sara i, ii, ue, uee
  ['\u0e38', 1], ['\u0e39', 1], ['\u0e3a', 1], // sara u, uu, phinthu
  ['\u0e47', 2], // maitaikhu
  ['\u0e4d', 3], // nikhahit (the first half of sara am)
  ['\u0e48', 4], ['\u0e49', 4], ['\u0e4a', 4], ['\u0e4b', 4], // the four tone marks
  ['\u0e4c', 5], // thanthakhat
  ['\u0e4e', 6], // yamakkan
]);

// Two marks in a row: only then is there an order to settle.
const THAI_MARKS = /[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]{2}/;

// Sara am is nikhahit + sara aa; some keyboards and fonts make people type the two halves,
// and the tone mark of "น้ำ" may come before or after the nikhahit.
const SARA_AM = /\u0e33/g;

// Administrative words that may stand before a name, with the level they name. A level's
// words are compared with a layer's Thai and English labels from the city profile, so
// "อ.NAME" prefers the district to a tambon of the same name.
const ADMIN_PREFIXES = [
  ['tambon', ['ตำบล', 'ต.', 'แขวง', 'tambon', 'tambol', 'khwaeng', 'subdistrict', 't.']],
  ['district', ['กิ่งอำเภอ', 'อำเภอ', 'อ.', 'เขต', 'amphoe', 'amphur', 'amphor', 'amper', 'khet', 'district', 'a.']],
  ['province', ['จังหวัด', 'จ.', 'changwat', 'province']],
];
// The words a level's layer labels may use (the city profile labels its boundary layers).
const LEVEL_LABELS = {
  tambon: ['ตำบล', 'แขวง', 'tambon', 'subdistrict', 'khwaeng'],
  district: ['อำเภอ', 'เขต', 'district', 'amphoe', 'khet'],
  province: ['จังหวัด', 'province', 'changwat'],
};

// Words naming the kind of place, which the data and the visitor write or leave out
// differently ("ถนนห้วยแก้ว" / "Huay Kaew Road", "ตลาดวโรรส" / "Warorot Market", "หนองหอย" /
// "Ban Nong Hoi"): [Thai word, its English word, the Latin words people type for it].
const PLACE_WORDS = [
  ['ถนน', 'road', ['thanon', 'road', 'rd']],
  ['ประตู', 'gate', ['pratu', 'gate']],
  ['ซอย', 'lane', ['soi', 'lane']],
  ['ตลาด', 'market', ['talat', 'talad', 'market']],
  ['กาด', 'market', ['kat', 'kad', 'market']],
  ['วัด', 'temple', ['wat', 'temple']],
  ['หมู่บ้าน', 'village', ['muban', 'mooban', 'village']],
  ['บ้าน', 'village', ['ban', 'village']],
  ['ชุมชน', 'community', ['chumchon', 'community']],
];

// Longest first, so "กิ่งอำเภอ" is not read as "กิ่ง" + "อำเภอ" and "ตำบล" not as "ต".
const PREFIX_WORDS = ADMIN_PREFIXES.flatMap(([level, words]) => words.map((w) => [clean(w), level])).sort(
  (a, b) => b[0].length - a[0].length,
);

function reorderThaiMarks(text) {
  if (!THAI_MARKS.test(text)) {
    return text; // No two marks together: nothing to order (most names, all Latin text).
  }
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    if (!THAI_MARK_RANK.has(chars[i])) {
      continue;
    }
    let j = i;
    while (j < chars.length && THAI_MARK_RANK.has(chars[j])) {
      j++;
    }
    const run = chars.slice(i, j).sort((a, b) => THAI_MARK_RANK.get(a) - THAI_MARK_RANK.get(b));
    // A mark typed twice shows once.
    const once = run.filter((c, k) => k === 0 || c !== run[k - 1]);
    chars.splice(i, j - i, ...once);
    i += once.length - 1;
  }
  return chars.join('');
}

// NFC, invisible characters dropped, Latin lower case without accents ("Hát Yai" is "hat
// yai"), Thai marks in one order, sara am as its two halves. Spaces are kept (words matter
// to the prefix and Latin rules); fold() removes them.
export function clean(text) {
  return reorderThaiMarks(
    String(text ?? '')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .normalize('NFC')
      .replace(INVISIBLE, '')
      .replace(SARA_AM, '\u0e4d\u0e32')
      .toLowerCase(),
  );
}

// The key a name is matched on: clean() without spaces or punctuation, so "สัน ทราย",
// "บาง นา", "บางนา" and "bang-na" compare as their letters.
export function fold(text) {
  return clean(text).replace(/[^\p{L}\p{M}\p{N}]+/gu, '');
}

// The loose key of Latin text: aspirated and unaspirated consonants alike (ph/p, th/t,
// kh/k, ch/j/c), w and y closing a vowel read as o and i (aew/aeo, ay/ai, oy/oi), a final
// h dropped (Singh/Sing), ue for eu, ua for uea (Phueak/Puak), ie for ia, v for w, oo for u,
// and doubled letters single, across words too (Thep/Theep, Nimman/Niman, Ban Na/Banna). Text without Latin letters has no
// loose key ("").
export function looseLatin(text) {
  // Words keep their other letters: "ก b" must not match as "b".
  const words = clean(text)
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean);
  if (!words.some((w) => /[a-z]/.test(w))) {
    return '';
  }
  return words
    .map((w) =>
      w
        .replace(/([^cpkts])h$/, '$1')
        .replace(/v/g, 'w')
        .replace(/ow(?![aeiou])/g, 'o')
        .replace(/([aeiou])w(?![aeiou])/g, '$1o')
        .replace(/([aeiou])y(?![aeiou])/g, '$1i')
        .replace(/ch|j/g, 'c')
        .replace(/([ptk])h/g, '$1')
        .replace(/eu/g, 'ue')
        .replace(/uea/g, 'ua')
        .replace(/ie/g, 'ia')
        .replace(/oo/g, 'u'),
    )
    .join('')
    .replace(/(.)\1+/g, '$1');
}

// The key a Latin spelling of a Thai name is matched on: looseLatin() with the final
// stops as people hear them too (Kad/Kat, Talad/Talat, Ladprao/Latphrao, Lob/Lop), and
// without h, since words typed together make aspirates of their joins ("bat ho" typed
// "batho").
export function romanKey(text) {
  return looseLatin(text)
    .replace(/d/g, 't')
    .replace(/b/g, 'p')
    .replace(/h/g, '')
    .replace(/(.)\1+/g, '$1');
}

// The romanised keys of a name with Thai letters: its RTGS reading, and when it starts
// with a word for a kind of place, the rest followed by that word in English
// ("huai kaeo road"). None for a name without Thai letters.
function romanKeys(name) {
  const text = clean(name).trim();
  if (!/[\u0e01-\u0e4f]/.test(text)) {
    return [];
  }
  const keys = [romanKey(romanizeThai(text))];
  const word = PLACE_WORDS.find(([thai]) => text.startsWith(thai) && text.length > thai.length);
  if (word) {
    keys.push(romanKey(`${romanizeThai(text.slice(word[0].length))} ${word[1]}`));
  }
  return keys.filter(Boolean);
}

// Latin and Thai words for a kind of place, as whole words ("ban", "road") or as a Thai
// name's first letters (ถนน...).
const PLACE_LATIN = new Set(PLACE_WORDS.flatMap(([, english, latin]) => [english, ...latin]));

// Text without the words for a kind of place at its start or end ("ban nong hoi" -> "nong
// hoi", "huay kaew road" -> "huay kaew", "ตลาดวโรรส" -> "วโรรส"), or null when it has none.
function withoutPlaceWords(text) {
  const words = text.split(/\s+/).filter(Boolean);
  while (words.length > 1 && PLACE_LATIN.has(words[0])) {
    words.shift();
  }
  while (words.length > 1 && PLACE_LATIN.has(words[words.length - 1])) {
    words.pop();
  }
  let rest = words.join(' ');
  const thai = PLACE_WORDS.find(([word]) => rest.startsWith(word) && rest.length > word.length);
  if (thai) {
    rest = rest.slice(thai[0].length).trim();
  }
  return rest && rest !== text ? rest : null;
}

// The administrative word at the start of text (after clean()), if any: [word, level].
function leadingPrefix(text) {
  for (const [word, level] of PREFIX_WORDS) {
    if (!text.startsWith(word)) {
      continue;
    }
    const rest = text.slice(word.length);
    // A Latin word must end there ("tambon suthep", "t.suthep"), not run on ("tamboni").
    const latin = /[a-z]$/.test(word);
    if (!latin || rest === '' || !/^[a-z]/.test(rest)) {
      return [word, level];
    }
  }
  return null;
}

// A typed query, read once: its keys with and without the administrative words, the level
// they name, and the further parts ("ต.NAME อ.DISTRICT": the district the tambon is in).
// readings: each part in turn as the name and the others as its context, so the parts may
// come in any order ("อ.DISTRICT ต.NAME"); the members outside it are the first reading's.
export function parseQuery(text) {
  const cleaned = clean(text).trim();
  // Parts start where an administrative word starts a word: at the beginning or after a space.
  const parts = [];
  for (const word of cleaned.split(/\s+/).filter(Boolean)) {
    const found = leadingPrefix(word);
    if (found || parts.length === 0) {
      parts.push({ text: found ? word.slice(found[0].length) : word, level: found ? found[1] : null });
    } else {
      parts[parts.length - 1].text += ` ${word}`;
    }
  }
  if (parts.length === 0) {
    parts.push({ text: '', level: null });
  }
  const names = (part) => ({ name: fold(part), looseName: looseLatin(part), romanName: romanKey(part) });
  const readings = parts.map((part, i) => ({
    ...names(part.text),
    level: part.level,
    context: parts
      .filter((_, j) => j !== i)
      .map((p) => ({ key: fold(p.text), loose: looseLatin(p.text), roman: romanKey(p.text) }))
      .filter((c) => c.key),
  }));
  // The name without the words for a kind of place, which search_rank.js also tries
  // ("ban nong hoi" finds the village the data names หนองหอย).
  const bare = withoutPlaceWords(parts[0].text.trim());
  if (bare) {
    readings.push({ ...readings[0], ...names(bare), bare: true });
  }
  return {
    // The whole query as typed (a name may itself start with "เขต" or "แขวง").
    full: fold(cleaned),
    looseFull: looseLatin(cleaned),
    romanFull: romanKey(cleaned),
    ...readings[0],
    readings,
  };
}

// The keys of one searchable name: the Thai (or local) name, its Latin name when the data
// has one, the Thai name read in Latin, and the context (the district of a tambon).
export function entryKeys(name, latinName, context) {
  const names = [name, latinName].filter((n) => n !== null && n !== undefined && String(n) !== '');
  return {
    exact: names.map(fold).filter(Boolean),
    loose: names.map(looseLatin).filter(Boolean),
    roman: name === null || name === undefined ? [] : romanKeys(String(name)),
    context: context ? { key: fold(context), loose: looseLatin(context), roman: romanKeys(String(context))[0] || '' } : null,
  };
}

// Whether a layer label ({ th, en }) names the level an administrative word asked for.
export function labelIsLevel(label, level) {
  if (!level || !label) {
    return false;
  }
  const words = LEVEL_LABELS[level];
  return [label.th, label.en].some((l) => l && words.some((w) => clean(l).includes(clean(w))));
}

// Match ranks, best first: the name is the query, starts with it, or holds it; at each of
// these the name as written comes first, then a loose (Latin rules) match, since a loose
// whole name is the same name spelled another way (typed "Wat Singh", the tambon "Wat
// Sing" comes before a guesthouse called "Wat Singh Place"), then a match of the Thai
// name read in Latin (typed "Wat Phra Singh", the temple วัดพระสิงห์ comes after a place
// the data names "Wat Phra Singh", before "Wat Phra Singh Hostel").
export const RANK = {
  EXACT: 0,
  LOOSE_EXACT: 1,
  ROMAN_EXACT: 2,
  PREFIX: 3,
  LOOSE_PREFIX: 4,
  ROMAN_PREFIX: 5,
  CONTAINS: 6,
  LOOSE_CONTAINS: 7,
  ROMAN_CONTAINS: 8,
};
// The ways a name may be matched, in RANK's order within each of exact, prefix, contains.
const CHANNELS = 3;

function compare(query, key) {
  if (!query || !key) {
    return null;
  }
  if (key === query) {
    return 0;
  }
  if (key.startsWith(query)) {
    return 1;
  }
  return key.includes(query) ? 2 : null;
}

// The better of rank and the best rank of the query keys a and b against any name key;
// channel: 0 for the names as written, 1 for loose keys, 2 for romanised ones. Called for
// every name on every keystroke, so it allocates nothing.
function best(rank, a, b, keys, channel) {
  let found = rank;
  const consider = (q, k) => {
    const r = compare(q, k);
    if (r !== null && (found === null || CHANNELS * r + channel < found)) {
      found = CHANNELS * r + channel;
    }
  };
  for (const k of keys) {
    consider(a, k);
    consider(b, k);
  }
  return found;
}

function contextMatches(wanted, context) {
  if (!context) {
    return false;
  }
  const holds = (a, b) => Boolean(a && b && b.includes(a));
  return holds(wanted.key, context.key) || holds(wanted.loose, context.loose) || holds(wanted.roman, context.roman);
}

// The rank of an entry (from entryKeys) for a query (from parseQuery), or null when it does
// not match. Every further part of the query must be found in the entry's context.
export function matchRank(query, keys) {
  if (query.context.some((c) => !contextMatches(c, keys.context))) {
    return null;
  }
  let rank = best(null, query.full, query.name, keys.exact, 0);
  rank = best(rank, query.looseFull, query.looseName, keys.loose, 1);
  return best(rank, query.romanFull, query.romanName, keys.roman, 2);
}
