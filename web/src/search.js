// search.js - find a place by name, in Thai or Latin letters, and go to it: districts,
// tambon, landmarks, villages, named points of interest and any other named layer (roads,
// walls). The names are fetched once, on the first search (at most MAX_PER_LAYER per layer,
// geometry simplified, only the name fields), and matched in the browser by search_rank.js,
// so typing costs no request and works on a slow workshop network. Choosing an area of a
// boundary layer (a tambon) outlines it and lists what it holds (area_summary.js).
import { getFeature, getFeatures } from './api.js';
import { AreaSummary } from './area_summary.js';
import { city } from './city.js';
import { formatNumber, t } from './i18n.js';
import { layerEntries, search } from './search_rank.js';

// Names kept per layer: the list stays a few MB at most however large a layer grows.
const MAX_PER_LAYER = 5000;
// The theme whose layers are areas to count by, not places to count.
const BOUNDARY_THEME = 'boundaries';

// Which layers hold names: the city profile's boundary layers and gazetteer (with their
// Thai, Latin and context fields and labels), then every other layer with geometry the
// server names a name property for, labelled with the layer's title.
export function searchSources(infos) {
  const byId = new Map(infos.map((i) => [i.id, i]));
  const sources = [];
  const add = (source) => byId.has(source.layer) && sources.push({ ...source, order: sources.length });
  for (const [list, boundary] of [[city.boundaries, true], [city.gazetteer, false]]) {
    for (const g of list) {
      add({
        layer: g.layer,
        nameField: g.name_field,
        latinField: g.name_field_en || null,
        contextField: g.detail_field || null,
        kind: g.label,
        boundary,
      });
    }
  }
  const listed = new Set(sources.map((s) => s.layer));
  for (const info of infos) {
    if (!listed.has(info.id) && info.nameProperty && info.geometryType && info.theme !== BOUNDARY_THEME) {
      add({ layer: info.id, nameField: info.nameProperty, latinField: null, contextField: null, kind: info.title, boundary: false });
    }
  }
  return sources;
}

// The layers an area's summary counts: every layer with geometry but the boundary ones,
// by the category field the profile's gazetteer names for it.
export function countedLayers(infos) {
  const groupField = new Map(city.gazetteer.filter((g) => g.detail_field).map((g) => [g.layer, g.detail_field]));
  return infos
    .filter((i) => i.geometryType && i.theme !== BOUNDARY_THEME)
    .map((i) => ({ id: i.id, title: i.title, groupField: groupField.get(i.id) || null }));
}

function boundsOf(geometry) {
  const layer = L.geoJSON(geometry);
  return layer.getBounds();
}

export class Search {
  // infos: the catalog's layers ({ id, title, theme, geometryType, nameProperty }).
  constructor(input, list, map, infos) {
    this.input = input;
    this.list = list;
    this.map = map;
    this.infos = infos;
    this.entries = null;
    this.loading = null;
    this.active = -1;
    this.groups = [];
    this.results = [];
    this.notes = [];
    this.currentLang = 'th';
    // The summary of a chosen area sits right under the search box.
    const box = document.createElement('section');
    box.id = 'area-summary';
    box.className = 'area-summary';
    box.setAttribute('aria-live', 'polite');
    box.hidden = true;
    input.parentElement.after(box);
    this.summary = new AreaSummary(box, map);
    input.addEventListener('input', () => this.onInput());
    input.addEventListener('keydown', (ev) => this.onKey(ev));
    input.addEventListener('focus', () => this.load());
  }

  get lang() {
    return this.currentLang;
  }

  set lang(lang) {
    this.currentLang = lang;
    this.summary.setLang(lang);
  }

  // Fetches the names once; a layer that failed is fetched again on the next search.
  load() {
    if (!this.loading) {
      this.notes = [];
      this.loading = Promise.all(searchSources(this.infos).map((s) => this.loadLayer(s))).then((lists) => {
        this.entries = lists.flat();
        if (this.notes.some((n) => n.failed)) {
          this.loading = null;
        }
      });
    }
    return this.loading;
  }

  // A layer's entries; one with more than MAX_PER_LAYER features, or that cannot be
  // fetched, leaves a note that the results show (nothing is left out silently).
  async loadLayer(source) {
    const fields = [source.nameField, source.latinField, source.contextField].filter(Boolean);
    // Names only: a chosen feature's shape is fetched when it is chosen.
    const params = { skipGeometry: true, limit: 1000, properties: [...new Set(fields)].join(',') };
    const info = this.infos.find((i) => i.id === source.layer);
    try {
      const got = await getFeatures(source.layer, params, MAX_PER_LAYER);
      const features = got.features.slice(0, MAX_PER_LAYER);
      if (!got.complete || got.features.length > features.length) {
        this.notes.push({ info, loaded: features.length, total: Math.max(info.featureCount, features.length) });
      }
      return layerEntries(features, source).map((e) => ({ ...e, source }));
    } catch (e) {
      this.notes.push({ info, failed: true, why: e.message });
      return [];
    }
  }

  async onInput() {
    await this.load();
    const text = this.input.value;
    this.groups = search(this.entries, text);
    this.results = this.groups.flatMap((g) => g.entries);
    this.active = this.results.length ? 0 : -1;
    this.renderResults(text.trim().length > 0);
  }

  // The results under a heading per kind (tambon, landmark...); the keyboard walks them in
  // the order shown.
  renderResults(hasQuery) {
    this.list.replaceChildren();
    this.input.setAttribute('aria-expanded', String(this.results.length > 0));
    if (hasQuery && this.results.length === 0) {
      const li = document.createElement('li');
      li.className = 'search-empty';
      li.textContent = t(this.lang, 'noMatch');
      this.list.append(li);
    }
    let i = 0;
    for (const group of this.groups) {
      const heading = document.createElement('li');
      heading.className = 'search-group';
      heading.setAttribute('role', 'presentation');
      heading.textContent = group.kind[this.lang] || group.kind.en;
      this.list.append(heading);
      for (const e of group.entries) {
        this.list.append(this.option(e, i));
        i++;
      }
    }
    if (hasQuery) {
      this.list.append(...this.notes.map((n) => this.noteItem(n)));
    }
    if (this.active >= 0) {
      this.input.setAttribute('aria-activedescendant', `search-result-${this.active}`);
    }
  }

  noteItem(note) {
    const li = document.createElement('li');
    li.className = 'search-note';
    li.setAttribute('role', 'presentation');
    const layer = note.info.title[this.lang] || note.info.title.en;
    const text = note.failed ? t(this.lang, 'searchFailed') : t(this.lang, 'searchPartial');
    li.textContent = text
      .replace('{layer}', layer)
      .replace('{n}', formatNumber(this.lang, note.loaded))
      .replace('{total}', formatNumber(this.lang, note.total));
    if (note.failed) {
      li.title = note.why;
    }
    return li;
  }

  option(e, i) {
    const li = document.createElement('li');
    li.id = `search-result-${i}`;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', String(i === this.active));
    li.dataset.layer = e.layer;
    const first = this.lang === 'en' && e.latinName ? e.latinName : e.name;
    const second = first === e.name ? e.latinName : e.name;
    const strong = document.createElement('strong');
    strong.textContent = second ? `${first} · ${second}` : first;
    const small = document.createElement('small');
    small.textContent = (e.kind[this.lang] || e.kind.en) + (e.context ? ` · ${e.context}` : '');
    li.append(strong, small);
    li.addEventListener('mousedown', (ev) => {
      ev.preventDefault();
      this.choose(e);
    });
    return li;
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

  // An area of a boundary layer is outlined and summarised; anything else is shown.
  async choose(entry) {
    this.input.value = this.lang === 'en' && entry.latinName ? entry.latinName : entry.name;
    this.clear();
    if (entry.source.boundary) {
      this.summary.show(entry, entry.source, countedLayers(this.infos));
      return;
    }
    this.summary.clear();
    try {
      const { geometry } = await getFeature(entry.layer, entry.feature.id);
      const bounds = boundsOf(geometry);
      if (geometry.type === 'Point') {
        this.map.setView(bounds.getCenter(), Math.max(this.map.getZoom(), 16));
      } else {
        this.map.fitBounds(bounds, { maxZoom: 16 });
      }
    } catch (e) {
      const li = document.createElement('li');
      li.className = 'search-empty';
      li.textContent = `${t(this.lang, 'loadFailed')}: ${e.message}`;
      this.list.replaceChildren(li);
    }
  }

  clear() {
    this.results = [];
    this.active = -1;
    this.list.replaceChildren();
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }
}
