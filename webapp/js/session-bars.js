// Model: each symbol's session as one-minute bars (simulated time): the server's history to start
// with, then every quote received. Bounded: one session a symbol, a bar a simulated minute.

export class SessionBars {
  constructor() {
    this.series = new Map();      // symbol -> { opensAt, closesAt, barMs, bars: [[t, o, h, l, c, v]], volume }
    this.market = null;           // the market's state: welcome.market or the latest market frame
  }

  /** The market's state, for placing quotes that arrive before their symbol's history. */
  setMarket(status) {
    if (status) this.market = status;
  }

  /** The server's bars of a symbol's session (a history reply), replacing what the page had. */
  set(reply) {
    const volume = reply.bars.reduce((sum, b) => sum + b[5], 0);
    const current = this.series.get(reply.symbol);
    // A reply older than what the quotes already started (a session that rolled meanwhile) is stale.
    if (current && current.opensAt > reply.opensAt) return;
    this.series.set(reply.symbol, {
      opensAt: reply.opensAt, closesAt: reply.closesAt, barMs: reply.barMs,
      bars: reply.bars.map((b) => b.slice()), volume, fromServer: true,
    });
  }

  /** A quote: its price goes into the bar of the minute its ts falls in; a new session starts afresh. */
  add(q) {
    let s = this.series.get(q.symbol);
    if (!s || q.ts >= s.closesAt) {
      const session = this.sessionOf(q.ts);
      if (!session) return;
      s = { ...session, bars: [], volume: 0, fromServer: false };
      this.series.set(q.symbol, s);
    }
    const minute = Math.max(0, Math.floor((q.ts - s.opensAt) / s.barMs));
    const t = s.opensAt + Math.floor(minute * s.barMs);
    // Quotes are conflated: what traded since the last one shows only in the session's volume.
    const traded = Math.max(0, q.volume - s.volume);
    s.volume = Math.max(s.volume, q.volume);
    const last = s.bars[s.bars.length - 1];
    if (last && last[0] === t) {
      last[2] = Math.max(last[2], q.price);
      last[3] = Math.min(last[3], q.price);
      last[4] = q.price;
      last[5] += traded;
    } else if (!last || last[0] < t) {
      s.bars.push([t, q.price, q.price, q.price, q.price, traded]);
    }
  }

  /** The session (opensAt, closesAt, barMs) a ts falls in, by the market's state; null without one. */
  sessionOf(ts) {
    const m = this.market;
    if (!m) return null;
    const period = m.nextOpensAt - m.opensAt;
    const length = m.closesAt - m.opensAt;
    const k = Math.floor((ts - m.opensAt) / period);
    const opensAt = m.opensAt + k * period;
    return { opensAt, closesAt: opensAt + length, barMs: 60000 / m.timeScale };
  }

  /** A symbol's bars and session times, or null. */
  get(symbol) {
    return this.series.get(symbol) ?? null;
  }

  /** The closes of a symbol's session, with the fraction of the session each falls at: for sparklines. */
  closes(symbol) {
    const s = this.series.get(symbol);
    if (!s) return { x: [], price: [] };
    const span = s.closesAt - s.opensAt;
    return { x: s.bars.map((b) => (b[0] - s.opensAt) / span), price: s.bars.map((b) => b[4]) };
  }

  forget(symbol) {
    this.series.delete(symbol);
  }
}
