// stat_builder.js - "or build one": a statistic of any layer by the city's boundary layers
// (its profile: districts, tambon...) from
// the /stats API (count, length or area; as totals, per km² or shares), drawn by the
// statistics panel like a featured one. Its query lives in the URL as
// sq=LAYER~BY~METRIC~COLUMN so a built statistic can be shared too.
import { boundaryLayers } from './city.js';
import { t } from './i18n.js';

const COLUMNS = ['value', 'per_km2', 'share'];
const SLUG = /^[a-z0-9][a-z0-9_-]{0,127}$/;

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

export function parseBuiltQuery(text) {
  const [layer, by, metric, column] = String(text || '').split('~');
  if (!SLUG.test(layer || '') || !boundaryLayers().includes(by) || !['count', 'length', 'area'].includes(metric) || !COLUMNS.includes(column)) {
    return null;
  }
  return { layer, by, metric, column };
}

export function builtQueryText(q) {
  return `${q.layer}~${q.by}~${q.metric}~${q.column}`;
}

// The /stats parameters of a built query.
export function builtParams(q) {
  return { layer: q.layer, by: q.by, metric: q.metric, 'classify-column': q.column };
}

export function builtTitle(q, infos, lang) {
  const title = (id) => {
    const info = infos.find((i) => i.id === id);
    return info ? info.title[lang] || info.title.en : id;
  };
  return `${t(lang, `metric_${q.metric}`)} · ${title(q.layer)} · ${t(lang, `column_${q.column}`)} · ${title(q.by)}`;
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
  const column = select('build-column', COLUMNS.map((c) => [c, t(lang, `column_${c}`)]));
  const fillMetrics = () => {
    const info = drawable.find((i) => i.id === layer.value);
    metric.replaceChildren(...metricsFor(info && info.geometryType).map((m) => new Option(t(lang, `metric_${m}`), m)));
  };
  layer.addEventListener('change', fillMetrics);
  if (current) {
    layer.value = current.layer;
  }
  fillMetrics();
  if (current) {
    by.value = current.by;
    metric.value = current.metric;
    column.value = current.column;
  }
  const show = document.createElement('button');
  show.type = 'submit';
  show.textContent = t(lang, 'showStatistic');
  const form = document.createElement('form');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    onShow({ layer: layer.value, by: by.value, metric: metric.value, column: column.value });
  });
  form.append(
    labelled(t(lang, 'buildLayer'), layer),
    labelled(t(lang, 'buildBy'), by),
    labelled(t(lang, 'buildMetric'), metric),
    labelled(t(lang, 'buildColumn'), column),
    show,
  );
  box.append(summary, form);
  return box;
}
