// View: the watchlist table. Quotes are collected as they arrive and written once per animation
// frame, touching only the cells whose text changed; nothing is painted while the tab is hidden.

import { drawSparkline, SPARK_HEIGHT, SPARK_WIDTH } from './charts.js';
import { count, money, signed, trend } from './format.js';

const FLASH_MS = 600;
const STALE_MS = 15000;
const SORT_EVERY_MS = 1000;
const COLUMNS = ['symbol', 'spark', 'last', 'change', 'changePct', 'bid', 'ask', 'volume', 'remove'];

export class QuoteTable extends EventTarget {
  constructor(table, bars) {
    super();
    this.table = table;
    this.tbody = table.tBodies[0];
    this.bars = bars;
    this.rows = new Map();        // symbol -> row state
    this.pending = new Map();     // symbol -> latest quote not painted yet
    this.frame = 0;
    this.sort = { key: null, descending: false };
    this.marketClosed = false;
    this.openedAt = 0;            // Date.now() when the market last opened: no row is stale from before it
    this.lastSortAt = 0;
    this.selected = null;
    this.reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

    table.tHead.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-sort]');
      if (button) this.dispatchEvent(new CustomEvent('sort', { detail: button.dataset.sort }));
    });
    this.tbody.addEventListener('click', (e) => {
      const tr = e.target.closest('tr');
      if (!tr) return;
      if (e.target.closest('td.remove button')) this.dispatchEvent(new CustomEvent('remove', { detail: tr.dataset.symbol }));
      else this.dispatchEvent(new CustomEvent('select', { detail: tr.dataset.symbol }));
    });
    this.tbody.addEventListener('keydown', (e) => this.onKey(e));
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.schedule(); });
    setInterval(() => this.markStale(), 1000);
  }

  /** Shows exactly these symbols, keeping the rows (and their state) of those already shown. */
  setSymbols(symbols) {
    const keep = new Set(symbols);
    for (const [symbol, row] of this.rows) {
      if (!keep.has(symbol)) { row.tr.remove(); this.rows.delete(symbol); this.pending.delete(symbol); }
    }
    for (const symbol of symbols) {
      if (!this.rows.has(symbol)) this.rows.set(symbol, this.createRow(symbol));
    }
    this.order(true);
    // Exactly one row is in the tab order (roving tabindex); arrow keys move between rows.
    if (!this.tbody.querySelector('tr[tabindex="0"]') && this.tbody.rows[0]) this.tbody.rows[0].tabIndex = 0;
  }

  createRow(symbol) {
    const tr = document.createElement('tr');
    tr.dataset.symbol = symbol;
    tr.tabIndex = -1;
    tr.setAttribute('aria-selected', 'false');
    const cells = {};
    for (const key of COLUMNS) {
      const td = document.createElement('td');
      if (key === 'symbol') {
        td.className = 'symbol';
        td.textContent = symbol;
      } else if (key === 'spark') {
        td.className = 'spark';
        const canvas = document.createElement('canvas');
        canvas.className = 'spark';
        canvas.width = SPARK_WIDTH; canvas.height = SPARK_HEIGHT;
        canvas.setAttribute('aria-hidden', 'true');
        td.append(canvas);
        cells.canvas = canvas;
      } else if (key === 'remove') {
        td.className = 'remove';
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = '×';
        button.tabIndex = -1;
        button.setAttribute('aria-label', `Remove ${symbol}`);
        td.append(button);
      } else {
        td.className = `num ${key}`;
        td.textContent = '–';
      }
      cells[key] = td;
      tr.append(td);
    }
    this.tbody.append(tr);
    return { tr, cells, quote: null, updatedAt: 0, flashTimer: 0, stale: false };
  }

  update(quotes) {
    for (const quote of quotes) this.pending.set(quote.symbol, quote);
    this.schedule();
  }

  schedule() {
    if (!this.frame && !document.hidden) this.frame = requestAnimationFrame(() => this.paint());
  }

  paint() {
    this.frame = 0;
    if (document.hidden) return;      // keep the latest state; paint when the tab is visible again
    for (const [symbol, quote] of this.pending) {
      const row = this.rows.get(symbol);
      if (row) this.paintRow(row, quote);
    }
    this.pending.clear();
    this.order(false);
  }

  paintRow(row, q) {
    const previous = row.quote;
    const direction = previous && q.price !== previous.price ? (q.price > previous.price ? 'up' : 'down') : '';
    row.quote = q;
    row.updatedAt = Date.now();
    const t = trend(q.change);
    set(row.cells.last, money.format(q.price));
    set(row.cells.change, signed.format(q.change), t);
    set(row.cells.changePct, `${signed.format(q.changePct)}%`, t);
    set(row.cells.bid, money.format(q.bid));
    set(row.cells.ask, money.format(q.ask));
    set(row.cells.volume, count.format(q.volume));
    if (row.stale) { row.stale = false; row.tr.classList.remove('stale'); row.tr.removeAttribute('title'); }
    drawSparkline(row.cells.canvas, this.bars.closes(q.symbol));
    if (direction && !this.reducedMotion.matches) {
      row.tr.classList.remove('flash-up', 'flash-down');
      row.tr.classList.add(`flash-${direction}`);
      clearTimeout(row.flashTimer);
      row.flashTimer = setTimeout(() => row.tr.classList.remove('flash-up', 'flash-down'), FLASH_MS);
    }
  }

  /** Nothing trades while the market is closed, so no row is stale then. */
  setMarketOpen(open) {
    if (open && this.marketClosed) this.openedAt = Date.now();
    this.marketClosed = !open;
    this.markStale();
  }

  /** A symbol's bars changed as a whole (its history arrived): draw its sparkline again. */
  refresh(symbol) {
    const row = this.rows.get(symbol);
    if (row) drawSparkline(row.cells.canvas, this.bars.closes(symbol));
  }

  markStale() {
    const now = Date.now();
    for (const row of this.rows.values()) {
      const stale = !this.marketClosed && row.quote !== null && now - Math.max(row.updatedAt, this.openedAt) > STALE_MS;
      if (stale !== row.stale) {
        row.stale = stale;
        row.tr.classList.toggle('stale', stale);
        if (stale) row.tr.title = 'No update for over 15 s'; else row.tr.removeAttribute('title');
      }
    }
  }

  setSort(sort) {
    this.sort = sort;
    for (const th of this.table.tHead.querySelectorAll('th[data-key]')) {
      if (th.dataset.key === sort.key) th.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
    this.order(true);
  }

  /** Re-sorts the rows, at most once a second unless forced, moving only rows that changed place. */
  order(force) {
    const now = performance.now();
    if (!this.sort.key || (!force && now - this.lastSortAt < SORT_EVERY_MS)) return;
    this.lastSortAt = now;
    const key = this.sort.key;
    const value = (row) => (key === 'symbol' ? row.tr.dataset.symbol : row.quote ? row.quote[key] : -Infinity);
    const rows = [...this.rows.values()].sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      const c = typeof va === 'string' ? va.localeCompare(vb) : va - vb;
      return this.sort.descending ? -c : c;
    });
    rows.forEach((row, i) => {
      if (this.tbody.children[i] !== row.tr) this.tbody.insertBefore(row.tr, this.tbody.children[i] || null);
    });
  }

  select(symbol) {
    for (const [s, row] of this.rows) row.tr.setAttribute('aria-selected', String(s === symbol));
    this.selected = symbol;
  }

  onKey(e) {
    const tr = e.target.closest('tr');
    if (!tr) return;
    const rows = [...this.tbody.rows];
    const i = rows.indexOf(tr);
    const focus = (target) => {
      if (!target) return;
      rows.forEach((r) => { r.tabIndex = -1; });
      target.tabIndex = 0;
      target.focus();
    };
    switch (e.key) {
      case 'ArrowDown': focus(rows[i + 1]); break;
      case 'ArrowUp': focus(rows[i - 1]); break;
      case 'Home': focus(rows[0]); break;
      case 'End': focus(rows[rows.length - 1]); break;
      case 'Enter': case ' ': this.dispatchEvent(new CustomEvent('select', { detail: tr.dataset.symbol })); break;
      case 'Delete': case 'Backspace':
        focus(rows[i + 1] || rows[i - 1]);
        this.dispatchEvent(new CustomEvent('remove', { detail: tr.dataset.symbol }));
        break;
      default: return;
    }
    e.preventDefault();
  }

  /** The current quotes, for the screen-reader summary. */
  quotes() {
    return [...this.rows.values()].map((r) => r.quote).filter(Boolean);
  }
}

function set(td, text, direction) {
  if (td.textContent !== text) td.textContent = text;
  if (direction !== undefined) {
    td.classList.toggle('up', direction === 'up');
    td.classList.toggle('down', direction === 'down');
  }
}
