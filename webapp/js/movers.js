// View: the watchlist's top gainers and losers by change %, at most once a second.

import { signed } from './format.js';

const SHOWN = 3;
const EVERY_MS = 1000;

export class Movers extends EventTarget {
  constructor(root) {
    super();
    this.root = root;
    this.gainers = root.querySelector('#gainers');
    this.losers = root.querySelector('#losers');
    this.paintedAt = 0;
    this.timer = 0;
  }

  /** `quotes`: the latest quote of each watched symbol. */
  update(quotes) {
    this.quotes = quotes;
    if (this.timer) return;
    const wait = Math.max(0, this.paintedAt + EVERY_MS - Date.now());
    this.timer = setTimeout(() => { this.timer = 0; this.paint(); }, wait);
  }

  paint() {
    this.paintedAt = Date.now();
    const quotes = [...this.quotes].filter((q) => Number.isFinite(q.changePct));
    const up = quotes.filter((q) => q.changePct > 0).sort((a, b) => b.changePct - a.changePct).slice(0, SHOWN);
    const down = quotes.filter((q) => q.changePct < 0).sort((a, b) => a.changePct - b.changePct).slice(0, SHOWN);
    this.fill(this.gainers, up, 'up');
    this.fill(this.losers, down, 'down');
    this.root.hidden = quotes.length === 0;
  }

  fill(list, quotes, trend) {
    const key = quotes.map((q) => `${q.symbol}${q.changePct}`).join();
    if (list.dataset.key === key) return;
    list.dataset.key = key;
    if (quotes.length === 0) {
      list.replaceChildren(document.createTextNode('none'));
      return;
    }
    list.replaceChildren(...quotes.map((q) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `mover ${trend}`;
      button.textContent = `${q.symbol} ${signed.format(q.changePct)}%`;
      button.addEventListener('click', () => this.dispatchEvent(new CustomEvent('select', { detail: q.symbol })));
      return button;
    }));
  }
}
