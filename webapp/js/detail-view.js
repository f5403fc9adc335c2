// View: the detail panel of one symbol, with its live chart.

import { drawDetail } from './charts.js';
import { count, money, signed, trend } from './format.js';

export class DetailView extends EventTarget {
  constructor(root, history) {
    super();
    this.root = root;
    this.history = history;
    this.symbol = null;
    this.quote = null;
    this.frame = 0;
    this.canvas = root.querySelector('#detail-chart');
    root.querySelector('#detail-close').addEventListener('click', () => this.dispatchEvent(new Event('close')));
    addEventListener('resize', () => this.schedule());
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.schedule(); });
  }

  show(symbol, quote) {
    this.symbol = symbol;
    this.quote = quote;
    this.root.hidden = false;
    this.root.querySelector('#detail-title').textContent = symbol;
    this.canvas.setAttribute('aria-label', `Price chart of ${symbol} since this page subscribed`);
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
    drawDetail(this.canvas, this.history.points(this.symbol), q ? q.prevClose : NaN);
  }
}
