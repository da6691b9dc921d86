// tile_hit.js - which feature of a decoded tile lies under a tap: a point within its circle
// (plus a finger's slack), a line within half its width, or a polygon containing the spot.
// Coordinates are in tile units; tolerance is in the same units.
import { GEOMETRY } from './tile_paint.js';

function segmentDistance2(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  const x = ax + t * dx - px;
  const y = ay + t * dy - py;
  return x * x + y * y;
}

function nearLine(rings, x, y, tolerance) {
  const limit = tolerance * tolerance;
  for (const r of rings) {
    for (let i = 2; i < r.length; i += 2) {
      if (segmentDistance2(x, y, r[i - 2], r[i - 1], r[i], r[i + 1]) <= limit) {
        return true;
      }
    }
  }
  return false;
}

function nearPoint(rings, x, y, tolerance) {
  return rings.some((r) => {
    for (let i = 0; i < r.length; i += 2) {
      if ((r[i] - x) ** 2 + (r[i + 1] - y) ** 2 <= tolerance * tolerance) {
        return true;
      }
    }
    return false;
  });
}

// Even-odd over every ring: holes count as outside.
function inside(rings, x, y) {
  let within = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
      const [xi, yi, xj, yj] = [r[i], r[i + 1], r[j], r[j + 1]];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
        within = !within;
      }
    }
  }
  return within;
}

// The topmost feature (drawn last) at (x, y) among those painted, or null.
export function featureAt(features, painted, x, y, tolerance) {
  for (let i = features.length - 1; i >= 0; i--) {
    const f = features[i];
    if (!painted.has(f.id)) {
      continue;
    }
    const hit =
      f.type === GEOMETRY.POINT
        ? nearPoint(f.rings, x, y, tolerance)
        : f.type === GEOMETRY.LINE
          ? nearLine(f.rings, x, y, tolerance)
          : inside(f.rings, x, y);
    if (hit) {
      return f;
    }
  }
  return null;
}
