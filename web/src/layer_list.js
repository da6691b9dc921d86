// layer_list.js - the catalog's layers grouped by theme, each with a checkbox, its state
// (loading, zoom in, partly shown) and, while visible, its legend. Native checkboxes in
// fieldsets, so the list works with a keyboard and a screen reader as it is.
import { t, themeName } from './i18n.js';
import { styleLegend } from './legend.js';

export class LayerList {
  constructor(container, onToggle) {
    this.container = container;
    this.onToggle = onToggle;
    this.rows = new Map();
  }

  // layers: [{ info, mapLayer|null, visible }] in catalog order (theme, then id).
  render(layers, lang, zoom) {
    this.container.replaceChildren();
    this.rows.clear();
    const byTheme = new Map();
    for (const layer of layers) {
      const theme = layer.info.theme || '';
      if (!byTheme.has(theme)) {
        byTheme.set(theme, []);
      }
      byTheme.get(theme).push(layer);
    }
    for (const [theme, members] of byTheme) {
      const set = document.createElement('fieldset');
      const legend = document.createElement('legend');
      legend.textContent = themeName(lang, theme);
      set.append(legend);
      members.forEach((layer) => set.append(this.row(layer, lang, zoom)));
      this.container.append(set);
    }
  }

  row(layer, lang, zoom) {
    const id = layer.info.id;
    const div = document.createElement('div');
    div.className = 'layer-row';
    div.dataset.layer = id;
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.id = `layer-${id}`;
    input.checked = layer.visible;
    input.disabled = Boolean(layer.disabled); // no geometry to draw
    input.addEventListener('change', () => this.onToggle(id, input.checked));
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = layer.info.title[lang] || layer.info.title.en || id;
    const status = document.createElement('span');
    status.className = 'layer-status';
    status.setAttribute('aria-live', 'polite');
    const legendBox = document.createElement('div');
    legendBox.className = 'layer-legend';
    const source = document.createElement('p');
    source.className = 'layer-source';
    source.textContent = layer.info.attribution || '';
    div.append(input, label, status, legendBox, source);
    this.rows.set(id, { div, input, status, legendBox, layer, lang });
    this.update(id, zoom);
    return div;
  }

  // Refreshes one row: state words and the legend of a visible layer.
  update(id, zoom) {
    const row = this.rows.get(id);
    if (!row) {
      return;
    }
    const { layer, lang } = row;
    const ml = layer.mapLayer;
    const state = layer.visible && ml ? ml.state : 'idle';
    const words = {
      loading: t(lang, 'loading'),
      hidden: t(lang, 'zoomIn'),
      partial: t(lang, 'tooMany'),
      failed: t(lang, 'loadFailed'),
    };
    row.status.textContent = words[state] || '';
    row.div.classList.toggle('is-visible', layer.visible);
    row.input.checked = layer.visible;
    row.legendBox.replaceChildren();
    if (layer.visible && ml && ml.style) {
      const title = layer.info.title[lang] || layer.info.id;
      row.legendBox.append(styleLegend(ml.style, title, zoom));
    }
  }
}
