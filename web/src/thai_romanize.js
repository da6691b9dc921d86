// thai_romanize.js - Thai text in Latin letters the way Thai signs and maps write it: the
// Royal Thai General System of Transcription (RTGS, Royal Institute 1999). Names that the
// data has only in Thai ("วัดพระสิงห์", "กาดหลวง") can then be found by what a visitor types
// ("Wat Phra Singh", "Kad Luang"); search_text.js compares the result loosely.
//
// No maintained library does this (checked on npm: the one Thai romaniser there maps
// letters one by one, "หนองหอย" -> "hnonghoy"; ICU's Thai-Latin is ISO 11940, "hwy kaew"),
// so the published rules are implemented here:
// - words come from the browser's own Thai dictionary (Intl.Segmenter), syllables from the
//   writing rules below: [leading vowel] initial consonant(s) [vowel] [final consonant];
// - tone marks are not written in RTGS, nor is vowel length (ะ/า both "a");
// - a consonant under the silencer ์ (thanthakhat) is not read, nor the vowel on it;
// - a syllable written without a vowel reads "o" when closed (คน "khon") and "a" when open
//   (ตลาด "ta-lat"), and ห or อ before a sonorant only carries the tone (หนอง "nong");
// - a consonant reads one way at the start of a syllable and another at its end (จ: "ch" /
//   "t", ร: "r" / "n"); ย and ว ending a vowel read i and o (ไทย, แก้ว "kaeo").
// What RTGS takes from a word's history (the linking vowel of Pali compounds, ราชวัง
// "ratchawang") is beyond rules; the search's loose matching absorbs most of it.

// The reading of each consonant at the start of a syllable and at its end.
const CONSONANTS = new Map(
  [
    ['ก', 'k', 'k'], ['ข', 'kh', 'k'], ['ฃ', 'kh', 'k'], ['ค', 'kh', 'k'], ['ฅ', 'kh', 'k'], ['ฆ', 'kh', 'k'],
    ['ง', 'ng', 'ng'], ['จ', 'ch', 't'], ['ฉ', 'ch', 't'], ['ช', 'ch', 't'], ['ซ', 's', 't'], ['ฌ', 'ch', 't'],
    ['ญ', 'y', 'n'], ['ฎ', 'd', 't'], ['ฏ', 't', 't'], ['ฐ', 'th', 't'], ['ฑ', 'th', 't'], ['ฒ', 'th', 't'],
    ['ณ', 'n', 'n'], ['ด', 'd', 't'], ['ต', 't', 't'], ['ถ', 'th', 't'], ['ท', 'th', 't'], ['ธ', 'th', 't'],
    ['น', 'n', 'n'], ['บ', 'b', 'p'], ['ป', 'p', 'p'], ['ผ', 'ph', 'p'], ['ฝ', 'f', 'p'], ['พ', 'ph', 'p'],
    ['ฟ', 'f', 'p'], ['ภ', 'ph', 'p'], ['ม', 'm', 'm'], ['ย', 'y', 'i'], ['ร', 'r', 'n'], ['ล', 'l', 'n'],
    ['ว', 'w', 'o'], ['ศ', 's', 't'], ['ษ', 's', 't'], ['ส', 's', 't'], ['ห', 'h', ''], ['ฬ', 'l', 'n'],
    ['อ', '', ''], ['ฮ', 'h', ''],
  ].map(([letter, initial, final]) => [letter, { initial, final }]),
);

// Vowels written before the consonant they follow in speech.
const LEADING_VOWELS = new Set(['เ', 'แ', 'โ', 'ใ', 'ไ']);
// Vowel signs that sit on or follow a consonant: a consonant carrying one starts a syllable.
const VOWEL_SIGNS = new Set(['ะ', 'ั', 'า', 'ำ', 'ิ', 'ี', 'ึ', 'ื', 'ุ', 'ู', 'ๅ']);
// Sonorants that a silent ห (or อ before ย) makes high or mid class: หนอง, หลวง, อยู่.
const SONORANTS = new Set(['ง', 'ญ', 'น', 'ม', 'ย', 'ร', 'ล', 'ว']);
// True clusters: the consonants ร, ล and ว may follow in one initial. ท, ศ, ส, ซ and จ
// before ร lose the ร (ทราย "sai", ศรี "si", จริง "ching").
const CLUSTER_BEFORE = {
  'ร': new Set(['ก', 'ข', 'ค', 'ต', 'ป', 'พ', 'ผ', 'บ', 'ด', 'ฟ', 'ท', 'ศ', 'ส', 'ซ', 'จ']),
  'ล': new Set(['ก', 'ข', 'ค', 'ป', 'พ', 'ผ', 'บ', 'ฟ']),
  'ว': new Set(['ก', 'ข', 'ค']),
};
const R_SILENT_AFTER = new Set(['ท', 'ศ', 'ส', 'ซ', 'จ']);
const TRUE_R_INITIAL = { 'ท': 's', 'ศ': 's', 'ส': 's', 'ซ': 's', 'จ': 'ch' };
// The consonants left silent in front of a silenced one after a closed syllable (จันทร์
// "chan", ลักษณ์ "lak", ศาสตร์ "sat", กาญจน์ "kan", ราษฎร์ "rat").
const SILENT_BEFORE_SILENCER = new Set(['ท', 'ต', 'ษ', 'จ', 'ร', 'ธ', 'ด', 'ฎ']);
// The vowel ฤ reads "ri" after these consonants (อังกฤษ "angkrit"), "rue" elsewhere (พฤกษ์).
const RI_AFTER = new Set(['ก', 'ต', 'ท', 'ป', 'ศ', 'ส']);
const TONE_AND_SHORTENING = /[\u0e47-\u0e4b]/g; // maitaikhu and the four tone marks
const THAI_DIGITS = /[\u0e50-\u0e59]/g;

const isConsonant = (c) => c !== undefined && CONSONANTS.has(c);
const isVowelSign = (c) => c !== undefined && VOWEL_SIGNS.has(c);

// The letters of a word as they are read: sara am as one letter, no tone marks, and the
// letters under the silencer (with the vowel on them) left out. One pass, so a long text
// costs in proportion to its length.
function spokenLetters(word) {
  // Tone marks first: they may stand between the halves of sara am (น + ํ + ้ + า).
  const chars = [...word.replace(TONE_AND_SHORTENING, '').replace(/\u0e4d\u0e32/g, 'ำ')];
  const out = [];
  for (const c of chars) {
    if (c !== '\u0e4c') {
      out.push(c);
      continue;
    }
    if (out.length && (out[out.length - 1] === 'ิ' || out[out.length - 1] === 'ุ')) {
      out.pop();
    }
    out.pop();
    // A consonant cluster silenced after a closed syllable loses its first letter too.
    const n = out.length;
    if (n >= 3 && SILENT_BEFORE_SILENCER.has(out[n - 1]) && isConsonant(out[n - 2]) && !isConsonant(out[n - 3])) {
      out.pop();
    }
  }
  return out;
}

// Whether the consonant at j carries a vowel: a vowel sign, or อ / ว / รร read as its
// vowel (ขอ, กวน, วรรณ).
function carriesVowel(w, j) {
  const next = w[j + 1];
  return (
    isVowelSign(next) ||
    (next === 'อ' && !isVowelSign(w[j + 2])) ||
    (next === 'ว' && isConsonant(w[j + 2]) && !isVowelSign(w[j + 3])) ||
    (next === 'ร' && w[j + 2] === 'ร')
  );
}

// Whether the consonant at j starts a syllable rather than closing the one before: it
// carries a vowel itself or through a cluster (ทรา, ขลา) or a silent ห (หนอ).
function startsSyllable(w, j) {
  if (!isConsonant(w[j])) {
    return false;
  }
  const second = w[j + 1];
  const pair = CLUSTER_BEFORE[second]?.has(w[j]) || (w[j] === 'ห' && SONORANTS.has(second));
  return carriesVowel(w, j) || (pair && carriesVowel(w, j + 1));
}

// Reads one syllable from w at i: [Latin text, index after it].
function readSyllable(w, i) {
  const lead = LEADING_VOWELS.has(w[i]) ? w[i++] : null;
  if (w[i] === 'ฤ' || w[i] === 'ฦ') {
    // The vowel letters standing alone: ฤดู "ruedu", ฤทธิ์ "rit".
    const r = w[i] === 'ฤ' ? 'r' : 'l';
    i++;
    if (isConsonant(w[i]) && !startsSyllable(w, i)) {
      return [`${r}i${CONSONANTS.get(w[i]).final}`, i + 1];
    }
    return [`${r}ue`, i];
  }
  if (!isConsonant(w[i])) {
    // A vowel sign with no consonant (a typing slip) is not read.
    return ['', lead ? i : i + 1];
  }
  const first = w[i++];
  let onset = CONSONANTS.get(first).initial;
  // A silent ห or อ before a sonorant: the sonorant is the initial.
  if (
    (first === 'ห' && SONORANTS.has(w[i]) && leadingHo(w, i, lead)) ||
    (first === 'อ' && w[i] === 'ย' && isVowelSign(w[i + 1]))
  ) {
    onset = CONSONANTS.get(w[i++]).initial;
  } else if (CLUSTER_BEFORE[w[i]]?.has(first) && clusterFollows(w, i, lead)) {
    const second = w[i++];
    if (second === 'ร' && R_SILENT_AFTER.has(first)) {
      onset = TRUE_R_INITIAL[first];
    } else {
      onset += CONSONANTS.get(second).initial;
    }
  }
  if (w[i] === 'ฤ') {
    const vowel = RI_AFTER.has(first) ? 'ri' : 'rue';
    return closeSyllable(onset + vowel, w, i + 1, { vowel, long: false });
  }
  const read = readVowel(lead, w, i, onset);
  return read.open ? [read.text, read.at] : closeSyllable(read.text, w, read.at, read);
}

// Whether ห before the sonorant at i is silent: the sonorant carries the syllable on.
function leadingHo(w, i, lead) {
  const after = w[i + 1];
  if (lead === 'ใ' || lead === 'ไ') {
    return true; // ใหม่ "mai": these vowels take no final, so the sonorant is the initial.
  }
  if (w[i] === 'ง') {
    return isVowelSign(after);
  }
  if (!lead && w[i] === 'ว' && isConsonant(after) && !startsSyllable(w, i + 1)) {
    return false; // ห้วย: ว is the vowel "ua".
  }
  return after !== undefined;
}

// Whether the ร/ล/ว at i belongs to the initial: something follows it that it can start,
// or a leading vowel shows it does (แพร่ "phrae", ไกล "klai").
function clusterFollows(w, i, lead) {
  const after = w[i + 1];
  if (w[i] === 'ว') {
    return isVowelSign(after) || after === 'อ'; // ขวา "khwa"; in กวน ว is the vowel.
  }
  if (after === undefined) {
    return lead !== null; // พร "phon"
  }
  if (after === w[i]) {
    return false; // ธรรม: รร is a vowel.
  }
  return isVowelSign(after) || after === 'อ' || isConsonant(after);
}

// The vowel after the initial: { text, at, open, vowel, long }; open when no final can
// follow; long matters to what may close it.
function readVowel(lead, w, i, onset) {
  const c = w[i];
  const c1 = w[i + 1];
  const out = (vowel, at, open = false, long = true) => ({ text: onset + vowel, at, open, vowel, long });
  if (lead === 'เ') {
    if (c === 'ี' && c1 === 'ย') {
      return out('ia', w[i + 2] === 'ะ' ? i + 3 : i + 2, w[i + 2] === 'ะ');
    }
    if (c === 'ื' && c1 === 'อ') {
      return out('uea', w[i + 2] === 'ะ' ? i + 3 : i + 2, w[i + 2] === 'ะ');
    }
    if (c === 'ิ') {
      return out('oe', i + 1);
    }
    if (c === 'า') {
      return c1 === 'ะ' ? out('o', i + 2, true) : out('ao', i + 1, true);
    }
    if (c === 'อ') {
      return out('oe', c1 === 'ะ' ? i + 2 : i + 1, c1 === 'ะ');
    }
    if (c === 'ะ') {
      return out('e', i + 1, true);
    }
    if (c === 'ย' && !isVowelSign(c1) && c1 !== 'อ') {
      return out('oei', i + 1, true);
    }
    // เพชร, เก็บ: written like the long e, often short; a ร after its final stays silent.
    return out('e', i, false, false);
  }
  if (lead === 'แ') {
    return c === 'ะ' ? out('ae', i + 1, true) : out('ae', i);
  }
  if (lead === 'โ') {
    return c === 'ะ' ? out('o', i + 1, true) : out('o', i);
  }
  if (lead === 'ใ' || lead === 'ไ') {
    // ไทย: a ย after ai is not read.
    return out('ai', c === 'ย' && !isVowelSign(c1) ? i + 1 : i, true);
  }
  switch (c) {
    case 'ั':
      if (c1 === 'ว') {
        return out('ua', i + 2);
      }
      if (c1 === 'ย' && !isVowelSign(w[i + 2]) && w[i + 2] !== 'อ') {
        return out('ai', i + 2, true);
      }
      return out('a', i + 1, false, false);
    case 'ิ':
      return out('i', i + 1, false, false);
    case 'ี':
      return out('i', i + 1);
    case 'ึ':
      return out('ue', i + 1, false, false);
    case 'ื':
      return out('ue', c1 === 'อ' && !isVowelSign(w[i + 2]) ? i + 2 : i + 1);
    case 'ุ':
      return out('u', i + 1, false, false);
    case 'ู':
      return out('u', i + 1);
    case 'า':
    case 'ๅ':
      return out('a', i + 1);
    case 'ำ':
      return out('am', i + 1, true);
    case 'ะ':
      return out('a', i + 1, true);
    case 'อ':
      if (!isVowelSign(c1)) {
        return out('o', i + 1);
      }
      break;
    case 'ว':
      if (isConsonant(c1) && !isVowelSign(w[i + 2]) && !(c1 === 'ร' && w[i + 2] === 'ร')) {
        return out('ua', i + 1);
      }
      break;
    case 'ร':
      if (c1 === 'ร') {
        // รร: "a", and "an" when nothing closes it (ธรรม "tham", สวรรค์ "sawan").
        const closer = w[i + 2];
        if (isConsonant(closer) && !startsSyllable(w, i + 2)) {
          return out('a', i + 2, false, false);
        }
        return out('an', i + 2, true);
      }
      break;
    default:
      break;
  }
  return implicitVowel(w, i, onset);
}

const MAX_RUN = 8;

// A syllable written without a vowel. Consonants without vowels pair up from the end of
// their run: ถนน "tha-non", นคร "na-khon", ต้นธง "ton-thong", สมบัติ "som-bat".
function implicitVowel(w, i, onset) {
  const open = (vowel) => ({ text: onset + vowel, at: i, open: true, vowel, long: false });
  if (!isConsonant(w[i])) {
    return open(w[i] === undefined ? 'o' : 'a');
  }
  // Names have short runs; a longer one (no real word) is read in pairs from its start, so
  // a long text costs in proportion to its length.
  let end = i;
  while (isConsonant(w[end]) && !startsSyllable(w, end) && end - i < MAX_RUN) {
    end++;
  }
  const run = end - i;
  if (run % 2 === 0) {
    return open('a');
  }
  return { text: onset + 'o', at: i, open: false, vowel: 'o', long: false };
}

// The high consonants that, before a sonorant with a vowel, are read with a short "a" and
// lend it their tone (อักษรนำ: สลี "sa-li", ขนม "kha-nom").
const HIGH_LEADS = new Set(['ข', 'ฉ', 'ถ', 'ผ', 'ฝ', 'ศ', 'ษ', 'ส']);

// The final consonant of a syllable, if the letter at i is one: [text, index after].
function closeSyllable(text, w, i, { vowel, long }) {
  const c = w[i];
  // A word-final consonant + ิ after a long vowel closes the syllable (ภูมิ "phum").
  if (long && isConsonant(c) && w[i + 1] === 'ิ' && w[i + 2] === undefined) {
    return [text + CONSONANTS.get(c).final, i + 2];
  }
  if (!isConsonant(c) || c === 'อ' || startsSyllable(w, i)) {
    return [text, i];
  }
  const next = w[i + 1];
  if (HIGH_LEADS.has(c) && SONORANTS.has(next) && carriesVowel(w, i + 1)) {
    return [text, i];
  }
  // One consonant left at the end: it closes a syllable this one starts (วโรรส
  // "wa-ro-rot"), unless it is the ร left silent after a short vowel's final (เพชร "phet").
  if (isConsonant(next) && w[i + 2] === undefined && (next !== 'ร' || long)) {
    return [text, i];
  }
  let at = i + 1;
  let final = CONSONANTS.get(c).final;
  if (c === 'ย' && vowel === 'ai') {
    final = '';
  }
  // ร after a final stop is not read (บัตร, เพชร, สมุทร).
  if (w[at] === 'ร' && !startsSyllable(w, at) && !['n', 'ng', 'm', 'i', 'o'].includes(final)) {
    at++;
  }
  return [text + final, at];
}

// One Thai word in Latin letters.
function romanizeWord(word) {
  const w = spokenLetters(word);
  let text = '';
  for (let i = 0; i < w.length; ) {
    const [syllable, next] = readSyllable(w, i);
    text += syllable;
    i = next > i ? next : i + 1;
  }
  return text;
}

// A run of Thai letters, marks and the repetition mark: one word or several written
// together, as Thai is.
const THAI_RUN = /[\u0e01-\u0e4f]+/g;

// Text with its Thai words in RTGS Latin, words separated by spaces; Latin letters,
// digits (Thai digits as Arabic) and punctuation stay. ๆ repeats the word before it.
export function romanizeThai(text) {
  const source = String(text ?? '')
    .normalize('NFC')
    .replace(THAI_DIGITS, (d) => String(d.charCodeAt(0) - 0x0e50));
  let previous = '';
  return source
    .replace(THAI_RUN, (run) =>
      run
        .split(/(ๆ)/)
        .map((part) => {
          // ๆ repeats the word before it (ต่างๆ "tang tang"): here, the text before it.
          previous = part === 'ๆ' ? previous : romanizeWord(part.replace(/[ฯ]/g, ''));
          return previous;
        })
        .filter(Boolean)
        .join(' '),
    )
    .replace(/\s+/g, ' ')
    .trim();
}
