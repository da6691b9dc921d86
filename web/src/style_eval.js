// style_eval.js - evaluates the styles/ subset of the MapLibre style specification for one
// feature at one zoom, as src/styles/style_eval.c does for the poster renderer, so a layer
// looks the same in the browser and on paper. Styles reaching here passed the server's
// check at startup; anything unexpected evaluates to "no value" (undefined) and the caller
// falls back to MapLibre's default, as MapLibre itself does.

function prop(props, name) {
  const v = props ? props[name] : undefined;
  return v === null ? undefined : v;
}

function matchLabel(label, value) {
  return Array.isArray(label) ? label.some((l) => l === value) : label === value;
}

function lerp(a, b, t) {
  return a + (b - a) * t;
}

// [r, g, b, a] (0-255, 0-1) of a colour text the styles subset allows ("#rgb", "#rrggbb",
// "rgba(r,g,b,a)" with integer r, g, b), or undefined: anything else (CSS names, rgb(),
// exponents, out of range) is no colour, exactly as in src/styles/style_color.c.
export function parseColor(text) {
  if (typeof text !== 'string') {
    return undefined;
  }
  let m = /^#([0-9a-f]{3})$/i.exec(text);
  if (m) {
    return m[1].split('').map((c) => parseInt(c + c, 16)).concat([1]);
  }
  m = /^#([0-9a-f]{6})$/i.exec(text);
  if (m) {
    return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16)).concat([1]);
  }
  m = /^rgba\(([^)]*)\)$/.exec(text);
  const parts = m ? m[1].split(',').map((s) => s.trim()) : [];
  if (parts.length !== 4 || !parts.every((p) => /^[0-9.]+$/.test(p) && p !== '.')) {
    return undefined;
  }
  const rgba = parts.map(Number);
  const valid = rgba.every((v, i) => (i < 3 ? Number.isInteger(v) && v <= 255 : v <= 1));
  return valid ? rgba : undefined;
}

// Always rgba(): the one functional form the styles subset (and parseColor) reads.
function colorText(rgba) {
  const [r, g, b, a] = rgba.map((v, i) => (i < 3 ? Math.round(v) : v));
  return `rgba(${r},${g},${b},${a})`;
}

function interpolate(expr, props, zoom) {
  const input = evaluate(expr[2], props, zoom);
  if (typeof input !== 'number') {
    return undefined;
  }
  const stops = [];
  for (let i = 3; i + 1 < expr.length; i += 2) {
    stops.push([expr[i], evaluate(expr[i + 1], props, zoom)]);
  }
  if (input <= stops[0][0]) {
    return stops[0][1];
  }
  for (let i = 1; i < stops.length; i++) {
    if (input <= stops[i][0]) {
      const [z0, o0] = stops[i - 1];
      const [z1, o1] = stops[i];
      const t = (input - z0) / (z1 - z0);
      if (typeof o0 === 'number' && typeof o1 === 'number') {
        return lerp(o0, o1, t);
      }
      const c0 = parseColor(o0);
      const c1 = parseColor(o1);
      return c0 && c1 ? colorText(c0.map((v, k) => lerp(v, c1[k], t))) : undefined;
    }
  }
  return stops[stops.length - 1][1];
}

// The value of a paint or layout property: a literal or get / match / step / interpolate.
export function evaluate(expr, props, zoom) {
  if (!Array.isArray(expr)) {
    return expr;
  }
  switch (expr[0]) {
    case 'get':
      return prop(props, expr[1]);
    case 'zoom':
      return zoom;
    case 'literal':
      return expr[1];
    case 'match': {
      const input = evaluate(expr[1], props, zoom);
      for (let i = 2; i + 1 < expr.length - 1; i += 2) {
        if (input !== undefined && matchLabel(expr[i], input)) {
          return evaluate(expr[i + 1], props, zoom);
        }
      }
      return evaluate(expr[expr.length - 1], props, zoom);
    }
    case 'step': {
      const input = evaluate(expr[1], props, zoom);
      if (typeof input !== 'number') {
        return undefined; // as MapLibre (and style_eval.c): a step needs a number
      }
      let out = expr[2];
      for (let i = 3; i + 1 < expr.length; i += 2) {
        if (input >= expr[i]) {
          out = expr[i + 1];
        }
      }
      return evaluate(out, props, zoom);
    }
    case 'interpolate':
      return interpolate(expr, props, zoom);
    default:
      return undefined;
  }
}

// True when the feature passes a style layer's filter (none: every feature does).
export function filterMatches(filter, props) {
  if (!Array.isArray(filter)) {
    return true;
  }
  const field = (e) => (Array.isArray(e) ? prop(props, e[1]) : undefined);
  switch (filter[0]) {
    case '==':
      return field(filter[1]) !== undefined && field(filter[1]) === filter[2];
    case '!=':
      return field(filter[1]) !== filter[2];
    case 'in': {
      const list = Array.isArray(filter[2]) && filter[2][0] === 'literal' ? filter[2][1] : [];
      return list.includes(field(filter[1]));
    }
    case 'all':
      return filter.slice(1).every((f) => filterMatches(f, props));
    case 'any':
      return filter.slice(1).some((f) => filterMatches(f, props));
    case 'has':
      return prop(props, filter[1]) !== undefined;
    default:
      return false;
  }
}

// True when a style layer is drawn at this zoom: from minzoom up to, not including, maxzoom.
export function inZoomRange(styleLayer, zoom) {
  const min = styleLayer.minzoom !== undefined ? styleLayer.minzoom : 0;
  const max = styleLayer.maxzoom !== undefined ? styleLayer.maxzoom : 24;
  const hidden = styleLayer.layout && styleLayer.layout.visibility === 'none';
  return !hidden && zoom >= min && zoom < max;
}

// The lowest zoom at which any style layer of the document draws something.
export function minZoomOf(style) {
  return Math.min(...style.layers.map((l) => (l.minzoom !== undefined ? l.minzoom : 0)));
}

const OVERRIDE_PREFIX = { fill: 'fill-', line: 'line-', circle: 'circle-', symbol: 'text-' };

// A scenario's style override on a layer's style, as src/scenario/scenario_sheet.c's
// scenario_sheet_merge_style does for posters: each override property goes to the style
// layers of its type (fill-*, line-*, circle-*, text-* to symbol), replacing theirs; the
// style itself is not changed.
export function mergeStyle(style, override) {
  const pick = (props, type) =>
    Object.entries(props || {}).filter(([k]) => OVERRIDE_PREFIX[type] && k.startsWith(OVERRIDE_PREFIX[type]));
  const merged = (sl, member) => {
    const picked = pick(override && override[member], sl.type);
    return picked.length > 0 ? { [member]: { ...(sl[member] || {}), ...Object.fromEntries(picked) } } : {};
  };
  return {
    ...style,
    layers: style.layers.map((sl) => ({ ...sl, ...merged(sl, 'paint'), ...merged(sl, 'layout') })),
  };
}
