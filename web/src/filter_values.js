// filter_values.js - a scenario layer's filter as ticked values of one text property
// ("category is school or market"), never typed CQL2: the property's values come from the
// layer itself, and the ticks become `category IN ('school', 'market')`.
import { getFeatures, getJson } from './api.js';

// A layer is read for its values up to this many features (pages of the items API with only
// that property and no geometry); a property with more values than MAX_VALUES is a name or
// a code, not a category, and is not offered for ticking.
const SCAN_FEATURES = 5000;
export const MAX_VALUES = 60;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const quoted = (v) => `'${String(v).replace(/'/g, "''")}'`;

// The CQL2 text of property IN values (null when nothing is ticked).
export function filterText(property, values) {
  if (!property || !values.length) {
    return null;
  }
  return values.length === 1 ? `${property} = ${quoted(values[0])}` : `${property} IN (${values.map(quoted).join(', ')})`;
}

// { property, values } when text is a filter filterText writes (or the same by hand: one
// property equal to one or several quoted texts), else null: any other filter is kept as it is.
export function parseFilterText(text) {
  const one = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*'((?:[^']|'')*)'\s*$/.exec(text || '');
  if (one) {
    return { property: one[1], values: [one[2].replace(/''/g, "'")] };
  }
  const many = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+IN\s*\(\s*('(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*)\s*\)\s*$/i.exec(text || '');
  if (!many) {
    return null;
  }
  const values = [...many[2].matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
  return { property: many[1], values };
}

const propertyCache = new Map();
const valueCache = new Map();

// The layer's text properties that a filter can name (from its queryables).
export async function textProperties(collection) {
  if (!propertyCache.has(collection)) {
    propertyCache.set(collection, getJson(`collections/${encodeURIComponent(collection)}/queryables`).then((doc) =>
      Object.entries(doc.properties || {})
        .filter(([name, p]) => p.type === 'string' && IDENTIFIER.test(name))
        .map(([name]) => name),
    ));
  }
  try {
    return await propertyCache.get(collection);
  } catch (e) {
    propertyCache.delete(collection);
    throw e;
  }
}

// { values (sorted, with counts), isComplete (every feature read), isTooMany }.
export async function propertyValues(collection, property) {
  const key = `${collection}\n${property}`;
  if (!valueCache.has(key)) {
    valueCache.set(key, (async () => {
      const got = await getFeatures(collection, { properties: property, skipGeometry: 'true', limit: 1000 }, SCAN_FEATURES);
      const counts = new Map();
      for (const f of got.features) {
        const v = f.properties ? f.properties[property] : null;
        if (v !== null && v !== undefined && v !== '') {
          counts.set(String(v), (counts.get(String(v)) || 0) + 1);
        }
      }
      const values = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
      return { values: values.slice(0, MAX_VALUES), isComplete: got.complete, isTooMany: values.length > MAX_VALUES };
    })());
  }
  try {
    return await valueCache.get(key);
  } catch (e) {
    valueCache.delete(key);
    throw e;
  }
}
