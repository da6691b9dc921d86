// label_text.js - the labels a style document gives one feature: the text of each symbol
// layer drawn at this zoom whose filter the feature passes, in the reader's language, with
// its size and colour. Shared by the GeoJSON and the tiled layers, so both label alike.
import { evaluate, filterMatches, inZoomRange } from './style_eval.js';

// Names ending in _TH / _th have an English twin (_EN / _en) in the bundled data: labels
// follow the language switch through it, and fall back to the Thai name when it is empty.
function twinField(field, lang) {
  if (lang !== 'en' || typeof field !== 'string') {
    return field;
  }
  const m = /^(.*)_(TH|th)$/.exec(field);
  return m ? m[1] + '_' + (m[2] === 'TH' ? 'EN' : 'en') : field;
}

function labelText(sl, props, zoom, lang) {
  const field = sl.layout['text-field'];
  if (Array.isArray(field) && field[0] === 'get') {
    const twin = evaluate(['get', twinField(field[1], lang)], props, zoom);
    return twin !== undefined && twin !== '' ? twin : evaluate(field, props, zoom);
  }
  return evaluate(field, props, zoom);
}

// The symbol layers of style drawn at zoom (an empty list: the layer has no labels here).
export function labelLayers(style, zoom) {
  return style ? style.layers.filter((l) => l.type === 'symbol' && l.layout && inZoomRange(l, zoom)) : [];
}

// { text, size, color } of the first symbol layer that labels this feature, or null.
export function labelOf(symbolLayers, props, zoom, lang) {
  for (const sl of symbolLayers) {
    if (!filterMatches(sl.filter, props)) {
      continue;
    }
    const text = labelText(sl, props, zoom, lang);
    if (text === undefined || text === null || text === '') {
      continue;
    }
    return {
      text: String(text),
      size: evaluate(sl.layout['text-size'], props, zoom) || 12,
      color: evaluate((sl.paint || {})['text-color'], props, zoom) || '#222',
    };
  }
  return null;
}
