// city.js - the city this server is about: its profile (titles, home view, default layers,
// boundary and gazetteer layers), the theme names and default sketch kinds, as the server's landing document
// serves them ("cityatlas:city"). Nothing about a particular city is written in the map's
// code: a database without a profile gets a neutral title and the layers' own extent.

export const city = {
  title: null, // { th, en }
  home: null, // { lon, lat, zoom }
  extent: null, // [min_lon, min_lat, max_lon, max_lat]
  defaultLayers: null, // layer ids, or null: every boundary layer
  boundaries: [], // { layer, name_field, name_field_en, detail_field, label }
  gazetteer: [],
  themes: new Map(), // id -> { th, en }
  sketchKinds: [], // the server's default kinds: { id, title: { th, en }, color }
};

// Fills city from the landing document's "cityatlas:city" member.
export function setCity(doc) {
  const c = (doc && doc['cityatlas:city']) || {};
  city.title = c.title || null;
  city.home = c.home || null;
  city.extent = Array.isArray(c.extent) ? c.extent : null;
  city.defaultLayers = Array.isArray(c.default_layers) ? c.default_layers : null;
  city.boundaries = Array.isArray(c.boundaries) ? c.boundaries : [];
  city.gazetteer = Array.isArray(c.gazetteer) ? c.gazetteer : [];
  city.themes = new Map((c.themes || []).map((theme) => [theme.id, theme.title]));
  city.sketchKinds = Array.isArray(c.sketch_kinds) ? c.sketch_kinds : [];
}

// The city's name in lang ("" without a profile).
export function cityName(lang) {
  if (!city.title) {
    return '';
  }
  return city.title[lang] || city.title.en || '';
}

// The layer ids statistics can be counted by and searched first.
export function boundaryLayers() {
  return city.boundaries.map((b) => b.layer);
}
