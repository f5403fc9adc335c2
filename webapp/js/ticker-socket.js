// Transport: one WebSocket speaking ticker.v1, with reconnect, resubscribe and gap detection.
// Knows nothing about the page; app.js listens to its events.

const PROTOCOL = 'ticker.v1';
const CLOSE_REASONS = {
  1000: 'closed',
  1001: 'server is restarting',
  1003: 'server refused a binary frame',
  1006: 'server unreachable',
  1008: 'too many requests',
  1009: 'request too large',
  1011: 'server error',
  4002: 'connection too slow to keep up',
};

/** The stream URL next to the page: works under any context root, over ws: and wss:. */
export function streamUrl(base = document.baseURI) {
  const url = new URL('ws/quotes', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

export class TickerSocket extends EventTarget {
  constructor(url = streamUrl()) {
    super();
    this.url = url;
    this.wanted = new Set();      // symbols to be subscribed whenever connected
    this.socket = null;
    this.attempt = 0;
    this.lastSeq = 0;
    this.heartbeatMs = 10000;
    this.lastFrameAt = 0;
    this.nextId = 1;
    this.pings = new Map();       // id -> sent at (performance.now())
    this.stopped = false;
  }

  start() {
    this.stopped = false;
    this.connect();
    this.timer = setInterval(() => this.tick(), 1000);
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    this.socket?.close(1000, 'page closed');
  }

  subscribe(symbols) {
    symbols.forEach((s) => this.wanted.add(s));
    this.send({ type: 'subscribe', symbols });
  }

  unsubscribe(symbols) {
    symbols.forEach((s) => this.wanted.delete(s));
    this.send({ type: 'unsubscribe', symbols });
  }

  send(request) {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ id: this.nextId++, ...request }));
    }
  }

  connect() {
    this.state(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(this.url, [PROTOCOL]);
    this.socket = socket;
    this.lastSeq = 0;
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      const reason = CLOSE_REASONS[event.code] || `closed (${event.code})`;
      this.attempt += 1;
      // Exponential backoff with full jitter: 0.5 s, 1 s, 2 s, ... up to 30 s.
      const delay = Math.random() * Math.min(30000, 500 * 2 ** Math.min(this.attempt, 6));
      this.state('reconnecting', reason, delay);
      setTimeout(() => this.connect(), delay);
    };
  }

  receive(text) {
    const frame = JSON.parse(text);
    this.lastFrameAt = performance.now();
    if (frame.seq !== this.lastSeq + 1) {
      // A gap means frames were lost: start over with a fresh connection and snapshot.
      this.dispatchEvent(new CustomEvent('gap', { detail: { expected: this.lastSeq + 1, got: frame.seq } }));
      this.socket?.close(4000, 'sequence gap');
      return;
    }
    this.lastSeq = frame.seq;
    switch (frame.type) {
      case 'welcome':
        this.attempt = 0;
        this.heartbeatMs = frame.heartbeatMs;
        this.state('live');
        this.dispatchEvent(new CustomEvent('welcome', { detail: frame }));
        if (this.wanted.size > 0) this.send({ type: 'subscribe', symbols: [...this.wanted] });
        break;
      case 'pong': {
        const sentAt = this.pings.get(frame.id);
        this.pings.delete(frame.id);
        if (sentAt !== undefined) {
          this.dispatchEvent(new CustomEvent('latency', { detail: performance.now() - sentAt }));
        }
        break;
      }
      default:
        this.dispatchEvent(new CustomEvent(frame.type, { detail: frame }));
    }
  }

  tick() {
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) return;
    if (performance.now() - this.lastFrameAt > 2.5 * this.heartbeatMs) {
      socket.close(4001, 'no frames from server');   // silent server: reconnect
      return;
    }
    const id = this.nextId++;
    this.pings.set(id, performance.now());
    if (this.pings.size > 10) this.pings.delete(this.pings.keys().next().value);
    socket.send(JSON.stringify({ type: 'ping', id }));
  }

  state(state, reason = '', retryInMs = 0) {
    this.dispatchEvent(new CustomEvent('state', { detail: { state, reason, retryInMs } }));
  }
}
