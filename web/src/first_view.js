// first_view.js - the first view's requests, started while the rest of the app's code is
// still being evaluated: build.mjs puts this module first in the bundle (and main.js
// imports it first), so its evaluation, which starts them, comes before Leaflet's and the
// map's. On a throttled phone that evaluation took about 200 ms after the script arrived,
// and the styles and the small layers' GeoJSON, which the first draw waits for, were asked
// for only after it.
//
// Asked for here: the landing document (the city profile) and the catalog in the page's
// language (both preloaded by index.html, so these take the preloads' answers), then the
// shown layers' styles in one request as soon as the profile says which layers are shown,
// and their small layers' GeoJSON as soon as the catalog says which are small - when the
// first view's zoom is known without the map (the link's zoom or the profile's home
// view). A view fitted to an extent asks for its GeoJSON once the map has its zoom
// (main.js). Everything asked for here is taken by the code that reads it later (api.js's
// prefetched answers, style_prefetch.js), never fetched twice.
import { getJson, prefetchFeatures } from './api.js';
import { loadCatalog } from './catalog.js';
import { boundaryLayers, city, setCity } from './city.js';
import { firstViewRequest } from './layer_requests.js';
import { prefetchStyles } from './style_prefetch.js';
import { readState } from './url_state.js';

let first = null;

// The first view's zoom when the map is not needed to know it: the link's, else the city
// profile's home view's; null when the map fits an extent.
function knownZoom(state) {
  if (state.zoom !== null) {
    return state.zoom;
  }
  return city.home ? city.home.zoom : null;
}

// Asks for the GeoJSON of the small layers among the catalog entries infos whose ids are in
// ids, at map zoom `zoom` (api.js keeps each answer for the map layer that asks for it).
export function prefetchSmallLayers(infos, ids, zoom) {
  for (const info of infos.filter((i) => ids.has(i.id))) {
    const request = firstViewRequest(info, zoom);
    if (request) {
      prefetchFeatures(request.collectionId, request.params);
    }
  }
}

// { state, lang, view }: the URL's state, the page's language, and the promise of
// { wanted, infos } (the set of layer ids shown first, the catalog's entries), which
// resolves once the requests the first view can make without the map have been made, so
// that code awaiting it never asks first (city.js is filled from the landing document by
// then). Started once; later calls return the same.
export function firstView() {
  if (first) {
    return first;
  }
  const state = readState(window.location.hash);
  const lang = state.lang || 'th';
  const catalog = loadCatalog(lang);
  const wanted = getJson('', { f: 'json' }).then((doc) => {
    setCity(doc);
    return new Set(state.layers || city.defaultLayers || boundaryLayers());
  });
  wanted.then((ids) => prefetchStyles([...ids]), () => {});
  const view = Promise.all([wanted, catalog]).then(([ids, infos]) => {
    const zoom = knownZoom(state);
    // Not for a scenario's link: its filters change what the layers ask for.
    if (!state.scn && zoom !== null) {
      prefetchSmallLayers(infos, ids, zoom);
    }
    return { wanted: ids, infos };
  });
  view.catch(() => {}); // main.js reports a failed landing or catalog when it awaits them
  first = { state, lang, view };
  return first;
}

firstView();
