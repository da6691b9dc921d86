// style_prefetch.js - layers' styles asked for before the map layers that use them exist:
// the first view's in one request as soon as the city profile says which layers it shows
// (first_view.js), a layer the scenario builder reads before the map draws it (main.js).
// Each answer is taken once (takeStyle); a retry after a failure asks the server again.
import { getJson } from './api.js';

const asked = new Map(); // layer id -> Promise of its style

export const fetchStyle = (id) => getJson(`styles/${encodeURIComponent(id)}`);

// Asks for one layer's style; a failure is kept for its taker to report (and not reported
// twice as an unhandled rejection).
function prefetchStyle(id) {
  const style = fetchStyle(id);
  style.catch(() => {});
  asked.set(id, style);
}

// The styles of several layers in one request (/styles?collections=...). When it is
// refused (a link naming a layer that is not there, or a table), each style is asked for
// alone, so the others still come and the missing one is reported as usual. A phone's
// browser opens six connections to the server: a request per style took them all for a
// round trip while the layers' data waited.
export function prefetchStyles(ids) {
  if (ids.length < 2) {
    ids.forEach(prefetchStyle);
    return;
  }
  // Sorted: the same layers make the same URL, whatever order a link names them in, so an
  // offline reload finds the answer the service worker kept.
  const names = [...ids].sort().join(',');
  const all = getJson('styles', { collections: names }).then((doc) => new Map(doc.styles.map((s) => [s.id, s.style])));
  for (const id of ids) {
    const style = all.then((styles) => styles.get(id) || fetchStyle(id), () => fetchStyle(id));
    style.catch(() => {});
    asked.set(id, style);
  }
}

// The style asked for early, or null; used once (a retry asks the server again).
export function takeStyle(id) {
  const style = asked.get(id) || null;
  asked.delete(id);
  return style;
}

// The style of a layer the map has not drawn yet: the one already asked for, else asked for
// now; either way left for the map layer to take later.
export function askedStyle(id) {
  if (!asked.has(id)) {
    prefetchStyle(id);
  }
  return asked.get(id);
}
