// tile_fetch.js - one vector tile from the server, with retries: a dropped connection or a
// busy server (5xx, 429) is asked again after a growing pause, so one failed request does
// not leave a blank square on the map. A 4xx other than 429 is an answer, not a glitch,
// and is not repeated. Returns the tile's bytes and what the server left out of it.

const RETRIES = 3;
const FIRST_PAUSE_MS = 300;

function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    });
  });
}

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

function isTransient(status) {
  return status === 429 || status >= 500;
}

// { bytes: Uint8Array, dropped: Map } of the tile at url; throws after the last retry.
export async function fetchTile(url, signal) {
  let lastError = null;
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    if (attempt > 0) {
      await pause(FIRST_PAUSE_MS * 2 ** (attempt - 1), signal);
    }
    try {
      const resp = await fetch(url, { signal });
      if (resp.ok) {
        const bytes = new Uint8Array(await resp.arrayBuffer());
        return { bytes, dropped: parseDropped(resp.headers.get('X-Features-Dropped')) };
      }
      lastError = new Error(`HTTP ${resp.status}`);
      if (!isTransient(resp.status)) {
        break;
      }
    } catch (e) {
      if (e.name === 'AbortError') {
        throw e;
      }
      lastError = e; // the network failed: worth another try
    }
  }
  throw lastError;
}
