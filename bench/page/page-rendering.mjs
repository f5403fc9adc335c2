// Measures how the live page renders under load, in the machine's Chromium: frame times, long
// tasks and main-thread time while every row of the watchlist updates. Not a test: a measurement.
//
//   cd bench/page && npm install && node page-rendering.mjs http://localhost:8080/ticker/
//
// Start the server with as many symbols as you want rows, e.g.
//   TICKER_SYMBOLS=200 TICKER_UPDATES_PER_SECOND=5 mvn -DskipTests package exec:exec@run
// The page watches the whole universe on a first visit (up to ticker.maxSymbols, default 200).
import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--disable-background-networking','--disable-component-update','--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(process.argv[2] ?? 'http://localhost:8080/ticker/');
await page.waitForFunction(() => document.querySelectorAll('#quotes tbody tr').length > 0 && document.getElementById('conn-state').textContent === 'Live', null, { timeout: 30000 });
await page.waitForTimeout(3000);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
const m0 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
const result = await page.evaluate(() => new Promise((resolve) => {
  const frames = []; const longTasks = []; let last = performance.now(); let ticks = 0;
  new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false });
  const stats = document.getElementById('conn-tps');
  const t = setInterval(() => { ticks += parseInt(stats.textContent, 10) || 0; }, 1000);
  const end = performance.now() + 10000;
  function loop(now) { frames.push(now - last); last = now; if (now < end) requestAnimationFrame(loop); else { clearInterval(t); resolve({ frames, longTasks, ticks }); } }
  requestAnimationFrame(loop);
}));
const m1 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
const f = result.frames.slice(1).sort((a, b) => a - b);
const q = (p) => f[Math.min(f.length - 1, Math.floor(p * f.length))].toFixed(1);
const busy = (k) => ((m1[k] - m0[k]) / 10 * 100).toFixed(1);
console.log(JSON.stringify({
  rows: await page.locator('#quotes tbody tr').count(),
  quotesPerSecond: Math.round(result.ticks / 10),
  frames: f.length, fps: (f.length / 10).toFixed(1), frameMs: { p50: q(0.5), p95: q(0.95), max: f[f.length - 1].toFixed(1) },
  longTasks: result.longTasks.length, longestTaskMs: Math.max(0, ...result.longTasks).toFixed(0),
  mainThreadPercent: { script: busy('ScriptDuration'), layout: busy('LayoutDuration'), style: busy('RecalcStyleDuration'), task: busy('TaskDuration') },
  heapMB: (m1.JSHeapUsedSize / 1048576).toFixed(1),
}));
await browser.close();
