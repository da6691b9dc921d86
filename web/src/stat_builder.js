// stat_builder.js - "or build one": a statistic of any layer by the city's boundary layers
// (its profile: districts, tambon...) from the /stats API: count, length or area; as totals,
// per km², per capita (through the population table the profile names for those areas) or
// shares; optionally only the features whose category field has one of the chosen values
// (picked from the values the layer really has, counted by the same API: nobody types a
// filter). Drawn by the statistics panel like a featured one. Its query lives in the URL
// as sq=LAYER~BY~METRIC~COLUMN[~FIELD~VALUE,VALUE...] (values URI-encoded) so a built
// statistic can be shared too.
import { getJson } from './api.js';
import { boundaryLayers, city } from './city.js';
import { t, formatNumber } from './i18n.js';

const COLUMNS = ['value', 'per_km2', 'per_capita', 'share'];
const SLUG = /^[a-z0-9][a-z0-9_-]{0,127}$/;
// Property names as a CQL2 "quoted name" carries them: letters, digits, marks, _ - . and space.
const FIELD = /^[\p{L}\p{N}\p{M}_][\p{L}\p{N}\p{M}_ .-]{0,127}$/u;
// Choices shown for a category field: its most frequent values.
const MAX_VALUES = 60;

// The metrics a geometry type can be measured by.
function metricsFor(geometryType) {
  const type = String(geometryType || '').toUpperCase();
  if (type.includes('LINE')) {
    return ['count', 'length'];
  }
  if (type.includes('POLYGON')) {
    return ['count', 'area'];
  }
  return ['count'];
}

// The population table of a boundary layer from the city profile, or null.
function populationOf(by) {
  const b = city.boundaries.find((x) => x.layer === by);
  const pop = b && b.population;
  return pop && pop.from && pop.join && pop.field ? pop : null;
}

function columnsFor(by) {
  return COLUMNS.filter((c) => c !== 'per_capita' || populationOf(by));
}

const encodeValue = (v) => encodeURIComponent(v).replace(/~/g, '%7E');

export function parseBuiltQuery(text) {
  const [layer, by, metric, column, field, values, ...rest] = String(text || '').split('~');
  if (!SLUG.test(layer || '') || !boundaryLayers().includes(by) || !['count', 'length', 'area'].includes(metric) ||
      !columnsFor(by).includes(column) || rest.length > 0) {
    return null;
  }
  const q = { layer, by, metric, column, field: null, values: [] };
  if (field !== undefined) {
    let decoded;
    try {
      decoded = (values || '').split(',').filter(Boolean).map(decodeURIComponent);
    } catch {
      return null;
    }
    if (!FIELD.test(field) || decoded.length === 0 || decoded.length > MAX_VALUES) {
      return null;
    }
    Object.assign(q, { field, values: decoded });
  }
  return q;
}

export function builtQueryText(q) {
  const base = `${q.layer}~${q.by}~${q.metric}~${q.column}`;
  return q.field ? `${base}~${q.field}~${q.values.map(encodeValue).join(',')}` : base;
}

// CQL2 text for "field is one of values": the server parses it and binds every value.
function categoryFilter(field, values) {
  const literal = (v) => `'${v.replace(/'/g, "''")}'`;
  return `"${field}" IN (${values.map(literal).join(', ')})`;
}

// The /stats parameters of a built query.
export function builtParams(q) {
  const params = { layer: q.layer, by: q.by, metric: q.metric, 'classify-column': q.column };
  if (q.field) {
    params.filter = categoryFilter(q.field, q.values);
  }
  const pop = q.column === 'per_capita' ? populationOf(q.by) : null;
  if (pop) {
    Object.assign(params, { population: pop.field, 'population-from': pop.from, join: pop.join });
  }
  return params;
}

export function builtTitle(q, infos, lang) {
  const title = (id) => {
    const info = infos.find((i) => i.id === id);
    return info ? info.title[lang] || info.title.en : id;
  };
  const only = q.field ? ` (${q.values.join(', ')})` : '';
  return `${t(lang, `metric_${q.metric}`)} · ${title(q.layer)}${only} · ${t(lang, `column_${q.column}`)} · ${title(q.by)}`;
}

function select(id, options) {
  const el = document.createElement('select');
  el.id = id;
  options.forEach(([value, text]) => el.append(new Option(text, value)));
  return el;
}

function labelled(text, control) {
  const label = document.createElement('label');
  label.className = 'form-field';
  label.append(document.createTextNode(text), control);
  return label;
}

// The text fields of a layer, from its queryables.
async function categoryFields(layerId) {
  const doc = await getJson(`collections/${encodeURIComponent(layerId)}/queryables`, {});
  return Object.entries(doc.properties || {})
    .filter(([, p]) => p.type === 'string' && !p.format)
    .map(([name]) => name)
    .filter((name) => FIELD.test(name));
}

// The values a field takes in a layer with their counts, most frequent first.
async function categoryValues(layerId, field) {
  const doc = await getJson('stats', { layer: layerId, group: field, f: 'json' });
  // Without areas each group's row comes twice (as the area-less row and as the total's).
  const counts = new Map();
  for (const r of doc.rows || []) {
    if (typeof r.group === 'string' && r.group !== '' && !counts.has(r.group)) {
      counts.set(r.group, r.value);
    }
  }
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_VALUES);
}

// The category part of the form: a field, then a checkbox per value.
class CategoryPicker {
  constructor(lang) {
    this.lang = lang;
    this.field = select('build-filter-field', []);
    this.values = document.createElement('fieldset');
    this.values.id = 'build-values';
    this.values.className = 'build-values';
    this.values.hidden = true;
    this.layerId = null;
    this.field.addEventListener('change', () => this.loadValues([]));
  }

  async setLayer(layerId, field, checked) {
    this.layerId = layerId;
    this.field.replaceChildren(new Option(t(this.lang, 'allFeatures'), ''));
    this.values.hidden = true;
    try {
      const fields = await categoryFields(layerId);
      if (this.layerId !== layerId) {
        return;
      }
      fields.forEach((name) => this.field.append(new Option(name, name)));
      this.field.value = fields.includes(field) ? field : '';
      await this.loadValues(checked);
    } catch (e) {
      this.showMessage(e.message);
    }
  }

  async loadValues(checked) {
    const field = this.field.value;
    const layerId = this.layerId;
    this.values.replaceChildren();
    this.values.hidden = !field;
    if (!field) {
      return;
    }
    const legend = document.createElement('legend');
    legend.textContent = t(this.lang, 'buildFilterValues');
    this.values.append(legend);
    try {
      const values = await categoryValues(layerId, field);
      if (this.layerId !== layerId || this.field.value !== field) {
        return;
      }
      for (const { value, count } of values) {
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.value = value;
        box.checked = checked.includes(value);
        const label = document.createElement('label');
        label.className = 'build-value';
        label.append(box, document.createTextNode(` ${value} (${formatNumber(this.lang, count)})`));
        this.values.append(label);
      }
    } catch (e) {
      this.showMessage(e.message);
    }
  }

  showMessage(text) {
    const p = document.createElement('p');
    p.className = 'stats-status error';
    p.textContent = `${t(this.lang, 'loadFailed')}: ${text}`;
    this.values.hidden = false;
    this.values.append(p);
  }

  // { field, values } chosen, or { field: null, values: [] } for every feature.
  chosen() {
    const values = [...this.values.querySelectorAll('input:checked')].map((b) => b.value);
    return this.field.value && values.length > 0 ? { field: this.field.value, values } : { field: null, values: [] };
  }
}

// The form; onShow(query) runs when the reader asks for the statistic.
export function builderForm(infos, lang, current, onShow) {
  const drawable = infos.filter((i) => i.geometryType && !boundaryLayers().includes(i.id) && !i.id.startsWith('scenario-'));
  const box = document.createElement('details');
  box.className = 'stat-builder';
  box.open = Boolean(current);
  const summary = document.createElement('summary');
  summary.textContent = t(lang, 'buildStatistic');
  const layer = select('build-layer', drawable.map((i) => [i.id, i.title[lang] || i.title.en]));
  const by = select('build-by', boundaryLayers().filter((id) => infos.some((i) => i.id === id))
    .map((id) => [id, infos.find((i) => i.id === id).title[lang]]));
  const metric = select('build-metric', []);
  const column = select('build-column', []);
  const categories = new CategoryPicker(lang);
  // The layer's fields are asked for once the form is open, not on every page load.
  let asked = false;
  const fillMetrics = () => {
    const info = drawable.find((i) => i.id === layer.value);
    metric.replaceChildren(...metricsFor(info && info.geometryType).map((m) => new Option(t(lang, `metric_${m}`), m)));
  };
  const fillColumns = () => {
    const keep = column.value;
    column.replaceChildren(...columnsFor(by.value).map((c) => new Option(t(lang, `column_${c}`), c)));
    if (columnsFor(by.value).includes(keep)) {
      column.value = keep;
    }
  };
  layer.addEventListener('change', () => {
    fillMetrics();
    asked = true;
    categories.setLayer(layer.value, null, []);
  });
  by.addEventListener('change', fillColumns);
  if (current) {
    layer.value = current.layer;
    by.value = current.by;
  }
  fillMetrics();
  fillColumns();
  if (current) {
    metric.value = current.metric;
    column.value = current.column;
  }
  const askFields = () => {
    if (box.open && !asked && layer.value) {
      asked = true;
      categories.setLayer(layer.value, current && current.field, current ? current.values : []);
    }
  };
  box.addEventListener('toggle', askFields);
  askFields();
  const show = document.createElement('button');
  show.type = 'submit';
  show.textContent = t(lang, 'showStatistic');
  const form = document.createElement('form');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    onShow({ layer: layer.value, by: by.value, metric: metric.value, column: column.value, ...categories.chosen() });
  });
  form.append(
    labelled(t(lang, 'buildLayer'), layer),
    labelled(t(lang, 'buildFilterField'), categories.field),
    categories.values,
    labelled(t(lang, 'buildBy'), by),
    labelled(t(lang, 'buildMetric'), metric),
    labelled(t(lang, 'buildColumn'), column),
    show,
  );
  box.append(summary, form);
  return box;
}
