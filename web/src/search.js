// search.js - find a place by name, in Thai or Latin letters, and zoom to it: districts,
// tambon, landmarks, villages and named points of interest. The names are fetched once,
// on the first search (a few hundred kB at most, geometry simplified), and matched in the
// browser, so typing costs no request and works on a slow workshop network.
import { getFeatures } from './api.js';
import { city } from './city.js';
import { t } from './i18n.js';

// Which layers hold place names, from the city profile: its boundary layers, then its
// gazetteer, as [layer, Thai field, English field, context field, kind].
function gazetteer() {
  return [...city.boundaries, ...city.gazetteer].map((g) => [
    g.layer,
    g.name_field,
    g.name_field_en || null,
    g.detail_field || null,
    g.label,
  ]);
}
const MAX_RESULTS = 8;

// Lower case, Latin accents removed ("Hát Yai" finds "hat yai"); Thai is unchanged.
function fold(text) {
  return String(text)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}

function boundsOf(geometry) {
  const layer = L.geoJSON(geometry);
  return layer.getBounds();
}

export class Search {
  constructor(input, list, map, knownLayers) {
    this.input = input;
    this.list = list;
    this.map = map;
    this.known = knownLayers;
    this.entries = null;
    this.loading = null;
    this.active = -1;
    this.results = [];
    this.lang = 'th';
    input.addEventListener('input', () => this.onInput());
    input.addEventListener('keydown', (ev) => this.onKey(ev));
    input.addEventListener('focus', () => this.load());
  }

  load() {
    if (!this.loading) {
      this.loading = Promise.all(
        gazetteer().filter(([id]) => this.known.has(id)).map((g) => this.loadLayer(g)),
      ).then((lists) => {
        this.entries = lists.flat();
      });
    }
    return this.loading;
  }

  async loadLayer([id, thField, enField, contextField, kind]) {
    const got = await getFeatures(id, { zoom: 12, limit: 5000 }, 5000);
    return got.features
      .filter((f) => f.properties[thField])
      .map((f) => {
        const p = f.properties;
        const th = p[thField];
        const en = enField ? p[enField] : null;
        return {
          th,
          en,
          context: contextField ? p[contextField] : null,
          kind,
          keys: [fold(th), en ? fold(en) : ''],
          geometry: f.geometry,
        };
      });
  }

  async onInput() {
    await this.load();
    const q = fold(this.input.value);
    this.results = [];
    if (q.length > 0) {
      const scored = [];
      for (const e of this.entries) {
        const pos = Math.min(...e.keys.map((k) => (k ? k.indexOf(q) : -1)).filter((i) => i >= 0));
        if (Number.isFinite(pos)) {
          scored.push([pos === 0 ? 0 : 1, e.th.length, e]);
        }
      }
      scored.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      this.results = scored.slice(0, MAX_RESULTS).map((s) => s[2]);
    }
    this.active = this.results.length ? 0 : -1;
    this.renderResults(q.length > 0);
  }

  renderResults(hasQuery) {
    this.list.replaceChildren();
    this.input.setAttribute('aria-expanded', String(this.results.length > 0));
    if (hasQuery && this.results.length === 0) {
      const li = document.createElement('li');
      li.className = 'search-empty';
      li.textContent = t(this.lang, 'noMatch');
      this.list.append(li);
      return;
    }
    this.results.forEach((e, i) => {
      const li = document.createElement('li');
      li.id = `search-result-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === this.active));
      const name = this.lang === 'en' && e.en ? `${e.en} · ${e.th}` : e.en ? `${e.th} · ${e.en}` : e.th;
      const kind = e.kind[this.lang] + (e.context ? ` · ${e.context}` : '');
      const strong = document.createElement('strong');
      strong.textContent = name;
      const small = document.createElement('small');
      small.textContent = kind;
      li.append(strong, small);
      li.addEventListener('mousedown', (ev) => {
        ev.preventDefault();
        this.choose(e);
      });
      this.list.append(li);
    });
    if (this.active >= 0) {
      this.input.setAttribute('aria-activedescendant', `search-result-${this.active}`);
    }
  }

  onKey(ev) {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      const n = this.results.length;
      if (n) {
        this.active = (this.active + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n;
        this.renderResults(true);
      }
    } else if (ev.key === 'Enter' && this.active >= 0) {
      ev.preventDefault();
      this.choose(this.results[this.active]);
    } else if (ev.key === 'Escape') {
      this.clear();
    }
  }

  choose(entry) {
    const bounds = boundsOf(entry.geometry);
    if (entry.geometry.type === 'Point') {
      this.map.setView(bounds.getCenter(), Math.max(this.map.getZoom(), 16));
    } else {
      this.map.fitBounds(bounds, { maxZoom: 16 });
    }
    this.input.value = this.lang === 'en' && entry.en ? entry.en : entry.th;
    this.clear();
  }

  clear() {
    this.results = [];
    this.active = -1;
    this.list.replaceChildren();
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }
}
