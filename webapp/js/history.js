// Recent quotes per symbol, in fixed-size ring buffers: memory stays flat however long the page runs.

export class History {
  constructor(capacity = 1200) {
    this.capacity = capacity;
    this.series = new Map();
  }

  add(quote) {
    let s = this.series.get(quote.symbol);
    if (!s) {
      s = { t: new Float64Array(this.capacity), price: new Float64Array(this.capacity),
            bid: new Float64Array(this.capacity), ask: new Float64Array(this.capacity), start: 0, length: 0 };
      this.series.set(quote.symbol, s);
    }
    const i = (s.start + s.length) % this.capacity;
    s.t[i] = quote.ts; s.price[i] = quote.price; s.bid[i] = quote.bid; s.ask[i] = quote.ask;
    if (s.length < this.capacity) s.length += 1; else s.start = (s.start + 1) % this.capacity;
  }

  /** The last n points (all if n is omitted) as plain arrays, oldest first. */
  points(symbol, n = Infinity) {
    const s = this.series.get(symbol);
    if (!s) return { t: [], price: [], bid: [], ask: [] };
    const count = Math.min(n, s.length);
    const out = { t: new Array(count), price: new Array(count), bid: new Array(count), ask: new Array(count) };
    for (let k = 0; k < count; k++) {
      const i = (s.start + s.length - count + k) % this.capacity;
      out.t[k] = s.t[i]; out.price[k] = s.price[i]; out.bid[k] = s.bid[i]; out.ask[k] = s.ask[i];
    }
    return out;
  }

  forget(symbol) {
    this.series.delete(symbol);
  }
}
