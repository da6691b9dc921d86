// retry.js - fetch with retries for the failures that pass: no answer at all (a phone
// between cells), a 5xx, a 429. Waits grow (exponential backoff with jitter, so many
// clients that failed together do not come back together) and are bounded, as is the
// number of tries, so a caller always gets an answer or an error in bounded time and can
// show it; a 429's or 503's Retry-After is followed when it asks for no more than the
// longest wait (asked for more, the answer is returned at once). The API's JSON (api.js) and the map's tiles use it.

export const RETRY_DEFAULTS = Object.freeze({
  retries: 3, // tries after the first
  baseDelayMs: 400,
  maxDelayMs: 8000,
});

export function isTransientStatus(status) {
  return status === 429 || status >= 500;
}

// Retry-After in seconds or as an HTTP date, in ms from now; null when absent or unreadable.
export function retryAfterMs(header, now = Date.now()) {
  if (!header) {
    return null;
  }
  if (/^\d+$/.test(header.trim())) {
    return Number(header.trim()) * 1000;
  }
  const when = Date.parse(header);
  return Number.isNaN(when) ? null : Math.max(0, when - now);
}

// The wait before try number `attempt` (1 = the first retry): base * 2^(attempt-1), with
// "full jitter" between half and all of it, never more than maxDelayMs.
export function backoffMs(attempt, { baseDelayMs, maxDelayMs }, random = Math.random) {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) {
      reject(signal.reason || new DOMException('Aborted', 'AbortError'));
      return;
    }
    const timer = setTimeout(resolve, ms);
    if (signal) {
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason || new DOMException('Aborted', 'AbortError'));
        },
        { once: true },
      );
    }
  });
}

// fetch(url, opts) tried up to 1 + retries times. opts are fetch's options plus retries,
// baseDelayMs, maxDelayMs and onRetry(attempt, waitMs, why). Resolves with the first
// answer that is not transient, or the last answer (a 5xx, a 429) when the tries run out;
// rejects with the last network error, or at once when opts.signal aborts.
export async function fetchWithRetry(url, opts = {}) {
  const { retries, baseDelayMs, maxDelayMs, onRetry, ...init } = { ...RETRY_DEFAULTS, ...opts };
  for (let attempt = 0; ; attempt++) {
    let resp = null;
    let failure = null;
    try {
      resp = await fetch(url, init);
    } catch (e) {
      if (e.name === 'AbortError') {
        throw e;
      }
      failure = e;
    }
    if (resp && !isTransientStatus(resp.status)) {
      return resp;
    }
    if (attempt >= retries) {
      if (resp) {
        return resp;
      }
      throw failure;
    }
    let wait = backoffMs(attempt + 1, { baseDelayMs, maxDelayMs });
    const asked = resp ? retryAfterMs(resp.headers.get('Retry-After')) : null;
    if (asked !== null && asked > maxDelayMs) {
      return resp; // asked to come back later than we wait: the caller says so
    }
    if (asked !== null) {
      wait = Math.max(wait, asked);
    }
    if (resp && resp.body) {
      resp.body.cancel().catch(() => {}); // not read: let the connection go
    }
    if (onRetry) {
      onRetry(attempt + 1, wait, resp ? `HTTP ${resp.status}` : failure.message);
    }
    await sleep(wait, init.signal);
  }
}
