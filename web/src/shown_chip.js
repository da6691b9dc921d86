// shown_chip.js - "N of M shown" on the map itself: where the view shows fewer features of
// a layer than it holds (tiles thinned by the server, or a filtered query cut), a chip in
// the map's corner says so per layer, in the reader's language, and follows every move.
// Nothing is cut silently, and the note sits where a phone user looks, not in the menu.
import { formatNumber, t } from './i18n.js';

export const ShownChip = L.Control.extend({
  options: { position: 'bottomright' },

  initialize(layers, options) {
    L.setOptions(this, options);
    this.layers = layers; // () -> [{ info, mapLayer, visible }]
    this.lang = 'th';
  },

  onAdd() {
    this.box = L.DomUtil.create('div', 'shown-chip');
    this.box.setAttribute('role', 'status');
    this.box.hidden = true;
    L.DomEvent.disableClickPropagation(this.box);
    return this.box;
  },

  setLang(lang) {
    this.lang = lang;
    this.update();
  },

  update() {
    if (!this.box) {
      return;
    }
    const lines = [];
    for (const layer of this.layers()) {
      const counts = layer.visible && layer.mapLayer ? layer.mapLayer.shownCount() : null;
      if (!counts) {
        continue;
      }
      const title = layer.info.title[this.lang] || layer.info.title.en || layer.info.id;
      const key = counts.total === null ? 'shownSome' : counts.approximate ? 'shownOfAbout' : 'shownOf';
      const words = t(this.lang, key);
      const text = words.replace('{n}', formatNumber(this.lang, counts.shown)).replace('{m}', formatNumber(this.lang, counts.total));
      const line = document.createElement('p');
      line.dataset.layer = layer.info.id;
      line.dataset.shown = String(counts.shown);
      line.dataset.total = String(counts.total);
      line.textContent = `${title}: ${text}`;
      lines.push(line);
    }
    if (lines.length > 0) {
      const hint = document.createElement('p');
      hint.className = 'shown-hint';
      hint.textContent = t(this.lang, 'zoomInForAll');
      lines.push(hint);
    }
    this.box.replaceChildren(...lines);
    this.box.hidden = lines.length === 0;
  },
});
