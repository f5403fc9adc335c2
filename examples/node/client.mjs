#!/usr/bin/env node
// A ticker.v1 client (docs/protocol.md) on Node.js and the `ws` package.
//
//   node client.mjs [URL] [SYMBOL ...] [--seconds N]
//
// Prints one line per quote ("AAPL 189.52") on stdout, everything else on stderr as "# ...".
// Reconnects with exponential backoff and jitter, and subscribes again; a gap in `seq` or a silent
// server is a reason to reconnect too. With --seconds N it exits after N seconds: 0 if a quote
// arrived, 1 if none did. Exit 2: the server refused what this client sent, or its handshake.
import WebSocket from 'ws';

const DEFAULT_URL = 'ws://localhost:8080/ticker/ws/quotes';
// Closes that blame the client (protocol error, binary frame, bad UTF-8, policy, too big): sending
// the same again would be refused the same way, so this client stops instead.
const CLIENT_FAULT = new Set([1002, 1003, 1007, 1008, 1009]);

const args = process.argv.slice(2);
const at = args.indexOf('--seconds');
const seconds = at >= 0 ? Number(args.splice(at, 2)[1]) : 0;
const url = /^wss?:\/\//.test(args[0] ?? '') ? args.shift() : DEFAULT_URL;
const symbols = args.length > 0 ? args : ['AAPL', 'MSFT'];
if (!(seconds >= 0)) {
  console.error('usage: node client.mjs [URL] [SYMBOL ...] [--seconds N]');
  process.exit(2);
}

const log = (line) => console.error(`# ${line}`);
let socket = null;
let attempt = 0;        // failed connections since one last brought quotes
let quotes = 0;
let stopping = false;
let retryTimer;

function connect() {
  const ws = new WebSocket(url, 'ticker.v1', { handshakeTimeout: 10_000 });
  // seq, the heartbeat and a drain notice belong to one connection.
  const conn = { seq: 0, heartbeatMs: 10_000, notice: null, status: 0, retryAfter: 0, watchdog: null };
  socket = ws;
  const watch = () => {
    // The server is never silent for longer than heartbeatMs: 2.5 times that means a dead connection.
    clearTimeout(conn.watchdog);
    conn.watchdog = setTimeout(() => ws.terminate(), 2.5 * conn.heartbeatMs);
  };
  // A handshake refused with an HTTP status (401, 403, 429, 503): keep it, then let go.
  ws.on('unexpected-response', (req, res) => {
    conn.status = res.statusCode;
    conn.retryAfter = Number(res.headers['retry-after']) || 0;
    ws.terminate();
  });
  ws.on('error', (err) => log(`error: ${err.message}`));   // 'close' follows
  ws.on('open', watch);
  ws.on('message', (data) => {
    if (ws.readyState !== WebSocket.OPEN) return;   // closing: only its close matters now
    watch();
    const frame = JSON.parse(data.toString());
    // Frames are numbered 1, 2, 3, ... per connection: a gap means lost frames. A new connection
    // and its snapshot put that right.
    if (frame.seq !== conn.seq + 1) {
      log(`seq gap: expected ${conn.seq + 1}, got ${frame.seq}`);
      ws.close(4000, 'sequence gap');
      return;
    }
    conn.seq = frame.seq;
    switch (frame.type) {
      case 'welcome':
        conn.heartbeatMs = frame.heartbeatMs;
        log(`connected to ${url}`);
        ws.send(JSON.stringify({ type: 'subscribe', symbols }));   // at once, and after every reconnect
        break;
      case 'subscribed':
        for (const r of frame.rejected ?? []) log(`rejected ${r.symbol}: ${r.code}`);
        break;
      case 'snapshot':
      case 'ticks':
        attempt = 0;
        for (const q of frame.data) console.log(`${q.symbol} ${q.price.toFixed(2)}`);
        quotes += frame.data.length;
        break;
      case 'notice':     // the server is draining: it closes this connection with 1001 at closesAt
        conn.notice = frame;
        log(`notice: ${frame.reason}, closing at ${new Date(frame.closesAt).toISOString()}`);
        break;
      case 'error':
        log(`error ${frame.code}: ${frame.message}`);
        break;
      default:           // heartbeat, pong, market, and types added later: nothing to do
    }
  });
  ws.on('close', (code, reason) => {
    clearTimeout(conn.watchdog);
    if (stopping) return;
    if (conn.status === 401 || conn.status === 403) return stop(2, `handshake refused: HTTP ${conn.status}`);
    if (CLIENT_FAULT.has(code)) return stop(2, `closed ${code} (${reason}): the server blames this client`);
    if (code === 1001 && conn.notice) {
      // A drain: the server spreads its closes over drainMs; spread the reconnects over the rest of 5 s.
      const windowMs = Math.max(1000, 5000 - conn.notice.drainMs);
      return retry(`closed 1001 after a notice`, Math.random() * windowMs);
    }
    if (conn.retryAfter > 0) {   // 429, 503: not before Retry-After
      return retry(`handshake refused: HTTP ${conn.status}`, conn.retryAfter * 1000 + Math.random() * 1000);
    }
    // Exponential backoff with jitter: half of 1, 2, 4, ... 30 s fixed, the other half at random.
    attempt += 1;
    const ceiling = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    retry(conn.status ? `handshake refused: HTTP ${conn.status}` : `closed ${code}`, delay);
  });
}

function retry(why, delay) {
  log(`${why}; reconnecting in ${(delay / 1000).toFixed(1)} s`);
  retryTimer = setTimeout(connect, delay);
}

function stop(code, why) {
  if (stopping) return;
  stopping = true;
  log(`${why}; ${quotes} quotes`);
  clearTimeout(retryTimer);
  if (socket?.readyState === WebSocket.OPEN) socket.close(1000);
  else socket?.terminate();
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1000).unref();   // should the server not answer the close
}

if (seconds > 0) setTimeout(() => stop(quotes > 0 ? 0 : 1, `${seconds} s are up`), seconds * 1000);
process.on('SIGINT', () => stop(130, 'interrupted'));
connect();
