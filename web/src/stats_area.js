// stats_area.js - one area of a statistic as a reader asks about it by tapping the map:
// its value with the unit, its rank among the areas that have a value, the categories of a
// "by type" statistic, and the definition; an area without a value says "no data" and
// why (never 0). Also finds the area under a tapped point, since the city's boundary
// layers drawn above the choropleth take the tap first.
import { t, formatNumber } from './i18n.js';

// Ranks by value, highest first; ties share a rank (1, 2, 2, 4). Areas without a
// value have none. Returns Map(area_id -> { rank, of }).
export function rankAreas(features, column) {
  const valued = features.map((f) => f.properties).filter((p) => typeof p[column] === 'number');
  const sorted = valued.map((p) => p[column]).sort((a, b) => b - a);
  const ranks = new Map();
  for (const p of valued) {
    ranks.set(p.area_id, { rank: sorted.indexOf(p[column]) + 1, of: valued.length });
  }
  return ranks;
}

// Ray casting over one ring of [lon, lat] positions.
function ringContains(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}

function polygonContains(rings, x, y) {
  return ringContains(rings[0], x, y) && !rings.slice(1).some((hole) => ringContains(hole, x, y));
}

export function geometryContains(geometry, latlng) {
  if (!geometry) {
    return false;
  }
  const { lng, lat } = latlng;
  if (geometry.type === 'Polygon') {
    return polygonContains(geometry.coordinates, lng, lat);
  }
  if (geometry.type === 'MultiPolygon') {
    return geometry.coordinates.some((rings) => polygonContains(rings, lng, lat));
  }
  return false;
}

// A <p> of class className holding text (never markup).
export function paragraph(className, text) {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

// Why an area has no value: the server's own reason when it gives one.
function noDataReason(p, lang) {
  const reason = p.no_data_reason;
  if (reason && typeof reason === 'object') {
    return reason[lang] || reason.en || null;
  }
  return reason || p.per_capita_note || null;
}

// The popup's content for one area. view: { column, unit (text or ''), groupUnit,
// definition, ranks (from rankAreas) }.
export function areaContent(p, view, lang) {
  const box = document.createElement('div');
  box.className = 'stats-area';
  const title = document.createElement('h3');
  title.textContent = p.area_name || String(p.area_id);
  box.append(title);
  const value = p[view.column];
  if (typeof value === 'number') {
    box.append(paragraph('stats-area-value', `${formatNumber(lang, value)}${view.unit ? ' ' + view.unit : ''}`));
    const rank = view.ranks.get(p.area_id);
    box.append(paragraph('stats-area-rank', t(lang, 'rankOf').replace('{rank}', formatNumber(lang, rank.rank)).replace('{of}', formatNumber(lang, rank.of))));
  } else {
    box.append(paragraph('stats-area-value no-data', t(lang, 'noValue')));
    const reason = noDataReason(p, lang);
    if (reason) {
      box.append(paragraph('stats-area-reason', reason));
    }
  }
  if (p.groups && typeof p.groups === 'object') {
    const ul = document.createElement('ul');
    ul.className = 'stats-area-groups';
    for (const [group, v] of Object.entries(p.groups)) {
      const li = document.createElement('li');
      li.textContent = `${group}: ${formatNumber(lang, v)}${typeof v === 'number' && view.groupUnit ? ' ' + view.groupUnit : ''}`;
      ul.append(li);
    }
    box.append(ul);
  }
  if (view.definition) {
    box.append(paragraph('stats-area-definition', view.definition));
  }
  return box;
}
