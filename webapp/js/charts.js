// Canvas drawing, by our own code: the row sparklines and the detail chart.

// Colours come from the style sheet's custom properties. Reading them forces a style
// recalculation, so they are read once and again only when the colour scheme changes.
let palette = null;
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => { palette = null; });

function css(name) {
  if (!palette) palette = new Map();
  if (!palette.has(name)) palette.set(name, getComputedStyle(document.documentElement).getPropertyValue(name).trim());
  return palette.get(name);
}

/**
 * Sizes the canvas's backing store to width x height CSS pixels times the device pixel ratio.
 * Callers pass the size when they know it, because reading it from the layout forces a reflow.
 */
function prepare(canvas, cssWidth, cssHeight) {
  const ratio = window.devicePixelRatio || 1;
  const width = cssWidth ?? canvas.clientWidth;
  const height = cssHeight ?? canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  return { g, width, height };
}

/** A line of recent prices, green if the last is above the first, red if below. */
export const SPARK_WIDTH = 80;
export const SPARK_HEIGHT = 24;

export function drawSparkline(canvas, prices) {
  const { g, width, height } = prepare(canvas, SPARK_WIDTH, SPARK_HEIGHT);
  if (prices.length < 2) return;
  let min = Infinity;
  let max = -Infinity;
  for (const p of prices) { if (p < min) min = p; if (p > max) max = p; }
  const span = max - min || 1;
  const last = prices[prices.length - 1];
  g.strokeStyle = last > prices[0] ? css('--up') : last < prices[0] ? css('--down') : css('--muted');
  g.lineWidth = 1.25;
  g.beginPath();
  prices.forEach((p, i) => {
    const x = (i / (prices.length - 1)) * (width - 2) + 1;
    const y = height - 2 - ((p - min) / span) * (height - 4);
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The detail chart: the bid-ask band as an area, the last price as a line, and both axes. */
export function drawDetail(canvas, series, prevClose) {
  const { g, width, height } = prepare(canvas);
  const left = 56;
  const bottom = 20;
  const plotW = width - left - 8;
  const plotH = height - bottom - 8;
  const n = series.t.length;
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = css('--muted');
  if (n < 2) {
    g.fillText('Waiting for prices…', left, plotH / 2);
    return;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) { min = Math.min(min, series.bid[i]); max = Math.max(max, series.ask[i]); }
  const pad = (max - min) * 0.05 || 0.01;
  min -= pad; max += pad;
  const t0 = series.t[0];
  const t1 = series.t[n - 1] === t0 ? t0 + 1 : series.t[n - 1];
  const x = (t) => left + ((t - t0) / (t1 - t0)) * plotW;
  const y = (p) => 8 + (1 - (p - min) / (max - min)) * plotH;

  // Grid and price labels.
  g.strokeStyle = css('--line');
  g.lineWidth = 1;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (let k = 0; k <= 4; k++) {
    const p = min + ((max - min) * k) / 4;
    g.beginPath(); g.moveTo(left, y(p)); g.lineTo(left + plotW, y(p)); g.stroke();
    g.fillText(p.toFixed(2), left - 6, y(p));
  }
  g.textBaseline = 'top';
  for (let k = 0; k <= 3; k++) {
    const t = t0 + ((t1 - t0) * k) / 3;
    g.textAlign = k === 0 ? 'left' : k === 3 ? 'right' : 'center';   // keep the end labels inside
    g.fillText(timeFormat.format(t), x(t), 8 + plotH + 4);
  }

  // Previous close, for reference.
  if (prevClose >= min && prevClose <= max) {
    g.setLineDash([4, 4]);
    g.strokeStyle = css('--muted');
    g.beginPath(); g.moveTo(left, y(prevClose)); g.lineTo(left + plotW, y(prevClose)); g.stroke();
    g.setLineDash([]);
  }

  // Bid-ask band.
  g.fillStyle = css('--band');
  g.beginPath();
  for (let i = 0; i < n; i++) { const px = x(series.t[i]); const py = y(series.ask[i]); if (i === 0) g.moveTo(px, py); else g.lineTo(px, py); }
  for (let i = n - 1; i >= 0; i--) g.lineTo(x(series.t[i]), y(series.bid[i]));
  g.closePath();
  g.fill();

  // Last price.
  g.strokeStyle = css('--focus');
  g.lineWidth = 1.5;
  g.beginPath();
  for (let i = 0; i < n; i++) { const px = x(series.t[i]); const py = y(series.price[i]); if (i === 0) g.moveTo(px, py); else g.lineTo(px, py); }
  g.stroke();
}
