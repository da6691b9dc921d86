// label_placer.js - one label layer for the whole map: every visible layer offers its
// labels, the placer takes them by the layer's importance and draws each one only where it
// overlaps no label already placed, so labels never pile on top of each other across
// layers. Text is drawn with the canvas's fillText, which the browser shapes as it shapes
// page text: Thai tone marks and vowels sit where they belong.
//
// A source is { labelPriority: number, labelCandidates(zoom): [{ layer, id, text, size,
// color, at: L.Point (global pixels at zoom), isPoint }], labelLimit(size) (optional: at
// most this many of its labels in a view of size) }. Point labels sit to the right of
// their point, area and line labels centred on their feature's box.
// The placed labels are kept in `placed` (container pixels), which tests read.

const FONT_FAMILY = 'system-ui, "Noto Sans Thai", "Noto Sans", sans-serif';
const HALO_PX = 3;
const GAP_PX = 2;
const POINT_OFFSET_PX = 8;
const MAX_CANDIDATES = 4000;
// Measured label boxes kept between placements (tiles arriving one by one place the labels
// again each time, mostly the same texts: measuring shaped text is what took the time).
const MEASURED_MAX = 8000;
const PLACE_INTERVAL_MS = 300;

function overlaps(a, b) {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

export function labelFont(size) {
  return `600 ${size}px ${FONT_FAMILY}`;
}

// Draws one label as the placer does: white halo, then the text.
export function drawLabel(ctx, text, x, y, size, color, align) {
  ctx.font = labelFont(size);
  ctx.textAlign = align;
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  ctx.lineWidth = HALO_PX;
  ctx.strokeStyle = '#ffffff';
  ctx.strokeText(text, x, y);
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
}

export const LabelPlacer = L.Layer.extend({
  initialize() {
    this.sources = new Set();
    // Layer id -> the zoom from which the base map labels it (base_map.js): from there
    // the layer does not offer its own labels too.
    this.baseLabels = new Map();
    this.placed = [];
    this.frame = null;
    this.timer = null;
    this.lastPlaced = -Infinity;
    this.measured = new Map(); // font + text -> the inked box relative to the anchor, per alignment
  },

  // The inked box (Thai marks above and below included) of text in font drawn at (0, 0)
  // with align, as [left, ascent, right, descent].
  measure(ctx, font, text, align) {
    const key = `${align}|${font}|${text}`;
    let box = this.measured.get(key);
    if (!box) {
      if (this.measured.size >= MEASURED_MAX) {
        this.measured.clear();
      }
      ctx.font = font;
      ctx.textAlign = align; // the measured box is relative to the alignment
      ctx.textBaseline = 'middle';
      const m = ctx.measureText(text);
      box = [m.actualBoundingBoxLeft, m.actualBoundingBoxAscent, m.actualBoundingBoxRight, m.actualBoundingBoxDescent];
      this.measured.set(key, box);
    }
    return box;
  },

  onAdd(map) {
    const pane = map.getPane('labels') || map.createPane('labels');
    pane.style.zIndex = 450; // above the layers, below markers and popups
    pane.style.pointerEvents = 'none';
    this.canvas = L.DomUtil.create('canvas', 'label-canvas', pane);
    map.on('moveend zoomend resize', this.schedule, this);
    map.on('zoomstart', this.clear, this);
    this.schedule();
  },

  onRemove(map) {
    map.off('moveend zoomend resize', this.schedule, this);
    map.off('zoomstart', this.clear, this);
    L.DomUtil.remove(this.canvas);
    cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.frame = null;
    this.timer = null;
  },

  addSource(source) {
    this.sources.add(source);
    this.schedule();
  },

  removeSource(source) {
    this.sources.delete(source);
    this.schedule();
  },

  // Many layers report changes at once, and tiles keep arriving while a view loads: at
  // most one placement per PLACE_INTERVAL_MS, in a frame. Each placement redraws the
  // screen-sized label canvas, which the browser then copies to the compositor: a slow
  // phone spent most of its first seconds placing the labels again after every tile.
  schedule() {
    if (this.frame !== null || this.timer || !this._map) {
      return;
    }
    const wait = this.lastPlaced + PLACE_INTERVAL_MS - performance.now();
    const inFrame = () => {
      this.timer = null;
      this.frame = requestAnimationFrame(() => {
        this.frame = null;
        this.lastPlaced = performance.now();
        this.place();
      });
    };
    if (wait > 0) {
      this.timer = setTimeout(inFrame, wait);
    } else {
      inFrame();
    }
  },

  clear() {
    this.canvas.getContext('2d').clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.placed = [];
  },

  candidates(zoom) {
    const sources = [...this.sources].sort((a, b) => b.labelPriority - a.labelPriority);
    const all = [];
    for (const source of sources) {
      for (const c of source.labelCandidates(zoom)) {
        if (all.length >= MAX_CANDIDATES) {
          return all;
        }
        all.push({ ...c, source });
      }
    }
    return all;
  },

  place() {
    const map = this._map;
    const size = map.getSize();
    const ratio = window.devicePixelRatio || 1;
    const ctx = this.canvas.getContext('2d');
    if (this.canvas.width !== size.x * ratio || this.canvas.height !== size.y * ratio) {
      this.canvas.width = size.x * ratio;
      this.canvas.height = size.y * ratio;
      this.canvas.style.width = `${size.x}px`;
      this.canvas.style.height = `${size.y}px`;
    } else {
      // The same size: cleared, not reallocated (tiles arriving place the labels many times).
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    }
    L.DomUtil.setPosition(this.canvas, map.containerPointToLayerPoint([0, 0]));
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const zoom = map.getZoom();
    const origin = map.project(map.containerPointToLatLng([0, 0]), zoom);
    this.placed = [];
    const placedBy = new Map();
    for (const c of this.candidates(zoom)) {
      const count = placedBy.get(c.source) || 0;
      if (c.source.labelLimit && count >= c.source.labelLimit(size)) {
        continue;
      }
      const x0 = c.at.x - origin.x + (c.isPoint ? POINT_OFFSET_PX : 0);
      const y = c.at.y - origin.y;
      if (x0 < 0 || x0 > size.x || y < 0 || y > size.y) {
        continue; // its box holds its anchor, so it would not be inside: no need to measure it
      }
      const align = c.isPoint ? 'left' : 'center';
      const m = this.measure(ctx, labelFont(c.size), c.text, align);
      const pad = HALO_PX / 2 + GAP_PX;
      // The box of the inked pixels, plus the halo.
      const box = [x0 - m[0] - pad, y - m[1] - pad, x0 + m[2] + pad, y + m[3] + pad];
      const inside = box[0] >= 0 && box[1] >= 0 && box[2] <= size.x && box[3] <= size.y;
      if (!inside || this.placed.some((p) => overlaps(p.box, box))) {
        continue;
      }
      drawLabel(ctx, c.text, x0, y, c.size, c.color, align);
      placedBy.set(c.source, count + 1);
      this.placed.push({ layer: c.layer, id: c.id, text: c.text, font: labelFont(c.size), halo: HALO_PX, color: c.color, x: x0, y, align, box });
    }
  },
});
