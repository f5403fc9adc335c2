// Transport: one WebSocket speaking ticker.v1, with reconnect (exponential backoff and jitter),
// resubscribe, gap detection and a watchdog. Knows nothing about the page: it emits events
// ('state', 'welcome', 'subscribed', 'unsubscribed', 'snapshot', 'ticks', 'error', 'latency', 'frame').

const PROTOCOL = 'ticker.v1';
const CLOSE_REASONS = {
  1000: 'closed',
  1001: 'the server is restarting',
  1003: 'the server refused a binary frame',
  1006: 'the connection dropped',
  1008: 'the server closed the connection (too many requests, or nothing subscribed)',
  1009: 'a request was too large',
  1011: 'server error',
  4000: 'frames were lost; resynchronising',
  4001: 'the server went silent',
  4002: 'this page could not keep up with the stream',
  4003: 'the connection stopped answering',
};
// What the stream's gate answered a plain request with, when that explains a refused handshake.
const REFUSALS = {
  401: 'the server needs a token: open this page with ?token=… in its address',
  403: 'the server refused the stream for this page\'s origin',
  429: 'too many connections from this address',
  503: 'the server is full',
};
const PING_EVERY_MS = 5000;
const MAX_BACKOFF_MS = 30000;

/**
 * The stream URL next to the page: works under any context root, over ws: and wss:. A `token` in
 * the page's own URL (?token=...) is passed on, for servers that require one (ticker.authToken):
 * a browser cannot set headers on a WebSocket handshake.
 */
export function streamUrl(base = document.baseURI, token = new URLSearchParams(location.search).get('token')) {
  const url = new URL('ws/quotes', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  if (token) url.searchParams.set('token', token);
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
    this.lastPingAt = -Infinity;  // the first ping goes out within a second of connecting
    this.nextId = 1;
    this.pings = new Map();       // ping id -> performance.now() when sent
    this.stopped = true;
    this.retryTimer = 0;
  }

  start() {
    this.stopped = false;
    addEventListener('online', () => {
      if (this.socket?.readyState === WebSocket.OPEN) this.state('live');
      else this.retryNow();
    });
    addEventListener('offline', () => this.state('offline', 'this computer is offline'));
    this.connect();
    this.timer = setInterval(() => this.tick(), 1000);
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'page closed');
  }

  /** Subscribes now if connected, and after every reconnect. */
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
    if (!navigator.onLine) {
      this.state('offline', 'this computer is offline');
      return;
    }
    this.state(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(this.url, [PROTOCOL]);
    let opened = false;
    this.socket = socket;
    this.lastSeq = 0;
    socket.onopen = () => { opened = true; this.lastFrameAt = performance.now(); };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = async (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      const reason = opened ? (CLOSE_REASONS[event.code] || `closed (${event.code})`) : await this.diagnose();
      this.scheduleRetry(reason);
    };
  }

  /**
   * Why a handshake failed: the browser does not say (it reports 1006 for a refused upgrade and
   * for a dead server alike), so ask the server over plain HTTP. The stream's own address answers
   * a plain request with the status its gate gave the handshake (401 token, 429 too many from this
   * address, 503 full); anything else, ask /health whether the server is up at all.
   */
  async diagnose() {
    try {
      const probe = new URL(this.url);
      probe.protocol = probe.protocol === 'wss:' ? 'https:' : 'http:';
      const refused = await fetch(probe, { cache: 'no-store' });
      const why = REFUSALS[refused.status];
      if (why) return why;
      const response = await fetch(new URL('health', document.baseURI), { cache: 'no-store' });
      return response.ok
        ? 'the server refused the stream (origin not allowed, or a proxy blocks WebSocket)'
        : `the server is not ready (HTTP ${response.status})`;
    } catch {
      return 'the server is unreachable';
    }
  }

  scheduleRetry(reason) {
    this.attempt += 1;
    // Exponential backoff with full jitter: up to 1 s, 2 s, 4 s, ... 30 s.
    const delay = Math.round(Math.random() * Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(this.attempt, 6))) + 250;
    this.state(navigator.onLine ? 'reconnecting' : 'offline', reason, delay);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  retryNow() {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.connect();
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
    this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
    switch (frame.type) {
      case 'welcome':
        this.attempt = 0;
        this.heartbeatMs = frame.heartbeatMs;
        this.state('live');
        // After a reconnect, subscribe again to what was wanted; on the first connect the page
        // decides what to subscribe to when it sees the welcome.
        if (this.wanted.size > 0) this.send({ type: 'subscribe', symbols: [...this.wanted] });
        this.dispatchEvent(new CustomEvent('welcome', { detail: frame }));
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
    const now = performance.now();
    if (now - this.lastFrameAt > 2.5 * this.heartbeatMs) {
      socket.close(4001, 'no frames from the server');   // silent server: reconnect
      return;
    }
    if (now - this.lastPingAt >= PING_EVERY_MS) {
      this.lastPingAt = now;
      const id = `p${this.nextId++}`;
      this.pings.set(id, now);
      if (this.pings.size > 10) this.pings.delete(this.pings.keys().next().value);
      socket.send(JSON.stringify({ type: 'ping', id }));
    }
  }

  state(state, reason = '', retryInMs = 0) {
    this.dispatchEvent(new CustomEvent('state', { detail: { state, reason, retryInMs } }));
  }
}
