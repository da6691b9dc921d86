// kind_palette.js - default colours for a scenario's sketch kinds: the Okabe-Ito palette,
// which people with any common colour-vision deficiency tell apart, minus the colours the
// scenario's layers already use, so a sketch never looks like a layer's feature.

// Okabe & Ito (2008), in the order kinds take them: strong hues first, yellow and black last.
const OKABE_ITO = ['#D55E00', '#CC79A7', '#0072B2', '#E69F00', '#009E73', '#56B4E9', '#F0E442', '#000000'];
const HEX = /^#[0-9a-fA-F]{6}$/;

function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

// Near enough to be taken for one another on a map (Euclidean distance in sRGB).
function isNear(a, b) {
  const [p, q] = [rgb(a), rgb(b)];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) < 60;
}

// Every "#rrggbb" anywhere in a style document or override (paint values, match expressions).
export function coloursIn(value, out = []) {
  if (typeof value === 'string') {
    if (HEX.test(value)) {
      out.push(value);
    }
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((v) => coloursIn(v, out));
  }
  return out;
}

// The first palette colour near none of taken; when all are near one, the least used.
export function pickColour(taken) {
  const free = OKABE_ITO.find((c) => !taken.some((t) => isNear(c, t)));
  if (free) {
    return free;
  }
  const uses = (c) => taken.filter((t) => isNear(c, t)).length;
  return OKABE_ITO.reduce((best, c) => (uses(c) < uses(best) ? c : best));
}
