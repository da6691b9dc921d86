// area_summary.js - what a chosen area (a tambon, a district) holds: the area outlined on
// the map, the view fitted to it, and for every layer with geometry how many of its features
// lie in it, by category where the city profile names a category field. The counts come from
// the statistics engine (/stats with metric=count, by the area's boundary layer, narrowed to
// the area with by-filter): every feature counted, never a sample, and the same numbers the
// statistics panel and `cityatlas stats` give.
import { getFeature, getJson } from './api.js';
import { areaFilter, countsOf } from './area_counts.js';
import { t, formatNumber } from './i18n.js';
import { paragraph } from './stats_area.js';

// Categories shown per layer; the rest are summed as "others".
const MAX_GROUPS = 8;
// Statistics requested at once for one area.
const PARALLEL_COUNTS = 3;
// Drawn as SVG above the canvas layers, so the outline is one element people (and tests)
// can find.
const OUTLINE = { color: '#d7301f', weight: 4, opacity: 0.9, fill: false, interactive: false, className: 'area-outline' };

export class AreaSummary {
  constructor(box, map) {
    this.box = box;
    this.map = map;
    this.outline = null;
    this.shown = null; // { entry, source, layers, counts: Map(layer id -> counts | Error) }
    this.lang = 'th';
    this.abort = null; // aborts the requests of the area shown
  }

  // Outlines and fits the area, then counts what each of layers ([{ id, title, groupField }])
  // holds in it.
  async show(entry, source, layers) {
    this.clear();
    const abort = new AbortController();
    this.abort = abort;
    this.shown = { entry, source, layers, counts: new Map() };
    this.render();
    await Promise.all([this.outlineArea(entry, source, abort.signal), this.count(entry, source, layers, abort.signal)]);
  }

  // The search list holds names only: the area's shape is fetched, outlined and fitted.
  async outlineArea(entry, source, signal) {
    try {
      const feature = await getFeature(source.layer, entry.feature.id, signal);
      if (feature && feature.geometry && !signal.aborted) {
        this.draw(feature.geometry);
        this.map.fitBounds(this.outline.getBounds(), { maxZoom: 16 });
      }
    } catch (e) {
      if (!signal.aborted) {
        this.shown.shapeError = e.message;
        this.render();
      }
    }
  }

  // A few statistics at a time: a city with many layers does not fill the server's queue.
  async count(entry, source, layers, signal) {
    const filter = areaFilter(entry, source);
    const queue = [...layers];
    const worker = async () => {
      for (let layer = queue.shift(); layer; layer = queue.shift()) {
        const params = { layer: layer.id, by: source.layer, 'by-filter': filter, metric: 'count' };
        if (layer.groupField) {
          params.group = layer.groupField;
        }
        let counts;
        try {
          counts = countsOf(await getJson('stats', params, signal), entry.feature.id);
        } catch (e) {
          counts = e;
        }
        if (signal.aborted) {
          return;
        }
        this.shown.counts.set(layer.id, counts);
        this.render();
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_COUNTS }, worker));
  }

  draw(geometry) {
    if (this.outline) {
      this.outline.remove();
    }
    this.renderer = this.renderer || L.svg({ padding: 0.5 });
    this.outline = L.geoJSON(geometry, { style: OUTLINE, renderer: this.renderer, interactive: false }).addTo(this.map);
  }

  setLang(lang) {
    this.lang = lang;
    this.render();
  }

  clear() {
    if (this.abort) {
      this.abort.abort();
      this.abort = null;
    }
    if (this.outline) {
      this.outline.remove();
      this.outline = null;
    }
    this.shown = null;
    this.box.replaceChildren();
    this.box.hidden = true;
  }

  render() {
    if (!this.shown) {
      return;
    }
    const { entry, source, layers, counts } = this.shown;
    const lang = this.lang;
    const head = document.createElement('div');
    head.className = 'area-summary-head';
    const title = document.createElement('h2');
    const name = lang === 'en' && entry.latinName ? entry.latinName : entry.name;
    title.textContent = `${source.kind[lang] || source.kind.en} ${name}`;
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'area-summary-close';
    close.textContent = '×';
    close.setAttribute('aria-label', t(lang, 'close'));
    close.addEventListener('click', () => this.clear());
    head.append(title, close);
    const parts = [head];
    if (entry.context) {
      const context = document.createElement('p');
      context.className = 'area-summary-context';
      context.textContent = entry.context;
      parts.push(context);
    }
    if (this.shown.shapeError) {
      parts.push(paragraph('area-summary-error', `${t(lang, 'loadFailed')}: ${this.shown.shapeError}`));
    }
    const holds = document.createElement('h3');
    holds.textContent = t(lang, 'areaHolds');
    parts.push(holds);
    if (layers.length === 0) {
      parts.push(paragraph('area-summary-empty', t(lang, 'areaNoLayers')));
    }
    const list = document.createElement('ul');
    list.className = 'area-summary-layers';
    for (const layer of layers) {
      list.append(this.layerItem(layer, counts.get(layer.id), lang));
    }
    parts.push(list, paragraph('area-summary-note', t(lang, 'areaCountNote')));
    this.box.replaceChildren(...parts);
    this.box.hidden = false;
  }

  layerItem(layer, counts, lang) {
    const li = document.createElement('li');
    li.dataset.layer = layer.id;
    const label = document.createElement('span');
    label.textContent = layer.title[lang] || layer.title.en;
    const value = document.createElement('strong');
    value.className = 'area-summary-count';
    if (counts === undefined) {
      value.textContent = t(lang, 'loading');
    } else if (counts instanceof Error) {
      value.textContent = t(lang, 'loadFailed');
      value.title = counts.message;
    } else {
      value.textContent = formatNumber(lang, counts.total);
      value.dataset.count = String(counts.total);
    }
    li.append(label, value);
    if (counts && !(counts instanceof Error) && counts.groups.length) {
      const groups = document.createElement('ul');
      groups.className = 'area-summary-groups';
      const shown = counts.groups.slice(0, MAX_GROUPS);
      const rest = counts.groups.slice(MAX_GROUPS).reduce((sum, [, n]) => sum + n, 0);
      for (const [group, n] of rest > 0 ? [...shown, [t(lang, 'areaOtherGroups'), rest]] : shown) {
        const g = document.createElement('li');
        g.textContent = `${group}: ${formatNumber(lang, n)}`;
        groups.append(g);
      }
      li.append(groups);
    }
    return li;
  }
}
