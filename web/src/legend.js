// legend.js - legend entries read from a layer's style, the same rules the poster renderer
// follows: one swatch per drawn style layer, and one per class for a categorised (match)
// or graduated (step) colour. Also the statistics legend (class breaks and colours).
import { evaluate } from './style_eval.js';
import { formatNumber, t } from './i18n.js';
import { noDataBackground } from './no_data_pattern.js';

const COLOR_OF = { fill: 'fill-color', line: 'line-color', circle: 'circle-color' };

function swatch(type, color) {
  const el = document.createElement('span');
  el.className = `swatch swatch-${type}`;
  el.style.setProperty('--swatch', color);
  el.setAttribute('aria-hidden', 'true');
  return el;
}

function entry(type, color, text) {
  const li = document.createElement('li');
  li.append(swatch(type, color), document.createTextNode(text));
  return li;
}

// The classes of a colour expression: [[label, colour], ...] or null for a single colour.
function classesOf(expr, zoom) {
  if (!Array.isArray(expr)) {
    return null;
  }
  if (expr[0] === 'match') {
    const out = [];
    for (let i = 2; i + 1 < expr.length - 1; i += 2) {
      const label = Array.isArray(expr[i]) ? expr[i].join(', ') : String(expr[i]);
      out.push([label, evaluate(expr[i + 1], null, zoom)]);
    }
    out.push(['…', evaluate(expr[expr.length - 1], null, zoom)]);
    return out;
  }
  if (expr[0] === 'step' && Array.isArray(expr[1]) && expr[1][0] === 'get') {
    const out = [[`< ${expr[3]}`, evaluate(expr[2], null, zoom)]];
    for (let i = 3; i + 1 < expr.length; i += 2) {
      const upper = i + 2 < expr.length ? `–${expr[i + 2]}` : '+';
      out.push([`${expr[i]}${upper}`, evaluate(expr[i + 1], null, zoom)]);
    }
    return out;
  }
  return null;
}

// A <ul> for one layer's style at this zoom (title given by the caller). The first style
// layer with a colour carries the layer's look; later ones (outlines, halos) repeat it.
export function styleLegend(style, title, zoom) {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  const sl = style.layers.find((l) => COLOR_OF[l.type] && l.paint && l.paint[COLOR_OF[l.type]]);
  if (!sl) {
    return ul;
  }
  const expr = sl.paint[COLOR_OF[sl.type]];
  const classes = classesOf(expr, zoom);
  if (classes) {
    classes.forEach(([label, color]) => ul.append(entry(sl.type, color, label)));
  } else {
    ul.append(entry(sl.type, evaluate(expr, null, zoom) || '#000000', title));
  }
  return ul;
}

// The statistics legend: one entry per class with the server's label in the reader's
// language (range and unit, a class of one value shown once), and a hatched "no data"
// entry when some areas have no value.
export function classLegend(classes, lang, noDataCount) {
  const ul = document.createElement('ul');
  ul.className = 'legend legend-classes';
  (classes.labels || []).forEach((label, i) => {
    ul.append(entry('fill', classes.colors[i], label[lang] || label.en));
  });
  if (noDataCount > 0) {
    const li = entry('fill', noDataBackground(), `${t(lang, 'noValue')} (${formatNumber(lang, noDataCount)})`);
    li.className = 'legend-no-data';
    ul.append(li);
  }
  return ul;
}
