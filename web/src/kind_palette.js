// kind_palette.js - default colours for a scenario's sketch kinds from palettes that people
// with the common colour-vision deficiencies tell apart, minus the colours the scenario's
// layers already use, so a sketch never looks like a layer's feature.

// Okabe & Ito (2008), strong hues first, yellow and black last; then Paul Tol's "muted"
// scheme, for layers whose styles already use all of Okabe-Ito's (the bundled POIs do).
const PALETTE = [
  '#D55E00', '#CC79A7', '#0072B2', '#E69F00', '#009E73', '#56B4E9', '#F0E442', '#000000',
  '#332288', '#117733', '#44AA99', '#88CCEE', '#DDCC77', '#CC6677', '#AA4499', '#882255', '#999933',
];
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
  const free = PALETTE.find((c) => !taken.some((t) => isNear(c, t)));
  if (free) {
    return free;
  }
  const uses = (c) => taken.filter((t) => isNear(c, t)).length;
  return PALETTE.reduce((best, c) => (uses(c) < uses(best) ? c : best));
}
