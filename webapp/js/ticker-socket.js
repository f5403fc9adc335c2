// Transport: one connection speaking ticker.v1, with reconnect (exponential backoff and jitter),
// resubscribe, gap detection and a watchdog, and requests cut to fit the server's limits. A
// WebSocket first; where that is blocked (a proxy strips Upgrade) while the server answers over
// HTTP, the same stream over Server-Sent Events, probing now and then for a WebSocket that works
// again and then moving back to it. Knows nothing about the page: it emits events ('state',
// 'welcome', 'subscribed', 'unsubscribed', 'snapshot', 'ticks', 'error', 'latency', 'frame',
// 'gap', 'refused', 'notice').

const PROTOCOL = 'ticker.v1';
// The same protocol with every server frame a binary message of its UTF-8 JSON: less work for the
// server per frame (docs/protocol.md). Offered first with ?binary in the page's address; a server
// that does not know it answers with ticker.v1.
const BINARY_PROTOCOL = 'ticker.v1.binary';
const DECODER = new TextDecoder();
const CLOSE_REASONS = {
  1000: 'closed',
  1001: 'the server is restarting or moving its clients',
  1003: 'the server refused a frame of this page',
  1006: 'the connection dropped',
  1008: 'the server closed the connection (too many requests, or nothing subscribed)',
  1009: 'a request was too large; sending smaller ones',
  1011: 'server error',
  1012: 'the market restarted; fetching it afresh',
  1013: 'this server lost its market data; trying again (another server may answer)',
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
  503: 'the server is full, going away, or has no market data right now',
};
const PING_EVERY_MS = 5000;
// A draining server spreads its closes over drainMs; the pages it closes spread their reconnects
// over what is left of this, so that together the reconnects take at least this long (and a page
// waits at least a moment, at random, even after a long drain).
const DRAIN_RECONNECT_SPREAD_MS = 5000;
const MIN_DRAIN_JITTER_MS = 1000;
// A WebSocket that opens but brings no welcome within this long is taken for a blocked one.
const WELCOME_TIMEOUT_MS = 6000;
// A handshake refused while the server answers over HTTP is tried once more after this long before
// the page falls back: a server that is just coming up (a redeploy) answers HTTP a moment before
// its WebSocket endpoint does.
const BLOCKED_RETRY_MS = 1000;
// On the fallback, a WebSocket is tried again after this long, then after twice as long each time,
// up to the maximum: what blocked it may have been passing (a network change, a redeploy).
const UPGRADE_PROBE_FIRST_MS = 15000;
const UPGRADE_PROBE_MAX_MS = 600000;
// A control request of the Server-Sent Events fallback not answered in this long ends the stream.
const POST_TIMEOUT_MS = 10000;
const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;
const MAX_BACKOFF_MS = 30000;
// Requests waiting for the server's rate limit to let them go: the page's own, so a handful.
const MAX_QUEUED_REQUESTS = 256;
// What a server that announces no limits (an older one) is assumed to take.
const DEFAULT_LIMITS = { maxMessageBytes: 4096, maxMessageBurst: 20, maxMessagesPerSecond: 20 };
const ENCODER = new TextEncoder();

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

/** The stream over Server-Sent Events next to the page, with the page's `token` as for streamUrl. */
export function eventStreamUrl(base = document.baseURI, token = new URLSearchParams(location.search).get('token')) {
  const url = new URL('sse/quotes', base);
  url.search = '';
  url.hash = '';
  if (token) url.searchParams.set('token', token);
  return url.href;
}

/**
 * The stream over Server-Sent Events (docs/protocol.md), shaped like a WebSocket for TickerSocket:
 * send() posts a request to the stream's control URL, one at a time so that they arrive in order;
 * pings are answered; the server's close event and a dropped stream both end in onclose with a
 * WebSocket close code. EventSource's own reconnect is not used: TickerSocket reconnects with its
 * backoff and a fresh snapshot, as it does for a WebSocket.
 */
export class EventStreamChannel {
  constructor(url) {
    this.readyState = CONNECTING;
    this.control = null;
    this.token = new URL(url).searchParams.get('token');
    this.posting = Promise.resolve();
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener('stream', (event) => {
      // The control URL next to the stream's own, not the server's path for it: a proxy may
      // serve the app under another prefix.
      const control = new URL(url);
      control.pathname += `/${JSON.parse(event.data).stream}`;
      control.search = '';
      this.control = control.href;
      this.readyState = OPEN;
      this.onopen?.();
    });
    source.onmessage = (event) => {
      if (this.readyState === OPEN) this.onmessage?.({ data: event.data });
    };
    source.addEventListener('ping', (event) => {
      this.post('/pong', JSON.parse(event.data).payload, 'text/plain').catch(() => {});
    });
    source.addEventListener('close', (event) => {
      const { code, reason } = JSON.parse(event.data);
      this.end(code, reason);
    });
    source.onerror = () => this.end(1006, 'the event stream dropped');
  }

  post(suffix, body, type) {
    const headers = { 'Content-Type': type };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    // A request that never comes back would hold every later one behind it (they go in order).
    return fetch(this.control + suffix, {
      method: 'POST', body, headers, cache: 'no-store', signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
  }

  /**
   * Posts a request; one at a time, in order. A request the server did not take (anything but
   * 202: the stream ended, a proxy's 502 while the server restarts, a timeout) ends the stream,
   * as a WebSocket that lost a frame would end: the page reconnects and subscribes afresh instead
   * of staying connected without its subscription.
   */
  send(text) {
    if (this.readyState !== OPEN) return;
    this.posting = this.posting
      .then(() => this.post('', text, 'application/json'))
      .then((response) => {
        if (response.status === 404) this.end(1006, 'the event stream has ended');
        else if (response.status === 413) this.end(1009, 'request too large');
        else if (!response.ok) this.end(1006, `a request was refused (HTTP ${response.status})`);
      })
      .catch(() => this.end(1006, 'a request did not reach the server'));
  }

  close(code = 1000, reason = '') {
    this.end(code, reason);
  }

  end(code, reason) {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.source.close();
    setTimeout(() => this.onclose?.({ code, reason }), 0);   // after the caller, as a WebSocket's
  }
}

/**
 * `symbols` as requests of `type` whose JSON (with an id of up to `idBytes`) fits in `maxBytes`
 * each: a server closes a frame over its maxMessageBytes with 1009.
 */
export function splitRequests(type, symbols, maxBytes, idBytes = 12) {
  const requests = [];
  let chunk = [];
  const size = (list) => ENCODER.encode(JSON.stringify({ id: 0, type, symbols: list })).length + idBytes;
  for (const symbol of symbols) {
    if (chunk.length > 0 && size([...chunk, symbol]) > maxBytes) {
      requests.push(chunk);
      chunk = [];
    }
    chunk.push(symbol);
  }
  if (chunk.length > 0) requests.push(chunk);
  return requests;
}

export class TickerSocket extends EventTarget {
  constructor(url = streamUrl(), fallbackUrl = eventStreamUrl(),
    binary = new URLSearchParams(location.search).has('binary')) {
    super();
    this.url = url;
    this.protocols = binary ? [BINARY_PROTOCOL, PROTOCOL] : [PROTOCOL];
    this.protocol = PROTOCOL;     // the one the server chose for the current (or last) connection
    this.fallbackUrl = fallbackUrl;
    this.transport = 'websocket';  // of the current (or last) connection
    this.fallback = false;        // whether the next connection is over Server-Sent Events
    this.blockedHandshakes = 0;   // WebSocket handshakes in a row refused while HTTP answered
    this.probeDelayMs = UPGRADE_PROBE_FIRST_MS;
    this.probeTimer = 0;
    this.wanted = new Set();      // symbols to be subscribed whenever connected
    this.socket = null;           // the current socket; events of any other are ignored
    this.attempt = 0;             // failed connections since the last useful one
    this.useful = false;          // whether the current connection has brought quotes
    this.lastSeq = 0;
    this.heartbeatMs = 10000;
    this.limits = DEFAULT_LIMITS;
    this.maxRequestBytes = DEFAULT_LIMITS.maxMessageBytes;
    this.lastFrameAt = 0;
    this.lastPingAt = -Infinity;  // the first ping goes out within a second of connecting
    this.nextId = 1;
    this.pings = new Map();       // ping id -> performance.now() when sent
    this.queue = [];              // requests waiting for a token of the server's rate limit
    this.tokens = DEFAULT_LIMITS.maxMessageBurst;
    this.tokensAt = 0;
    this.largest = null;          // the largest request sent on the current socket, and its size
    this.stopped = true;
    this.idle = false;            // nothing to watch: no connection held
    this.retryTimer = 0;
  }

  start() {
    this.stopped = false;
    addEventListener('online', () => {
      if (this.socket?.readyState === OPEN) this.state('live');
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
    clearTimeout(this.probeTimer);
    this.socket?.close(1000, 'page closed');
  }

  /** Subscribes now if connected, and after every reconnect; connects if idle. */
  subscribe(symbols) {
    symbols.forEach((s) => this.wanted.add(s));
    if (this.idle && this.wanted.size > 0) {
      this.idle = false;
      this.connect();
      return;
    }
    this.request('subscribe', symbols);
  }

  unsubscribe(symbols) {
    symbols.forEach((s) => this.wanted.delete(s));
    this.request('unsubscribe', symbols);
    this.idleIfNothingWanted();
  }

  /** Sends `symbols` as requests of `type`, each small enough for the server. */
  request(type, symbols) {
    if (symbols.length === 0) return;
    for (const chunk of splitRequests(type, symbols, this.maxRequestBytes)) {
      this.send({ type, symbols: chunk });
    }
  }

  /** Sends `request` when the server's rate limit allows (queued meanwhile), if connected. */
  send(request) {
    if (this.socket?.readyState !== OPEN) return;
    if (request.type === 'ping' && this.queue.length > 0) return;   // a ping can wait its turn
    if (this.queue.length >= MAX_QUEUED_REQUESTS) this.queue.shift();
    this.queue.push({ id: request.id ?? this.nextId++, ...request });
    this.drain();
  }

  /** Sends queued requests while the token bucket (the server's, mirrored) has tokens. */
  drain() {
    const socket = this.socket;
    if (socket?.readyState !== OPEN) return;
    const now = performance.now();
    const { maxMessageBurst, maxMessagesPerSecond } = this.limits;
    this.tokens = Math.min(maxMessageBurst, this.tokens + ((now - this.tokensAt) / 1000) * maxMessagesPerSecond);
    this.tokensAt = now;
    while (this.queue.length > 0 && this.tokens >= 1) {
      const request = this.queue.shift();
      this.tokens -= 1;
      const text = JSON.stringify(request);
      const bytes = ENCODER.encode(text).length;
      if (!this.largest || bytes > this.largest.bytes) this.largest = { request, bytes };
      socket.send(text);
    }
    clearTimeout(this.drainTimer);
    if (this.queue.length > 0) {
      this.drainTimer = setTimeout(() => this.drain(), Math.ceil(1000 / maxMessagesPerSecond));
    }
  }

  connect() {
    if (this.socket && this.socket.readyState <= OPEN) return;   // one connection at a time
    clearTimeout(this.retryTimer);
    if (!navigator.onLine) {
      this.state('offline', 'this computer is offline');
      return;
    }
    // Server-Sent Events only right after WebSocket failed; every later reconnect tries WebSocket first.
    this.transport = this.fallback ? 'sse' : 'websocket';
    this.fallback = false;
    this.state(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = this.transport === 'sse' ? new EventStreamChannel(this.fallbackUrl) : this.openWebSocket();
    let opened = false;
    this.socket = socket;
    this.welcomed = false;
    this.useful = false;
    this.notice = null;
    this.lastSeq = 0;
    this.queue = [];
    this.largest = null;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      this.protocol = socket.protocol || PROTOCOL;
      if (this.transport === 'websocket') this.blockedHandshakes = 0;
      this.lastFrameAt = performance.now();
      // Until the welcome this timer, not the silence check, decides: a WebSocket that brings
      // nothing is taken for one a proxy holds back (the frames, not the upgrade), and the next
      // connection goes over Server-Sent Events; a stream that brings nothing is just retried.
      setTimeout(() => {
        if (this.socket === socket && !this.welcomed) {
          if (this.transport === 'websocket') this.fallback = true;
          socket.close(4001, 'no welcome');
        }
      }, WELCOME_TIMEOUT_MS);
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(text(event.data));
    };
    socket.onclose = async (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearTimeout(this.drainTimer);
      if (this.stopped || this.idle) return;
      if (opened) this.refused(event.code);
      let reason = opened ? (CLOSE_REASONS[event.code] || `closed (${event.code})`) : null;
      let blocked = false;
      if (!opened) {
        const diagnosis = await this.diagnose();
        reason = diagnosis.reason;
        // The server answers over HTTP but the WebSocket never opened: a proxy in between blocks
        // it, if it happens twice in a row (the first may be a server just coming up).
        blocked = diagnosis.blocked && this.transport === 'websocket';
        if (blocked && ++this.blockedHandshakes >= 2) this.fallback = true;
      }
      // While the server was being asked, a retry may have connected already (the browser's
      // 'online' event, a subscribe): that connection is the one now.
      if (this.socket || this.stopped || this.idle) return;
      if (this.fallback) {
        this.blockedHandshakes = 0;
        this.state('reconnecting', `${reason}; switching to Server-Sent Events`);
        this.connect();
        return;
      }
      if (event.code === 1001 && this.notice) {
        this.reconnectAfterDrain(this.notice, reason);
        return;
      }
      if (blocked) {
        this.state('reconnecting', `${reason}; trying WebSocket once more`, BLOCKED_RETRY_MS);
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.connect(), BLOCKED_RETRY_MS);
        return;
      }
      this.scheduleRetry(reason);
    };
  }

  /**
   * The server closed the connection because of what the page sent (1009: too large; 1003: not
   * acceptable): the request that did it, most likely the largest one sent, is never sent again as
   * it was. Symbols go out in requests of half its size from now on; a single symbol the server
   * still refuses is dropped.
   */
  refused(code) {
    if ((code !== 1009 && code !== 1003) || !this.largest?.request.symbols) return;
    const { request, bytes } = this.largest;
    if (code === 1009 && request.symbols.length > 1) {
      this.maxRequestBytes = Math.max(64, Math.floor(bytes / 2));
      return;
    }
    if (request.type === 'subscribe') {
      request.symbols.forEach((s) => this.wanted.delete(s));
      this.dispatchEvent(new CustomEvent('refused', { detail: { code, symbols: request.symbols } }));
    }
  }

  /**
   * Why a handshake failed: the browser does not say (it reports 1006 for a refused upgrade and
   * for a dead server alike), so ask the server over plain HTTP. The stream's own address answers
   * a plain request with the status its gate gave the handshake (401 token, 429 too many from this
   * address, 503 full or no market data); anything else, ask /health whether the server is up at all.
   */
  async diagnose() {
    try {
      const probe = new URL(this.url);
      probe.protocol = probe.protocol === 'wss:' ? 'https:' : 'http:';
      const refused = await fetch(probe, { cache: 'no-store' });
      const why = REFUSALS[refused.status];
      if (why) return { reason: why, blocked: false };
      const response = await fetch(new URL('health', document.baseURI), { cache: 'no-store' });
      return response.ok
        ? { reason: 'the server refused the stream (origin not allowed), or a proxy blocks WebSocket', blocked: true }
        : { reason: `the server is not ready (HTTP ${response.status})`, blocked: false };
    } catch {
      return { reason: 'the server is unreachable', blocked: false };
    }
  }

  scheduleRetry(reason) {
    this.attempt += 1;
    // Exponential backoff with jitter: half of 1 s, 2 s, 4 s, ... 30 s fixed, the other half at
    // random, so the waits grow whatever the dice say and reconnecting pages spread out.
    const ceiling = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(this.attempt, 6));
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.state(navigator.onLine ? 'reconnecting' : 'offline', reason, delay);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /**
   * The server said it was draining (a notice) and has now closed this connection: reconnect at a
   * random moment of a window that, with the server's own spread, makes the pages it drained come
   * back a few at a time. Its handshakes go to another server, or to this one once it is back.
   */
  reconnectAfterDrain(notice, reason) {
    const window = Math.max(MIN_DRAIN_JITTER_MS, DRAIN_RECONNECT_SPREAD_MS - (notice.drainMs || 0));
    const delay = Math.round(Math.random() * window);
    this.attempt = Math.max(this.attempt, 1);
    this.state('reconnecting', reason, delay);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  retryNow() {
    if (this.stopped || this.idle || this.socket) return;
    this.connect();
  }

  /** On the fallback, tries a WebSocket again later; over a WebSocket, stops trying. */
  scheduleUpgradeProbe() {
    clearTimeout(this.probeTimer);
    if (this.transport !== 'sse') {
      this.probeDelayMs = UPGRADE_PROBE_FIRST_MS;
      return;
    }
    this.probeTimer = setTimeout(() => this.probeWebSocket(), this.probeDelayMs);
    this.probeDelayMs = Math.min(UPGRADE_PROBE_MAX_MS, this.probeDelayMs * 2);
  }

  /**
   * Opens a WebSocket beside the live Server-Sent Events stream and waits for its welcome. If it
   * comes, the page moves over: the stream is closed and a WebSocket connection takes its place
   * (resubscribing, with a fresh snapshot, as after any reconnect). If not, it tries again later.
   */
  probeWebSocket() {
    const current = this.socket;
    if (this.transport !== 'sse' || current?.readyState !== OPEN) return;
    const probe = this.openWebSocket();
    let settled = false;
    const settle = (works) => {
      if (settled) return;
      settled = true;
      clearTimeout(giveUp);
      probe.close(1000, 'probe');
      if (this.socket !== current || this.stopped || this.idle) return;
      if (!works) {
        this.scheduleUpgradeProbe();
        return;
      }
      this.socket = null;         // its close is not a loss: no retry, no diagnosis
      current.close(1000, 'moving to WebSocket');
      this.blockedHandshakes = 0;
      this.state('reconnecting', 'WebSocket works again; moving over');
      this.connect();
    };
    const giveUp = setTimeout(() => settle(false), WELCOME_TIMEOUT_MS);
    probe.onmessage = (event) => {
      let type = null;
      try {
        type = JSON.parse(text(event.data)).type;
      } catch {
        // not ticker.v1: the probe failed
      }
      settle(type === 'welcome');
    };
    probe.onclose = () => settle(false);
  }

  /** A WebSocket to the stream, offering the protocols this page speaks. */
  openWebSocket() {
    const socket = new WebSocket(this.url, this.protocols);
    socket.binaryType = 'arraybuffer';
    return socket;
  }

  /** With nothing to watch, holds no connection (the server would close it for that anyway). */
  idleIfNothingWanted() {
    if (this.wanted.size > 0 || this.idle || this.stopped) return;
    this.idle = true;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'nothing to watch');
    this.state('idle', 'nothing to watch: add a symbol');
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
        this.welcomed = true;
        this.heartbeatMs = frame.heartbeatMs;
        this.limits = { ...DEFAULT_LIMITS, ...frame.limits };
        this.maxRequestBytes = Math.min(this.maxRequestBytes, this.limits.maxMessageBytes);
        this.tokens = this.limits.maxMessageBurst;
        this.tokensAt = performance.now();
        this.state('live');
        this.scheduleUpgradeProbe();
        // After a reconnect, subscribe again to what was wanted; on the first connect the page
        // decides what to subscribe to when it sees the welcome.
        if (this.wanted.size > 0) this.request('subscribe', [...this.wanted]);
        this.dispatchEvent(new CustomEvent('welcome', { detail: frame }));
        this.idleIfNothingWanted();
        break;
      case 'pong': {
        const sentAt = this.pings.get(frame.id);
        this.pings.delete(frame.id);
        if (sentAt !== undefined) {
          this.dispatchEvent(new CustomEvent('latency', { detail: performance.now() - sentAt }));
        }
        break;
      }
      case 'snapshot':
      case 'ticks':
        // Only a connection that brought quotes resets the backoff: one the server closes right
        // after its welcome (or after the page's subscribe) must not be retried at full speed.
        if (!this.useful) {
          this.useful = true;
          this.attempt = 0;
        }
        this.dispatchEvent(new CustomEvent(frame.type, { detail: frame }));
        break;
      case 'subscribed':
        this.dispatchEvent(new CustomEvent(frame.type, { detail: frame }));
        this.idleIfNothingWanted();
        break;
      case 'notice':
        // The server is going away and says when it closes this connection; the close decides.
        this.notice = frame;
        this.dispatchEvent(new CustomEvent(frame.type, { detail: frame }));
        break;
      default:
        this.dispatchEvent(new CustomEvent(frame.type, { detail: frame }));
    }
  }

  tick() {
    const socket = this.socket;
    if (socket?.readyState !== OPEN) return;
    const now = performance.now();
    // Before the welcome the heartbeat is the last server's (or the default), and the welcome
    // timer is in charge; with a short heartbeat this check used to close a held-back WebSocket
    // first, and the page then retried WebSocket for ever instead of falling back.
    if (this.welcomed && now - this.lastFrameAt > 2.5 * this.heartbeatMs) {
      socket.close(4001, 'no frames from the server');   // silent server: reconnect
      return;
    }
    if (now - this.lastPingAt >= PING_EVERY_MS) {
      this.lastPingAt = now;
      const id = `p${this.nextId++}`;
      this.pings.set(id, now);
      if (this.pings.size > 10) this.pings.delete(this.pings.keys().next().value);
      this.send({ type: 'ping', id });
    }
  }

  state(state, reason = '', retryInMs = 0) {
    this.dispatchEvent(new CustomEvent('state', {
      detail: { state, reason, retryInMs, transport: this.transport, protocol: this.protocol },
    }));
  }
}

/** A frame's JSON text, whether it came as a text message or (the binary variant) as UTF-8 bytes. */
function text(data) {
  return typeof data === 'string' ? data : DECODER.decode(data);
}
