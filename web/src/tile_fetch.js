// tile_fetch.js - one vector tile from the server, as the tile worker (tile_worker.js) and
// the main-thread fallback fetch it. Apart from api.js because it runs in a worker too,
// where there is no window (api.js resolves its URLs against the page's).
import { fetchWithRetry } from './retry.js';

// "X-Features-Dropped: layer-a=12, layer-b=3" as a Map of layer id -> count.
export function parseDropped(header) {
  const dropped = new Map();
  for (const part of (header || '').split(',')) {
    const m = /^\s*(.+?)=(\d+)\s*$/.exec(part);
    if (m) {
      dropped.set(m[1], Number(m[2]));
    }
  }
  return dropped;
}

// One vector tile, retrying transient failures as api.js's getJson does (one failed
// request never leaves a blank square): { bytes: Uint8Array, dropped: Map } of what the
// server left out of each of its layers; throws on an answer that is not 2xx after the
// retries.
export async function getTile(url, signal) {
  const resp = await fetchWithRetry(url, { signal });
  if (!resp.ok) {
    resp.body?.cancel().catch(() => {});
    throw new Error(`HTTP ${resp.status}`);
  }
  const bytes = new Uint8Array(await resp.arrayBuffer());
  return { bytes, dropped: parseDropped(resp.headers.get('X-Features-Dropped')) };
}
