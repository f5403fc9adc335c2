// View: the detail panel of one symbol, with the chart of its session (line or candles).

import { drawDetail } from './charts.js';
import { count, money, signed, trend } from './format.js';

const MODE_KEY = 'ticker.chartMode';

export class DetailView extends EventTarget {
  constructor(root, bars) {
    super();
    this.root = root;
    this.bars = bars;
    this.symbol = null;
    this.quote = null;
    this.frame = 0;
    this.canvas = root.querySelector('#detail-chart');
    this.mode = localStorage.getItem(MODE_KEY) === 'candles' ? 'candles' : 'line';
    this.modeButtons = [...root.querySelectorAll('[data-mode]')];
    for (const button of this.modeButtons) {
      button.addEventListener('click', () => this.setMode(button.dataset.mode));
    }
    this.setMode(this.mode);
    root.querySelector('#detail-close').addEventListener('click', () => this.dispatchEvent(new Event('close')));
    root.querySelector('#detail-remove').addEventListener('click', () => this.dispatchEvent(new Event('remove')));
    addEventListener('resize', () => this.schedule());
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.schedule(); });
  }

  setMode(mode) {
    this.mode = mode === 'candles' ? 'candles' : 'line';
    localStorage.setItem(MODE_KEY, this.mode);
    for (const button of this.modeButtons) button.setAttribute('aria-pressed', String(button.dataset.mode === this.mode));
    this.schedule();
  }

  show(symbol, quote) {
    this.symbol = symbol;
    this.quote = quote;
    this.root.hidden = false;
    this.root.querySelector('#detail-title').textContent = symbol;
    this.canvas.setAttribute('aria-label', `Price chart of ${symbol}, this session so far`);
    this.schedule();
  }

  hide() {
    this.symbol = null;
    this.root.hidden = true;
  }

  update(quote) {
    if (quote.symbol !== this.symbol) return;
    this.quote = quote;
    this.schedule();
  }

  /** The symbol's bars changed as a whole (its history arrived). */
  refresh(symbol) {
    if (symbol === this.symbol) this.schedule();
  }

  schedule() {
    if (this.symbol && !this.frame && !document.hidden) this.frame = requestAnimationFrame(() => this.paint());
  }

  paint() {
    this.frame = 0;
    const q = this.quote;
    if (!this.symbol || document.hidden) return;
    if (q) {
      const t = trend(q.change);
      const last = this.root.querySelector('#detail-last');
      last.textContent = money.format(q.price);
      const change = this.root.querySelector('#detail-change');
      change.textContent = `${signed.format(q.change)} (${signed.format(q.changePct)}%)`;
      change.className = t;
      for (const key of ['open', 'high', 'low', 'prevClose', 'bid', 'ask']) {
        this.root.querySelector(`#detail-${key}`).textContent = money.format(q[key]);
      }
      this.root.querySelector('#detail-volume').textContent = count.format(q.volume);
    }
    const session = this.bars.get(this.symbol);
    this.canvas.dataset.bars = String(session?.bars.length ?? 0);
    drawDetail(this.canvas, session, q ? q.prevClose : NaN, this.mode);
  }
}
