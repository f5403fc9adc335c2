// Model: the symbols the user watches and how the table is sorted, kept in localStorage.

const KEY = 'ticker.watchlist.v1';

export class Watchlist {
  constructor(storage = localStorage) {
    this.storage = storage;
    const saved = this.read();
    this.symbols = saved?.symbols ?? null;     // null: first visit, take the whole universe
    this.sort = saved?.sort ?? { key: null, descending: false };
  }

  read() {
    try {
      const value = JSON.parse(this.storage.getItem(KEY));
      return value && Array.isArray(value.symbols) ? value : null;
    } catch {
      return null;          // corrupt or blocked storage: start afresh
    }
  }

  save() {
    try {
      this.storage.setItem(KEY, JSON.stringify({ symbols: this.symbols, sort: this.sort }));
    } catch {
      // Private mode or quota: the watchlist just is not remembered.
    }
  }

  /** On the first visit, watch these (the server's universe, as much as one connection may take). */
  initialize(universe) {
    if (this.symbols === null) {
      this.symbols = [...universe];
      this.save();
    }
  }

  has(symbol) {
    return this.symbols?.includes(symbol) ?? false;
  }

  add(symbol) {
    if (!this.has(symbol)) {
      this.symbols.push(symbol);
      this.save();
    }
  }

  remove(symbol) {
    this.symbols = this.symbols.filter((s) => s !== symbol);
    this.save();
  }

  setSort(key) {
    this.sort = this.sort.key === key ? { key, descending: !this.sort.descending } : { key, descending: key !== 'symbol' };
    this.save();
  }
}
