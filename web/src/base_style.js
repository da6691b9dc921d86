// base_style.js - how the base map draws each of its layers: a style document (the
// styles/ subset tile_paint.js draws) made from the layer's kind and, for roads the
// catalog ranks, its classes. The kinds and classes come from the server's base-map
// TileJSON ("cityatlas:base_map"), which reads them from the city's catalog.
//
// Roads by importance: class r of n (0 the most important) is drawn from
// ROAD_ZOOM_SPAN * r / n zooms after the layer's first zoom, wider the more important it
// is; a value the ranking does not list is drawn as the least. Without a ranking every
// road is drawn alike: the data does not say which matters more.

const ROAD_ZOOM_SPAN = 6;
const WATER = '#7fb3d9';
const WATER_FILL = '#a9cde9';

// Line width growing with zoom from the layer's width at zoom 12.
function widthByZoom(w) {
  return ['interpolate', ['linear'], ['zoom'], 10, w * 0.5, 12, w, 16, w * 2.5];
}

function roadLayers(entry) {
  const classes = entry.classes;
  if (!classes || classes.ranking.length === 0) {
    return [
      { type: 'line', minzoom: entry.minzoom, paint: { 'line-color': '#c9c0b0', 'line-width': widthByZoom(2.4) }, layout: { 'line-cap': 'round' } },
      { type: 'line', minzoom: entry.minzoom, paint: { 'line-color': '#ffffff', 'line-width': widthByZoom(1.4) }, layout: { 'line-cap': 'round' } },
    ];
  }
  const { field, ranking } = classes;
  const n = ranking.length;
  const ranked = ranking.map((value, r) => ({ filter: ['==', ['get', field], value], r }));
  ranked.push({ filter: ['all', ...ranking.map((value) => ['!=', ['get', field], value])], r: n });
  const casings = [];
  const fills = [];
  // The least important first, so the main roads are drawn over the streets they cross.
  for (const { filter, r } of ranked.reverse()) {
    const minzoom = entry.minzoom + Math.round((ROAD_ZOOM_SPAN * r) / n);
    const width = 1 + (4 * (n - r)) / n; // 5 for the first class, 1 for unlisted values
    const major = r < n / 3;
    casings.push({ type: 'line', minzoom, filter, paint: { 'line-color': major ? '#d29a3c' : '#c9c0b0', 'line-width': widthByZoom(width + 1) }, layout: { 'line-cap': 'round' } });
    fills.push({ type: 'line', minzoom, filter, paint: { 'line-color': major ? '#f6c96b' : '#ffffff', 'line-width': widthByZoom(width) }, layout: { 'line-cap': 'round' } });
  }
  return [...casings, ...fills];
}

// The style of one base layer; boundaryLevel: its rank among the boundary layers (0 the
// coarsest), drawn bolder.
export function baseStyle(entry, boundaryLevel) {
  const minzoom = entry.minzoom;
  switch (entry.kind) {
    case 'landuse':
      return { layers: [{ type: 'fill', minzoom, paint: { 'fill-color': '#e4dfcf', 'fill-opacity': 0.7 } }] };
    case 'water':
      return {
        layers: [
          { type: 'fill', minzoom, paint: { 'fill-color': WATER_FILL } },
          { type: 'line', minzoom, paint: { 'line-color': WATER, 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 1.5, 12, 3, 16, 6] }, layout: { 'line-join': 'round', 'line-cap': 'round' } },
        ],
      };
    case 'boundary':
      return {
        layers: [
          {
            type: 'line',
            minzoom,
            paint: { 'line-color': '#8c7fae', 'line-width': Math.max(0.8, 2 - 0.6 * boundaryLevel), 'line-dasharray': boundaryLevel > 0 ? [3, 2] : undefined, 'line-opacity': 0.8 },
          },
        ],
      };
    case 'road':
      return { layers: roadLayers(entry) };
    case 'place':
      return { layers: [{ type: 'circle', minzoom, paint: { 'circle-radius': 2.5, 'circle-color': '#6b5f52', 'circle-stroke-width': 1, 'circle-stroke-color': '#ffffff' } }] };
    default:
      return {
        layers: [
          { type: 'fill', minzoom, paint: { 'fill-color': '#b9a68a', 'fill-opacity': 0.6 } },
          { type: 'line', minzoom, paint: { 'line-color': '#8f7b5e', 'line-width': 1.5 } },
        ],
      };
  }
}

