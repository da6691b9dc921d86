// api.js - requests to the cityatlas server that serves this page. Every URL is relative
// to the page (/map/ -> the server root), so the map works behind any host name, on a
// workshop's local network, and never asks another host for anything.
import { fetchWithRetry } from './retry.js';

const ROOT = new URL('../', window.location.href);

export function apiUrl(path, params) {
  const url = new URL(path.replace(/^\//, ''), ROOT);
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null) {
      url.searchParams.set(name, String(value));
    }
  }
  return url;
}

// Answers asked for before the code that reads them runs (prefetchFeatures): URL -> the
// promise of its body, taken by the first getJson of the same URL.
const prefetched = new Map();

// GETs JSON, retrying transient failures (retry.js); a non-2xx answer becomes an Error
// carrying the server's own description. headers: more request headers (a facilitator's
// Authorization).
export async function getJson(path, params, signal, headers) {
  const url = typeof path === 'string' ? apiUrl(path, params) : path;
  const early = headers ? null : prefetched.get(url.href);
  if (early) {
    prefetched.delete(url.href);
    return early;
  }
  const resp = await fetchWithRetry(url, { headers: { Accept: 'application/json', ...headers }, signal });
  const body = await resp.json().catch(() => null);
  if (!resp.ok) {
    const why = body && body.description ? body.description : `HTTP ${resp.status}`;
    throw new Error(why);
  }
  return body;
}

// One feature of a collection, with its full geometry.
export function getFeature(collectionId, featureId, signal) {
  return getJson(`collections/${encodeURIComponent(collectionId)}/items/${encodeURIComponent(featureId)}`, null, signal);
}

function itemsUrl(collectionId, params) {
  return apiUrl(`collections/${encodeURIComponent(collectionId)}/items`, params);
}

// Asks now for the first page of an items query that getFeatures will make later with the
// same parameters (a failure is reported to it then, retries included).
export function prefetchFeatures(collectionId, params) {
  const url = itemsUrl(collectionId, params);
  if (!prefetched.has(url.href)) {
    const body = getJson(url);
    body.catch(() => {});
    prefetched.set(url.href, body);
  }
}

// Forgets what was asked for early and not taken (a layer its style hides at this zoom):
// a later view asks the server again rather than reading an old answer.
export function dropPrefetched() {
  prefetched.clear();
}

// Pages through an items query, following "next" links, until maxFeatures have arrived.
// Returns { features, complete, numberMatched } where complete says whether the last page
// was reached and numberMatched is the server's count of the whole query (null if absent).
export async function getFeatures(collectionId, params, maxFeatures, signal) {
  let url = itemsUrl(collectionId, params);
  const features = [];
  let numberMatched = null;
  while (url && features.length < maxFeatures) {
    const page = await getJson(url, null, signal);
    if (numberMatched === null && Number.isInteger(page.numberMatched)) {
      numberMatched = page.numberMatched;
    }
    features.push(...page.features);
    const next = (page.links || []).find((l) => l.rel === 'next');
    url = next ? new URL(next.href, ROOT) : null;
  }
  return { features, complete: url === null, numberMatched };
}
