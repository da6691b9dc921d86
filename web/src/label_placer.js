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
  },

  addSource(source) {
    this.sources.add(source);
    this.schedule();
  },

  removeSource(source) {
    this.sources.delete(source);
    this.schedule();
  },

  // Many layers report changes at once (tiles arriving): one placement per frame.
  schedule() {
    if (this.frame === null && this._map) {
      this.frame = requestAnimationFrame(() => {
        this.frame = null;
        this.place();
      });
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
    this.canvas.width = size.x * ratio;
    this.canvas.height = size.y * ratio;
    this.canvas.style.width = `${size.x}px`;
    this.canvas.style.height = `${size.y}px`;
    L.DomUtil.setPosition(this.canvas, map.containerPointToLayerPoint([0, 0]));
    const ctx = this.canvas.getContext('2d');
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
      const align = c.isPoint ? 'left' : 'center';
      ctx.font = labelFont(c.size);
      ctx.textAlign = align; // the measured box is relative to the alignment
      ctx.textBaseline = 'middle';
      const m = ctx.measureText(c.text);
      const pad = HALO_PX / 2 + GAP_PX;
      // The box of the inked pixels (Thai marks above and below included), plus the halo.
      const box = [
        x0 - m.actualBoundingBoxLeft - pad,
        y - m.actualBoundingBoxAscent - pad,
        x0 + m.actualBoundingBoxRight + pad,
        y + m.actualBoundingBoxDescent + pad,
      ];
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
