// stats_panel.js - the statistics panel: pick a featured statistic and see it as a
// choropleth (classes and colours computed by the server, viridis: readable by
// colour-blind people), its legend, a ranking chart of the areas, and underneath what it
// counts, where the data comes from and when it was computed.
import { apiUrl, getJson } from './api.js';
import { t, formatDate, formatNumber } from './i18n.js';
import { classLegend } from './legend.js';
import { builderForm, builtParams, builtQueryText, builtTitle } from './stat_builder.js';

const MAX_BARS = 30;
const CHART_JS = 'node_modules/chart.js/dist/chart.umd.min.js';

// Chart.js arrives only when a statistic is first shown, so the first view stays small.
let chartLoading = null;
function loadChartJs() {
  if (!chartLoading) {
    chartLoading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = CHART_JS;
      script.onload = resolve;
      script.onerror = () => reject(new Error(CHART_JS));
      document.head.append(script);
    });
  }
  return chartLoading;
}

function paragraph(className, text) {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

function heading(text) {
  const h = document.createElement('h3');
  h.textContent = text;
  return h;
}

export class StatsPanel {
  constructor(elements, map, renderer, onChange) {
    this.select = elements.select;
    this.body = elements.body;
    this.builderBox = elements.builder;
    this.infos = [];
    this.built = null; // a statistic built from the form: { layer, by, metric, column }
    this.map = map;
    this.renderer = renderer;
    this.onChange = onChange;
    this.featured = [];
    this.current = null;
    this.result = null;
    this.layer = null;
    this.chart = null;
    this.lang = 'th';
    // Picked by hand: show the whole statistic. Opened from a link: keep the link's view.
    this.select.addEventListener('change', () => this.choose(this.select.value || null, true));
  }

  async loadList() {
    const doc = await getJson('stats/featured');
    this.featured = doc.statistics || [];
    this.renderSelect();
  }

  renderSelect() {
    const keep = this.current;
    this.select.replaceChildren(new Option(t(this.lang, 'noStatistic'), ''));
    for (const s of this.featured) {
      this.select.append(new Option(s.title[this.lang] || s.title.en, s.id));
    }
    this.select.value = keep || '';
  }

  renderBuilder() {
    this.builderBox.replaceChildren(builderForm(this.infos, this.lang, this.built, (q) => this.showBuilt(q, true)));
  }

  setLang(lang) {
    this.lang = lang;
    this.renderSelect();
    this.renderBuilder();
    if (this.current) {
      return this.choose(this.current);
    }
    return this.built ? this.showBuilt(this.built, false) : Promise.resolve();
  }

  // The statistic in the URL: stat=ID (featured) or sq=... (built).
  urlState() {
    return { stat: this.current, sq: this.built ? builtQueryText(this.built) : null };
  }

  async showBuilt(q, fitToAreas) {
    this.current = null;
    this.select.value = '';
    this.clear();
    this.built = q;
    this.onChange();
    const params = { ...builtParams(q), f: 'geojson', lang: this.lang };
    await this.load(getJson('stats', params), () => this.built === q, fitToAreas, (doc) => {
      doc.title = builtTitle(q, this.infos, this.lang);
      doc.csv = apiUrl('stats', { ...builtParams(q), f: 'csv', lang: this.lang }).href;
    });
  }

  // Fetches a statistic (and Chart.js), then draws it unless another was chosen meanwhile.
  async load(request, isStillWanted, fitToAreas, complete) {
    this.body.append(paragraph('stats-status', t(this.lang, 'loading')));
    try {
      const [doc] = await Promise.all([request, loadChartJs()]);
      if (!isStillWanted()) {
        return;
      }
      complete(doc);
      this.result = doc;
      this.draw(doc);
      if (fitToAreas && this.layer.getBounds().isValid()) {
        this.map.fitBounds(this.layer.getBounds());
      }
    } catch (e) {
      this.body.replaceChildren(paragraph('stats-status error', `${t(this.lang, 'loadFailed')}: ${e.message}`));
    }
  }

  async choose(id, fitToAreas) {
    if (id && !this.featured.some((s) => s.id === id)) {
      id = null; // a link to a statistic that no longer exists opens without it
    }
    this.current = id;
    this.built = null;
    this.select.value = id || '';
    this.clear();
    this.onChange();
    if (!id) {
      return;
    }
    const path = `stats/featured/${encodeURIComponent(id)}`;
    await this.load(getJson(path, { f: 'geojson', lang: this.lang }), () => this.current === id, fitToAreas, (doc) => {
      doc.csv = apiUrl(path, { f: 'csv', lang: this.lang }).href;
    });
  }

  clear() {
    if (this.layer) {
      this.layer.remove();
      this.layer = null;
    }
    if (this.chart) {
      this.chart.destroy();
      this.chart = null;
    }
    this.body.replaceChildren();
    this.result = null;
  }

  draw(doc) {
    const lang = this.lang;
    const column = (doc.classes && doc.classes.column) || 'value';
    const unit = doc.definition && doc.definition.unit;
    this.layer = L.geoJSON(doc, {
      renderer: this.renderer,
      style: (f) => ({
        fillColor: f.properties.color || '#cccccc',
        fillOpacity: 0.7,
        color: '#333333',
        weight: 0.8,
      }),
      onEachFeature: (f, lyr) => {
        const p = f.properties;
        lyr.bindTooltip(`${p.area_name}: ${formatNumber(lang, p[column])}${unit ? ' ' + unit : ''}`);
      },
    }).addTo(this.map);
    this.layer.bringToBack();
    this.body.replaceChildren();
    this.body.append(heading(doc.title));
    if (doc.question) {
      this.body.append(paragraph('stats-question', doc.question));
    }
    if (doc.classes) {
      const legend = classLegend(doc.classes, lang, unit);
      legend.id = 'stats-legend';
      this.body.append(legend);
    }
    this.body.append(this.chartBox(doc, column, unit));
    this.body.append(...this.about(doc));
  }

  chartBox(doc, column, unit) {
    const rows = doc.features
      .map((f) => f.properties)
      .filter((p) => typeof p[column] === 'number')
      .sort((a, b) => b[column] - a[column])
      .slice(0, MAX_BARS);
    const figure = document.createElement('figure');
    figure.className = 'stats-chart';
    const caption = document.createElement('figcaption');
    caption.textContent = t(this.lang, 'ranking') + (unit ? ` (${unit})` : '');
    const box = document.createElement('div');
    box.className = 'chart-box';
    box.style.height = `${Math.max(120, rows.length * 18 + 40)}px`;
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute(
      'aria-label',
      rows.map((p) => `${p.area_name} ${formatNumber(this.lang, p[column])}`).join(', '),
    );
    box.append(canvas);
    figure.append(caption, box);
    this.chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: rows.map((p) => p.area_name),
        datasets: [{ data: rows.map((p) => p[column]), backgroundColor: rows.map((p) => p.color) }],
      },
      options: {
        indexAxis: 'y',
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { ticks: { autoSkip: false, font: { size: 11 } } } },
      },
    });
    return figure;
  }

  about(doc) {
    const lang = this.lang;
    const out = [];
    if (doc.note) {
      out.push(paragraph('stats-note', `${t(lang, 'note')}: ${doc.note}`));
    }
    if (doc.definition && doc.definition.text) {
      out.push(heading(t(lang, 'definition')), paragraph('stats-definition', doc.definition.text));
    }
    out.push(heading(t(lang, 'sources')));
    const ul = document.createElement('ul');
    ul.className = 'stats-sources';
    for (const s of doc.sources || []) {
      const li = document.createElement('li');
      const title = (s.title && (s.title[lang] || s.title.en)) || s.id;
      li.textContent = `${title} — ${s.attribution || s.source || ''}${s.license ? ` (${s.license})` : ''}`;
      ul.append(li);
    }
    out.push(ul);
    out.push(
      paragraph(
        'stats-dates',
        `${t(lang, 'computed')} ${formatDate(lang, doc.computed_at)} · ${t(lang, 'dataUpdated')} ${formatDate(lang, doc.data_updated_at)}`,
      ),
    );
    const csv = document.createElement('a');
    csv.href = doc.csv;
    csv.textContent = 'CSV';
    out.push(csv);
    return out;
  }
}
