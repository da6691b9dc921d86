// area_counts.js - the /stats request that counts what one area holds, and the counts read
// back from its answer. Pure: node's unit tests run it.

// A CQL2 string literal ('' doubles a quote) and a property name ("" doubles a quote).
const literal = (value) => `'${String(value).replaceAll("'", "''")}'`;
const property = (name) => `"${String(name).replaceAll('"', '""')}"`;

// The by-filter that finds the area: its name and, when the profile names one, its context
// (a tambon's district), which together tell apart the tambon that share a name. The answer
// keeps only the row of this very feature (area_id is the feature id), so two areas that
// still match cannot mix.
export function areaFilter(entry, source) {
  const parts = [`${property(source.nameField)}=${literal(entry.name)}`];
  if (source.contextField && entry.context) {
    parts.push(`${property(source.contextField)}=${literal(entry.context)}`);
  }
  return parts.join(' AND ');
}

// { total, groups: [[name, count]] } of one /stats answer for area id. An answer without
// the area's row is an error, never a count of 0.
export function countsOf(doc, areaId) {
  const rows = (doc.rows || []).filter((r) => String(r.area_id) === String(areaId));
  const total = rows.find((r) => r.group === null || r.group === undefined);
  if (!total || typeof total.value !== 'number') {
    throw new Error(`the answer has no count for area ${areaId}`);
  }
  const groups = rows
    .filter((r) => r.group !== null && r.group !== undefined && typeof r.value === 'number' && r.value > 0)
    .map((r) => [String(r.group), r.value])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { total: total.value, groups };
}
