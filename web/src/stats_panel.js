// stats_panel.js - the statistics panel: pick a featured statistic and see it as a
// choropleth (classes and colours computed by the server, viridis: readable by
// colour-blind people; areas without a value hatched, never painted as the lowest class),
// its headline, legend with units, the areas ranked (and a "by type" statistic's categories
// stacked), the share image and ready-to-post caption, and underneath what it counts,
// where the data comes from and when it was computed. Tapping an area shows its value,
// rank and definition (stats_area.js).
import { apiUrl, getJson } from './api.js';
import { t, formatDate, formatNumber } from './i18n.js';
import { classLegend } from './legend.js';
import { noDataFill } from './no_data_pattern.js';
import { shareBox } from './share_box.js';
import { builderForm, builtParams, builtQueryText, builtTitle } from './stat_builder.js';
import { areaContent, geometryContains, paragraph, rankAreas } from './stats_area.js';
import { groupNames, groupsChart, loadCharts, noDataList, rankingChart } from './stats_chart.js';

// The href of the server's link of relation rel (e.g. the share image, "preview"), or null.
function linkOf(doc, rel) {
  const link = (doc.links || []).find((l) => l.rel === rel);
  return link ? link.href : null;
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
    this.charts = [];
    this.view = null;
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
      doc.shareImage = linkOf(doc, 'preview');
    });
  }

  // Fetches a statistic (and Chart.js), then draws it unless another was chosen meanwhile.
  async load(request, isStillWanted, fitToAreas, complete) {
    this.body.append(paragraph('stats-status', t(this.lang, 'loading')));
    try {
      const [doc] = await Promise.all([request, loadCharts()]);
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
      doc.shareImage = linkOf(doc, 'preview');
    });
  }

  clear() {
    if (this.layer) {
      this.layer.remove();
      this.layer = null;
    }
    this.charts.forEach((c) => c.destroy());
    this.charts = [];
    this.body.replaceChildren();
    this.result = null;
  }

  // Text the server gives in both languages ({ th, en }) or already in one (a string).
  pick(text) {
    if (text && typeof text === 'object') {
      return text[this.lang] || text.en || '';
    }
    return text || '';
  }

  // The unit of a column in the reader's language ('' when it has none).
  unitOf(doc, column) {
    return this.pick(doc.units && doc.units[column]);
  }

  draw(doc) {
    const lang = this.lang;
    const column = (doc.classes && doc.classes.column) || 'value';
    const unit = this.unitOf(doc, column);
    const noData = noDataFill();
    this.view = {
      column,
      unit,
      groupUnit: this.unitOf(doc, 'value'),
      definition: this.pick(doc.definition && doc.definition.text),
      ranks: rankAreas(doc.features, column),
    };
    this.layer = L.geoJSON(doc, {
      renderer: this.renderer,
      style: (f) => ({
        fillColor: typeof f.properties[column] === 'number' ? f.properties.color || '#cccccc' : noData,
        fillOpacity: typeof f.properties[column] === 'number' ? 0.7 : 0.9,
        color: '#333333',
        weight: 0.8,
      }),
      onEachFeature: (f, lyr) => {
        const p = f.properties;
        const text = typeof p[column] === 'number' ? `${formatNumber(lang, p[column])}${unit ? ' ' + unit : ''}` : t(lang, 'noValue');
        lyr.bindTooltip(`${p.area_name}: ${text}`);
        lyr.on('click', (ev) => this.openArea(f, ev.latlng));
      },
    }).addTo(this.map);
    this.layer.bringToBack();
    this.body.replaceChildren();
    this.body.append(heading(doc.title));
    if (doc.question) {
      this.body.append(paragraph('stats-question', doc.question));
    }
    const headline = this.pick(doc.headline && doc.headline.text);
    if (headline) {
      this.body.append(paragraph('stats-headline', headline));
    }
    const caveat = this.pick(doc.caveat);
    if (caveat) {
      this.body.append(paragraph('stats-caveat', caveat));
    }
    if (doc.classes) {
      const missing = doc.features.filter((f) => typeof f.properties[column] !== 'number').length;
      const legend = classLegend(doc.classes, lang, missing);
      legend.id = 'stats-legend';
      this.body.append(legend);
    }
    const ranking = rankingChart(doc.features, column, unit, lang);
    this.charts.push(ranking.chart);
    this.body.append(ranking.figure);
    const missingList = noDataList(doc.features, column, lang);
    if (missingList) {
      this.body.append(missingList);
    }
    if (groupNames(doc.features).length > 0) {
      const groups = groupsChart(doc.features, this.view.groupUnit, lang);
      this.charts.push(groups.chart);
      this.body.append(groups.figure);
    }
    this.body.append(shareBox(this.pick(doc.caption), doc.shareImage, doc.title, lang));
    this.body.append(...this.about(doc));
  }

  // The popup of one area of the statistic shown.
  openArea(feature, latlng) {
    L.popup({ maxWidth: 320, autoPanPadding: [16, 16] })
      .setLatLng(latlng)
      .setContent(areaContent(feature.properties, this.view, this.lang))
      .openOn(this.map);
  }

  // A tap on the map at latlng (the boundary layers above the choropleth take it first):
  // true when it fell in an area of the statistic shown, whose popup then opens.
  openAreaAt(latlng) {
    if (!this.result) {
      return false;
    }
    const feature = this.result.features.find((f) => geometryContains(f.geometry, latlng));
    if (feature) {
      this.openArea(feature, latlng);
    }
    return Boolean(feature);
  }

  about(doc) {
    const lang = this.lang;
    const out = [];
    if (doc.note) {
      out.push(paragraph('stats-note', `${t(lang, 'note')}: ${doc.note}`));
    }
    const definition = this.pick(doc.definition && doc.definition.text);
    if (definition) {
      out.push(heading(t(lang, 'definition')), paragraph('stats-definition', definition));
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
    const years = this.pick(doc.years && doc.years.text);
    out.push(
      paragraph(
        'stats-dates',
        `${t(lang, 'computed')} ${formatDate(lang, doc.computed_at)} · ${t(lang, 'dataUpdated')} ${formatDate(lang, doc.data_updated_at)}${years ? ` · ${years}` : ''}`,
      ),
    );
    const csv = document.createElement('a');
    csv.href = doc.csv;
    csv.textContent = 'CSV';
    out.push(csv);
    return out;
  }
}
