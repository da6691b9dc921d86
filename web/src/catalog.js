// catalog.js - the server's catalog (/collections) as the map reads it: one entry per layer
// with what the map needs to draw it (geometry type, size, extent, tile link), in one
// language. Shape views (points, lines or areas of a mixed collection, for GIS clients
// that take one geometry type per layer) are left out: they repeat features the map
// already draws.
import { getJson } from './api.js';

// /collections in lang: /collections?lang=th&f=json is the URL index.html preloads.
export const fetchCollections = (lang) => getJson('collections', { lang, f: 'json' });

// The collection's templated link to its vector tiles (with the layer's version), in
// TileJSON's {z}/{y}/{x} form; null when the server links none (the map then reads the
// layer's TileJSON).
function tileTemplateOf(collection) {
  const link = (collection.links || []).find((l) => l.rel === 'item' && l.templated && l.type === 'application/vnd.mapbox-vector-tile');
  return link ? link.href.replace('{tileMatrix}', '{z}').replace('{tileRow}', '{y}').replace('{tileCol}', '{x}') : null;
}

// The catalog's entries in lang. Both languages read this language's title until the
// other language's titles are asked for (main.js addTitles).
export async function loadCatalog(lang) {
  const doc = await fetchCollections(lang);
  const own = doc.collections.filter((c) => !(c.cityatlas && c.cityatlas.shapeOf));
  return own.map((c) => {
    const meta = c.cityatlas || {};
    return {
      id: c.id,
      title: { th: c.title, en: c.title },
      theme: meta.theme,
      geometryType: meta.geometryType || null,
      featureCount: meta.featureCount || 0,
      nameProperty: meta.nameProperty || null,
      extent: c.extent && c.extent.spatial ? c.extent.spatial.bbox[0] : null,
      attribution: c.attribution || '',
      tileTemplate: tileTemplateOf(c),
    };
  });
}
