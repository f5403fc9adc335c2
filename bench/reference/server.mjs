// The reference server of the benchmark: protocol v1 (welcome, subscribe, subscribed, ticks,
// heartbeat, pong) on Node's `ws` library, written the way a hand-tuned broadcaster would be, so
// that the WAR's numbers have something to be measured against in the same run.
//
//   node --expose-gc server.mjs --port 18480 --symbols 500 --updates-per-second 1 --flush-millis 50
//
// Same model as the WAR: each symbol trades at the arrivals of its own Poisson process; each trade
// is encoded to JSON once; every flushMillis every connection gets at most one `ticks` frame holding
// the latest quote of each subscribed symbol that changed since its previous frame (conflation by
// version, nothing queued per tick). A connection whose previous frame has not left Node's buffer
// is skipped (one frame in flight); one stuck past --send-timeout-millis is closed with 4002.
//
// Tuned beyond the WAR's per-connection walk: connections that were up to date at the previous
// flush and are subscribed to every symbol share one pre-joined `data` string per flush, so the
// per-connection work is one string concatenation and one write. A client that offers
// `ticker.v1.binary` first gets every frame as a binary message of its UTF-8 JSON, the shared
// data encoded once per flush.
//
// GET /health answers {"sessions":N}; GET /gc runs a full GC (needs --expose-gc) and answers the
// heap then used, so the benchmark can read "heap after GC" as it does with jcmd on the JVM.

import http from 'node:http';
import { WebSocketServer } from 'ws';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const port = Number(args.port ?? 18480);
const symbolCount = Number(args.symbols ?? 500);
const updatesPerSecond = Number(args['updates-per-second'] ?? 4);
const flushMillis = Number(args['flush-millis'] ?? 50);
const heartbeatMillis = Number(args['heartbeat-millis'] ?? 10000);
const sendTimeoutMillis = Number(args['send-timeout-millis'] ?? 10000);
const maxSymbols = Number(args['max-symbols'] ?? symbolCount);
let seed = Number(args.seed ?? 1) >>> 0;

// mulberry32: small, seedable, good enough for a load source.
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function gaussian() {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
function exponential() {
  return -Math.log(1 - random());
}
const money = (cents) => (cents / 100).toFixed(2);

// ---- the market: GBM between Poisson arrivals, prices in cents --------------------------------
const start = Date.now();
const symbols = [];
const states = [];
for (let i = 0; i < symbolCount; i++) {
  const symbol = 'SYN' + String(i + 1).padStart(3, '0');
  const prevClose = Math.round(2000 + random() * 48000);
  symbols.push(symbol);
  states.push({
    index: i, symbol, prevClose, logPrice: Math.log(prevClose), open: prevClose, high: prevClose,
    low: prevClose, volume: 0, lastTime: 0, nextTime: exponential() / updatesPerSecond,
  });
}
const latest = new Array(symbolCount).fill(null);   // encoded JSON of each symbol's latest quote
const versions = new Float64Array(symbolCount);     // the board's tick counter at that quote
let version = 0;
let trades = 0;

function trade(s) {
  const dtYears = (s.nextTime - s.lastTime) * 60 / (252 * 6.5 * 3600);
  s.logPrice += -0.045 * dtYears + 0.3 * Math.sqrt(dtYears) * gaussian();
  const price = Math.max(1, Math.round(Math.exp(s.logPrice)));
  s.high = Math.max(s.high, price);
  s.low = Math.min(s.low, price);
  const lastSize = 100 * (1 + Math.floor(random() * 10));
  s.volume += lastSize;
  const spread = Math.max(1, Math.round(price * (2 + 4 * random()) / 10000));
  const bid = Math.max(1, price - Math.floor(spread / 2));
  const change = price - s.prevClose;
  const ts = start + Math.floor(s.nextTime * 1000);
  latest[s.index] = `{"symbol":"${s.symbol}","price":${money(price)},"bid":${money(bid)},"ask":${money(bid + spread)},`
    + `"bidSize":${100 * (1 + Math.floor(random() * 50))},"askSize":${100 * (1 + Math.floor(random() * 50))},`
    + `"lastSize":${lastSize},"volume":${s.volume},"open":${money(s.open)},"high":${money(s.high)},`
    + `"low":${money(s.low)},"prevClose":${money(s.prevClose)},"change":${money(change)},`
    + `"changePct":${money(Math.round(change * 10000 / s.prevClose))},"ts":${ts}}`;
  versions[s.index] = ++version;
  trades++;
  s.lastTime = s.nextTime;
  s.nextTime += exponential() / updatesPerSecond;
}

// A binary heap of symbols by next trade time.
const heap = states.slice().sort((a, b) => a.nextTime - b.nextTime);
function siftDown(i) {
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1, r = l + 1;
    let m = i;
    if (l < n && heap[l].nextTime < heap[m].nextTime) m = l;
    if (r < n && heap[r].nextTime < heap[m].nextTime) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m], heap[i]];
    i = m;
  }
}
function feed() {
  const now = (Date.now() - start) / 1000;
  while (heap[0].nextTime <= now) {
    trade(heap[0]);
    siftDown(0);
  }
}
setInterval(feed, 1);

// ---- the stream --------------------------------------------------------------------------------
const httpServer = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ sessions: clients.size, trades, uptimeMs: Date.now() - start, closedByServer }));
  } else if (req.url === '/gc') {
    if (global.gc) global.gc();
    const m = process.memoryUsage();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ heapUsedBytes: m.heapUsed + m.external + m.arrayBuffers, rssBytes: m.rss }));
  } else {
    res.writeHead(404).end();
  }
});
const wss = new WebSocketServer({
  server: httpServer,
  path: '/ticker/ws/quotes',
  perMessageDeflate: args['permessage-deflate'] === 'true',
  maxPayload: 4096,
  // The client's first offer that is spoken here, as the WAR does: ticker.v1 or ticker.v1.binary.
  handleProtocols: (offered) => [...offered].find((p) => p === 'ticker.v1' || p === 'ticker.v1.binary') ?? false,
});
const clients = new Set();
const closedByServer = {};

wss.on('connection', (ws) => {
  const client = {
    ws, binary: ws.protocol === 'ticker.v1.binary', seq: 0, all: false, subscribed: new Uint8Array(symbolCount), list: [],
    sent: new Float64Array(symbolCount), upToDate: -1, lastSentAt: Date.now(), stuckSince: 0,
  };
  clients.add(client);
  send(client, `{"type":"welcome","seq":${++client.seq},"ts":${Date.now()},"protocol":"ticker.v1",`
    + `"heartbeatMs":${heartbeatMillis},"limits":{"maxSymbols":${maxSymbols},"maxMessageBytes":4096,`
    + `"maxMessagesPerSecond":20},"symbols":${JSON.stringify(symbols)}}`);
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'binary frames are not accepted');
    let request;
    try { request = JSON.parse(data); } catch { return reply(client, null, 'error', ',"code":"BAD_REQUEST","message":"not JSON"'); }
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      return reply(client, null, 'error', ',"code":"BAD_REQUEST","message":"not a JSON object"');
    }
    const id = request.id === undefined ? null : JSON.stringify(request.id);
    if (request.type === 'subscribe' && Array.isArray(request.symbols)) {
      const wanted = request.symbols.includes('*') ? symbols : request.symbols;
      const snapshot = [];
      for (const symbol of wanted) {
        const index = typeof symbol === 'string' ? symbolIndex.get(symbol.toUpperCase()) : undefined;
        if (index === undefined || client.subscribed[index] || client.list.length >= maxSymbols) continue;
        client.subscribed[index] = 1;
        client.list.push(index);
        client.sent[index] = versions[index];
        if (request.snapshot !== false && latest[index]) snapshot.push(latest[index]);
      }
      client.all = client.list.length === symbolCount;
      reply(client, id, 'subscribed', `,"symbols":${JSON.stringify(client.list.map((i) => symbols[i]))},"rejected":[]`);
      if (snapshot.length) reply(client, null, 'snapshot', `,"data":[${snapshot.join(',')}]`);
    } else if (request.type === 'ping') {
      reply(client, id, 'pong', '');
    } else {
      reply(client, id, 'error', ',"code":"UNKNOWN_TYPE","message":"unknown type"');
    }
  });
  ws.on('close', () => clients.delete(client));
  ws.on('error', () => clients.delete(client));
});
const symbolIndex = new Map(symbols.map((s, i) => [s, i]));

function reply(client, id, type, body) {
  send(client, `{"type":"${type}"${id === null ? '' : `,"id":${id}`},"seq":${++client.seq},"ts":${Date.now()}${body}}`);
}
function send(client, frame) {
  client.lastSentAt = Date.now();
  client.ws.send(client.binary ? Buffer.from(frame) : frame, { binary: client.binary });
}
const END = Buffer.from(']}');

// The shared part of this flush: every symbol that changed since the previous flush.
let flushes = 0;
let previousFlushVersion = 0;
function flush() {
  const now = Date.now();
  flushes++;
  const changed = [];
  for (let i = 0; i < symbolCount; i++) {
    if (versions[i] > previousFlushVersion) changed.push(i);
  }
  const sharedData = changed.map((i) => latest[i]).join(',');
  let sharedBytes = null;            // sharedData as UTF-8, once per flush, for binary clients
  for (const client of clients) {
    if (client.ws.readyState !== 1) continue;
    if (client.ws.bufferedAmount > 0) {               // the previous frame is still in flight
      if (client.stuckSince === 0) client.stuckSince = now;
      else if (now - client.stuckSince > sendTimeoutMillis) {
        closedByServer[4002] = (closedByServer[4002] ?? 0) + 1;
        client.ws.close(4002, 'slow consumer');
        setTimeout(() => client.ws.terminate(), 1000).unref();
        clients.delete(client);
      }
      client.upToDate = -1;
      continue;
    }
    client.stuckSince = 0;
    let data;
    const shared = client.all && client.upToDate === flushes - 1;
    if (shared) {
      data = sharedData;
      for (const i of changed) client.sent[i] = versions[i];
    } else {
      const parts = [];
      for (const i of client.list) {
        if (versions[i] > client.sent[i]) {
          client.sent[i] = versions[i];
          parts.push(latest[i]);
        }
      }
      data = parts.join(',');
    }
    client.upToDate = flushes;
    if (data.length > 0 && client.binary && shared) {
      sharedBytes ??= Buffer.from(sharedData);
      client.lastSentAt = now;
      client.ws.send(Buffer.concat([Buffer.from(`{"type":"ticks","seq":${++client.seq},"ts":${now},"data":[`, 'latin1'),
        sharedBytes, END]), { binary: true });
    } else if (data.length > 0) {
      send(client, `{"type":"ticks","seq":${++client.seq},"ts":${now},"data":[${data}]}`);
    } else if (now - client.lastSentAt >= heartbeatMillis) {
      send(client, `{"type":"heartbeat","seq":${++client.seq},"ts":${now}}`);
    }
  }
  previousFlushVersion = version;
}
// Scheduled against the clock, like a fixed-rate executor: a slow flush does not push every later
// one back (a plain setInterval would, and conflate more than the policy says).
let nextFlush = Date.now() + flushMillis;
function scheduleFlush() {
  setTimeout(() => {
    flush();
    nextFlush += flushMillis;
    if (nextFlush < Date.now()) nextFlush = Date.now();
    scheduleFlush();
  }, Math.max(0, nextFlush - Date.now()));
}
scheduleFlush();

httpServer.listen({ port, backlog: 4096 }, () => {
  console.log(`reference server on ws://localhost:${port}/ticker/ws/quotes: ${symbolCount} symbols, `
    + `${updatesPerSecond} trades/symbol/s, flush every ${flushMillis} ms`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const client of clients) client.ws.close(1001, 'server shutting down');
    setTimeout(() => process.exit(0), 200);
  });
}
