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

/** The session so far as a line across the session's width, green if above its first price, red if below. */
export const SPARK_WIDTH = 80;
export const SPARK_HEIGHT = 24;

export function drawSparkline(canvas, { x, price }) {
  const { g, width, height } = prepare(canvas, SPARK_WIDTH, SPARK_HEIGHT);
  if (price.length < 2) return;
  let min = Infinity;
  let max = -Infinity;
  for (const p of price) { if (p < min) min = p; if (p > max) max = p; }
  const span = max - min || 1;
  const last = price[price.length - 1];
  g.strokeStyle = last > price[0] ? css('--up') : last < price[0] ? css('--down') : css('--muted');
  g.lineWidth = 1.25;
  g.beginPath();
  price.forEach((p, i) => {
    const px = Math.min(1, Math.max(0, x[i])) * (width - 2) + 1;
    const py = height - 2 - ((p - min) / span) * (height - 4);
    if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
  });
  g.stroke();
}

const OPENING_MINUTE = 9 * 60 + 30;

/** Simulated time of day at `t` in a session that opened at 09:30 at `opensAt`, bars of `barMs`. */
function clock(t, opensAt, barMs) {
  const minutes = OPENING_MINUTE + Math.round((t - opensAt) / barMs);
  return `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * The detail chart of a session: its one-minute bars as a line of closes or as candles, across
 * the whole session (so the day fills in from the left), with the previous close for reference.
 */
export function drawDetail(canvas, session, prevClose, mode = 'line') {
  const { g, width, height } = prepare(canvas);
  const left = 56;
  const bottom = 20;
  const plotW = width - left - 8;
  const plotH = height - bottom - 8;
  const bars = session?.bars ?? [];
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = css('--muted');
  if (bars.length === 0) {
    g.fillText('Waiting for prices…', left, plotH / 2);
    return;
  }
  let min = Infinity;
  let max = -Infinity;
  for (const b of bars) { min = Math.min(min, b[3]); max = Math.max(max, b[2]); }
  if (prevClose > 0) { min = Math.min(min, prevClose); max = Math.max(max, prevClose); }
  const pad = (max - min) * 0.05 || 0.01;
  min -= pad; max += pad;
  const t0 = session.opensAt;
  const t1 = Math.max(session.closesAt, t0 + 1);
  const x = (t) => left + ((t - t0) / (t1 - t0)) * plotW;
  const y = (p) => 8 + (1 - (p - min) / (max - min)) * plotH;

  // Grid, price labels and the session's hours in simulated time.
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
  for (let k = 0; k <= 4; k++) {
    const t = t0 + ((t1 - t0) * k) / 4;
    g.textAlign = k === 0 ? 'left' : k === 4 ? 'right' : 'center';
    g.fillText(clock(t, t0, session.barMs), x(t), 8 + plotH + 4);
  }

  if (prevClose > 0) {
    g.setLineDash([4, 4]);
    g.strokeStyle = css('--muted');
    g.beginPath(); g.moveTo(left, y(prevClose)); g.lineTo(left + plotW, y(prevClose)); g.stroke();
    g.setLineDash([]);
  }

  if (mode === 'candles') {
    const w = Math.max(1, Math.min(8, (plotW * session.barMs) / (t1 - t0) - 1));
    for (const [t, o, h, l, c] of bars) {
      const cx = x(t + session.barMs / 2);
      g.strokeStyle = g.fillStyle = c > o ? css('--up') : c < o ? css('--down') : css('--muted');
      g.beginPath(); g.moveTo(cx, y(h)); g.lineTo(cx, y(l)); g.stroke();
      const top = y(Math.max(o, c));
      g.fillRect(cx - w / 2, top, w, Math.max(1, y(Math.min(o, c)) - top));
    }
    return;
  }
  g.strokeStyle = css('--focus');
  g.lineWidth = 1.5;
  g.beginPath();
  bars.forEach((b, i) => {
    const px = x(b[0] + session.barMs);       // a bar's close is at the end of its minute
    if (i === 0) g.moveTo(x(b[0]), y(b[1]));
    g.lineTo(px, y(b[4]));
  });
  g.stroke();
}
