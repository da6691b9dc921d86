// no_data_pattern.js - the hatching that marks areas without a value on the choropleth
// and in its legend: grey diagonal lines, so "no data" never reads as the lowest class.
// Drawn once on a small canvas, used as the canvas renderer's fill (a CanvasPattern is a
// valid fillStyle) and as the legend swatch's background image.
const SIZE = 8;
let tile = null;

function hatchTile() {
  if (!tile) {
    tile = document.createElement('canvas');
    tile.width = SIZE;
    tile.height = SIZE;
    const ctx = tile.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, SIZE, SIZE);
    ctx.strokeStyle = '#6b6b6b';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    // Three strokes so the lines join across tile edges.
    for (const off of [-SIZE, 0, SIZE]) {
      ctx.moveTo(off, SIZE);
      ctx.lineTo(off + SIZE, 0);
    }
    ctx.stroke();
  }
  return tile;
}

// The fill for Leaflet's canvas renderer.
export function noDataFill() {
  return hatchTile().getContext('2d').createPattern(hatchTile(), 'repeat');
}

// A CSS background for a legend swatch.
export function noDataBackground() {
  return `url(${hatchTile().toDataURL('image/png')})`;
}
