// search_rank.js - the answer to one search: the entries that match, best first (exact
// name, then name starting with the query, then containing it, then the loose Latin
// matches), grouped by kind (tambon, district, landmark, road...) and bounded in count.
// Pure: node's unit tests run it on whole cities' names.
import { RANK, entryKeys, labelIsLevel, matchRank, parseQuery } from './search_text.js';

export const MAX_RESULTS = 12;
export const MAX_PER_KIND = 6;

// One searchable name. kind: { th, en } label of its layer; order: the layer's place in
// the city profile (boundaries first), which breaks ties.
export function makeEntry({ name, latinName = null, context = null, kind, order = 0, ...rest }) {
  return { name, latinName, context, kind, order, keys: entryKeys(name, latinName, context), ...rest };
}

function kindId(kind) {
  return `${kind.th}\u0000${kind.en}`;
}

// Groups [{ kind, entries }], the group of the best entry first, each group best first;
// at most max entries in all and perKind in a group.
export function search(entries, text, max = MAX_RESULTS, perKind = MAX_PER_KIND) {
  const parsed = parseQuery(text);
  if (!parsed.full) {
    return [];
  }
  // The first reading of the parts that finds anything.
  const scored = new Map();
  const score = (query, shift) => {
    for (const entry of entries) {
      const found = matchRank(query, entry.keys);
      const rank = found === null ? null : shift(found);
      if (rank !== null && !(scored.get(entry)?.rank <= rank)) {
        // "ต.NAME" prefers a tambon to anything else of that name.
        const otherLevel = query.level && !labelIsLevel(entry.kind, query.level) ? 1 : 0;
        scored.set(entry, { rank, otherLevel, entry });
      }
    }
  };
  for (const reading of parsed.readings.filter((r) => !r.bare)) {
    score({ ...parsed, ...reading }, (rank) => rank);
    if (scored.size) {
      break;
    }
  }
  // The name without a word for a kind of place ("ban", "road") is always tried too: its
  // whole-name match a tier below the same match of the whole query ("ban nong hoi" finds
  // the village หนองหอย before "สำนักงานเทศบาลหนองหอย"), its other matches after every
  // match of the whole query ("kad luang" finds กาดหลวง before the tambon Luang Nuea).
  const bareRank = (rank) => (rank <= RANK.ROMAN_EXACT ? rank + RANK.PREFIX : rank + RANK.ROMAN_CONTAINS + 1);
  for (const reading of parsed.readings.filter((r) => r.bare)) {
    score({ ...parsed, ...reading, full: '', looseFull: '', romanFull: '' }, bareRank);
  }
  const ranked = [...scored.values()];
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.otherLevel - b.otherLevel ||
      a.entry.order - b.entry.order ||
      String(a.entry.name).length - String(b.entry.name).length ||
      String(a.entry.name).localeCompare(String(b.entry.name)),
  );
  const groups = new Map();
  let taken = 0;
  for (const { entry } of ranked) {
    if (taken >= max) {
      break;
    }
    const id = kindId(entry.kind);
    if (!groups.has(id)) {
      groups.set(id, { kind: entry.kind, entries: [] });
    }
    const group = groups.get(id);
    if (group.entries.length < perKind) {
      group.entries.push(entry);
      taken++;
    }
  }
  return [...groups.values()];
}

// The entries of one layer's GeoJSON features. source: { layer, nameField, latinField,
// contextField, kind, order }; features without a name are left out.
export function layerEntries(features, source) {
  const entries = [];
  for (const feature of features) {
    const p = feature.properties || {};
    const name = p[source.nameField];
    if (name === null || name === undefined || String(name).trim() === '') {
      continue;
    }
    entries.push(
      makeEntry({
        name: String(name),
        latinName: source.latinField && p[source.latinField] ? String(p[source.latinField]) : null,
        context: source.contextField && p[source.contextField] ? String(p[source.contextField]) : null,
        kind: source.kind,
        order: source.order,
        layer: source.layer,
        feature,
      }),
    );
  }
  return entries;
}
