// tile_paint.js - draws a decoded vector tile's features on a canvas by the layer's style
// document (fill, line and circle layers of the styles/ subset, evaluated by style_eval.js
// exactly as for GeoJSON layers and posters). Returns the ids of the features it painted,
// so a test can compare what the map shows with what SQL finds. Labels are not drawn here:
// label_placer.js places those of every layer at once, so they never overlap.
import { evaluate, filterMatches, inZoomRange } from './style_eval.js';

const POINT = 1;
const LINE = 2;
const POLYGON = 3;

function value(paint, name, props, zoom, dflt) {
  const v = evaluate(paint[name], props, zoom);
  return v === undefined ? dflt : v;
}

function tracePath(ctx, feature, scale) {
  ctx.beginPath();
  for (const ring of feature.rings) {
    for (let i = 0; i < ring.length; i += 2) {
      const x = ring[i] * scale;
      const y = ring[i + 1] * scale;
      if (i === 0) {
        ctx.moveTo(x, y);
      } else {
        ctx.lineTo(x, y);
      }
    }
    if (feature.type === POLYGON) {
      ctx.closePath();
    }
  }
}

function paintFill(ctx, feature, paint, zoom, scale, ratio) {
  if (feature.type !== POLYGON) {
    return false;
  }
  const props = feature.props;
  tracePath(ctx, feature, scale);
  ctx.globalAlpha = value(paint, 'fill-opacity', props, zoom, 1);
  ctx.fillStyle = value(paint, 'fill-color', props, zoom, '#000000');
  ctx.fill('evenodd');
  if (paint['fill-outline-color'] !== undefined) {
    ctx.strokeStyle = value(paint, 'fill-outline-color', props, zoom, '#000000');
    ctx.lineWidth = ratio;
    ctx.setLineDash([]);
    ctx.stroke();
  }
  return true;
}

function paintLine(ctx, feature, sl, zoom, scale, ratio) {
  if (feature.type === POINT) {
    return false;
  }
  const paint = sl.paint || {};
  const layout = sl.layout || {};
  const props = feature.props;
  const width = value(paint, 'line-width', props, zoom, 1);
  const dash = paint['line-dasharray'];
  tracePath(ctx, feature, scale);
  ctx.globalAlpha = value(paint, 'line-opacity', props, zoom, 1);
  ctx.strokeStyle = value(paint, 'line-color', props, zoom, '#000000');
  ctx.lineWidth = width * ratio;
  ctx.setLineDash(Array.isArray(dash) ? dash.map((d) => d * width * ratio) : []);
  ctx.lineCap = layout['line-cap'] || 'butt';
  ctx.lineJoin = layout['line-join'] || 'miter';
  ctx.stroke();
  return true;
}

function paintCircle(ctx, feature, paint, zoom, scale, ratio) {
  if (feature.type !== POINT) {
    return false;
  }
  const props = feature.props;
  const radius = value(paint, 'circle-radius', props, zoom, 5) * ratio;
  const strokeWidth = value(paint, 'circle-stroke-width', props, zoom, 0) * ratio;
  ctx.globalAlpha = value(paint, 'circle-opacity', props, zoom, 1);
  ctx.fillStyle = value(paint, 'circle-color', props, zoom, '#000000');
  ctx.strokeStyle = value(paint, 'circle-stroke-color', props, zoom, '#000000');
  ctx.lineWidth = strokeWidth;
  ctx.setLineDash([]);
  for (const ring of feature.rings) {
    for (let i = 0; i < ring.length; i += 2) {
      ctx.beginPath();
      ctx.arc(ring[i] * scale, ring[i + 1] * scale, radius, 0, 2 * Math.PI);
      ctx.fill();
      if (strokeWidth > 0) {
        ctx.stroke();
      }
    }
  }
  return true;
}

// Paints features ({ id, type, props, rings } in tile units of extent) on ctx, whose canvas
// is the tile at ratio device pixels per CSS pixel; returns the Set of painted ids. Over
// what the canvas holds when over is true (the base map paints its layers in turn).
export function paintTile(ctx, features, style, zoom, extent, ratio, over = false) {
  const scale = ctx.canvas.width / extent;
  const painted = new Set();
  if (!over) {
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  }
  for (const sl of style.layers) {
    if (sl.type === 'symbol' || !inZoomRange(sl, zoom)) {
      continue;
    }
    const paint = sl.paint || {};
    for (const f of features) {
      if (!filterMatches(sl.filter, f.props)) {
        continue;
      }
      let drawn = false;
      if (sl.type === 'fill') {
        drawn = paintFill(ctx, f, paint, zoom, scale, ratio);
      } else if (sl.type === 'line') {
        drawn = paintLine(ctx, f, sl, zoom, scale, ratio);
      } else if (sl.type === 'circle') {
        drawn = paintCircle(ctx, f, paint, zoom, scale, ratio);
      }
      if (drawn) {
        painted.add(f.id);
      }
    }
  }
  ctx.globalAlpha = 1;
  return painted;
}

export const GEOMETRY = { POINT, LINE, POLYGON };
