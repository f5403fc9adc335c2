// Asks the server for symbols' session bars (history requests on the stream), a few at a time:
// a whole session's reply is tens of KB, and the server closes a connection whose unsent replies
// exceed limits.maxPendingReplyBytes. Replies and errors are matched by id.

const RETRY_MS = 1000;

export class HistoryLoader {
  constructor(socket, onBars) {
    this.socket = socket;
    this.onBars = onBars;
    this.queue = [];
    this.inFlight = new Map();    // request id -> symbol
    this.maxInFlight = 1;
    this.nextId = 1;
    this.retryTimer = 0;
  }

  /** A new connection (its welcome): what was in flight on the old one is lost; ask again. */
  reset(welcome) {
    const wanted = [...new Set([...this.inFlight.values(), ...this.queue])];
    this.inFlight.clear();
    this.queue = [];
    const m = welcome.market;
    const minutes = m ? Math.round(((m.closesAt - m.opensAt) * m.timeScale) / 60000) : 390;
    // The server counts about 72 bytes a bar against the budget; use half of it at most.
    const reply = 300 + 72 * minutes;
    const budget = welcome.limits?.maxPendingReplyBytes ?? 65536;
    this.maxInFlight = Math.max(1, Math.min(4, Math.floor(budget / 2 / reply)));
    this.want(wanted);
  }

  /** Asks for the bars of `symbols` (once each, whatever is already queued). */
  want(symbols) {
    const busy = new Set([...this.inFlight.values(), ...this.queue]);
    for (const symbol of symbols) {
      if (!busy.has(symbol)) this.queue.push(symbol);
    }
    this.pump();
  }

  /** Whether a frame's id is one of this loader's requests. */
  owns(id) {
    return typeof id === 'string' && id.startsWith('h') && this.inFlight.has(id);
  }

  reply(frame) {
    if (!this.inFlight.delete(frame.id)) return;
    this.onBars(frame);
    this.pump();
  }

  error(frame) {
    const symbol = this.inFlight.get(frame.id);
    if (symbol === undefined) return;
    this.inFlight.delete(frame.id);
    if (frame.code === 'RATE_LIMITED') {
      this.queue.push(symbol);
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.pump(), RETRY_MS);
      return;
    }
    this.pump();
  }

  pump() {
    while (this.inFlight.size < this.maxInFlight && this.queue.length > 0) {
      const symbol = this.queue.shift();
      const id = `h${this.nextId++}`;
      this.inFlight.set(id, symbol);
      this.socket.send({ type: 'history', id, symbol });
    }
  }
}
