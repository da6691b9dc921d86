// offline.js - the bundled map's service worker (web/sw.js, served at /map/sw.js) and the
// note that says the map is offline. The unbundled page (index.html, for debugging)
// registers no worker, so what it shows is always the source as it is on disk.
import { tilesFetchedByWorkers } from './tile_client.js';

const BUNDLED = import.meta.url.includes('/dist/assets/');

export function registerServiceWorker() {
  if (!BUNDLED || !('serviceWorker' in navigator)) {
    return;
  }
  // After the first view is drawn: installing precaches the shell, which must not compete
  // with the page's own requests on a slow network.
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'kept') {
      document.body.dataset.offlineReady = 'true'; // the first view would show offline too
    }
  });
  navigator.serviceWorker
    .register('sw.js')
    .then(() => navigator.serviceWorker.ready)
    .then((reg) => {
      // What the first view fetched came before the worker: it is handed over to be kept
      // too (mostly from the HTTP cache), so that a reload offline shows it; with the
      // tiles the tile worker fetched.
      const seen = performance
        .getEntriesByType('resource')
        .filter((r) => r.initiatorType === 'fetch' && new URL(r.name).origin === window.location.origin)
        .map((r) => r.name)
        .concat(tilesFetchedByWorkers());
      reg.active.postMessage({ type: 'keep', urls: seen });
    })
    .catch((e) => console.warn('service worker:', e.message));
}

// Shows note (an element with the translated "offline" words) while the browser is offline.
export function watchOffline(note) {
  const update = () => {
    note.hidden = navigator.onLine;
  };
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  update();
}
