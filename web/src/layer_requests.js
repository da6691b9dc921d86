// layer_requests.js - what a map layer asks the server for, as plain values: the zoom its
// geometry is fetched at, whether it is drawn whole as GeoJSON, and the query of a page.
// map_layers.js makes the requests; first_view.js asks for the first view's before the
// map exists (no Leaflet here).

const SMALL_LAYER = 1500;
const PAGE = 2000;

// The zoom the geometry is fetched at: whole steps of two, so panning at one zoom and
// small zoom changes reuse what arrived.
export function detailZoom(zoom) {
  return Math.min(18, Math.ceil(zoom / 2) * 2);
}

// Drawn whole as GeoJSON; a larger layer comes as tiles.
export function isSmallLayer(info) {
  return info.featureCount <= SMALL_LAYER;
}

// The query of a GeoJSON page: simplified for detail zoom dz, at most PAGE features.
export function pageParams(dz, filter, bbox) {
  const params = { zoom: dz, limit: PAGE, filter: filter || undefined };
  if (bbox) {
    params.bbox = bbox;
  }
  return params;
}

// What the map layer of a catalog entry asks for first at map zoom `zoom` when it is a
// small layer drawn whole and unfiltered: { collectionId, params } for prefetchFeatures,
// else null (a large layer comes as tiles).
export function firstViewRequest(info, zoom) {
  if (!info.geometryType || !isSmallLayer(info)) {
    return null;
  }
  return { collectionId: info.id, params: pageParams(detailZoom(zoom), null, null) };
}
