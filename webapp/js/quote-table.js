// View: the quotes table. Updates are collected and written once per animation frame, touching only
// cells whose text changed.

const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
const count = new Intl.NumberFormat();
const FLASH_MS = 600;

export class QuoteTable {
  constructor(tbody) {
    this.tbody = tbody;
    this.rows = new Map();      // symbol -> { tr, cells, price }
    this.pending = new Map();   // symbol -> latest quote not yet painted
    this.frame = 0;
  }

  setSymbols(symbols) {
    this.tbody.replaceChildren();
    this.rows.clear();
    for (const symbol of symbols) {
      const tr = document.createElement('tr');
      tr.dataset.symbol = symbol;
      const cells = {};
      for (const key of ['symbol', 'last', 'change', 'changePct', 'bid', 'ask', 'volume']) {
        const td = document.createElement('td');
        td.className = key === 'symbol' ? 'symbol' : `num ${key}`;
        td.textContent = key === 'symbol' ? symbol : '–';
        cells[key] = td;
        tr.append(td);
      }
      this.tbody.append(tr);
      this.rows.set(symbol, { tr, cells, price: undefined, flashTimer: 0 });
    }
  }

  update(quotes) {
    for (const quote of quotes) this.pending.set(quote.symbol, quote);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.paint());
  }

  paint() {
    this.frame = 0;
    for (const [symbol, quote] of this.pending) {
      const row = this.rows.get(symbol);
      if (row) this.paintRow(row, quote);
    }
    this.pending.clear();
  }

  paintRow(row, q) {
    const direction = row.price === undefined || q.price === row.price ? '' : q.price > row.price ? 'up' : 'down';
    row.price = q.price;
    const trend = q.change > 0 ? 'up' : q.change < 0 ? 'down' : '';
    set(row.cells.last, money.format(q.price));
    set(row.cells.change, signed.format(q.change), trend);
    set(row.cells.changePct, `${signed.format(q.changePct)}%`, trend);
    set(row.cells.bid, money.format(q.bid));
    set(row.cells.ask, money.format(q.ask));
    set(row.cells.volume, count.format(q.volume));
    if (direction) {
      row.tr.classList.remove('flash-up', 'flash-down');
      row.tr.classList.add(`flash-${direction}`);
      clearTimeout(row.flashTimer);
      row.flashTimer = setTimeout(() => row.tr.classList.remove(`flash-${direction}`), FLASH_MS);
    }
  }
}

function set(td, text, trend) {
  if (td.textContent !== text) td.textContent = text;
  if (trend !== undefined) {
    td.classList.toggle('up', trend === 'up');
    td.classList.toggle('down', trend === 'down');
  }
}
