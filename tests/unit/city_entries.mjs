// city_entries.mjs - a bundled city's searchable names as the web map builds them: the
// boundary and gazetteer layers of its catalog's city profile, read from the GeoJSON files
// the catalog names. Shared by the search tests (search_text, thai_romanize).
import { readFileSync } from 'node:fs';
import { layerEntries } from '../../web/src/search_rank.js';

export const CITY_CATALOGS = [
  ['the bundled city', new URL('../../datasets/catalog.json', import.meta.url)],
  ['Hat Yai', new URL('../../datasets/hatyai/catalog.json', import.meta.url)],
];

// The catalog and a reader of its datasets' features by layer id.
export function readCatalog(catalogPath) {
  const catalog = JSON.parse(readFileSync(catalogPath));
  const paths = new Map(catalog.datasets.map((d) => [d.id, new URL(d.path, catalogPath)]));
  const features = (layer) => JSON.parse(readFileSync(paths.get(layer))).features;
  return { catalog, features };
}

// A city's boundary and gazetteer entries, as the map builds them from the server's features.
export function cityEntries(catalogPath) {
  const { catalog, features } = readCatalog(catalogPath);
  const profile = [...catalog.city.boundaries, ...catalog.city.gazetteer];
  return profile.flatMap((g, order) =>
    layerEntries(features(g.layer), {
      layer: g.layer,
      nameField: g.name_field,
      latinField: g.name_field_en,
      contextField: g.detail_field,
      kind: g.label,
      order,
    }),
  );
}
