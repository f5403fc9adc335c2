// Clients for the permessage-deflate scenario, on Node's ws client: the JDK's WebSocket client the
// load generator uses cannot offer permessage-deflate, and this one can, with the same zlib the
// reference server compresses with. Opens --clients connections (offering the extension when
// --deflate true), subscribes each to "*", waits --warmup seconds, then counts for --duration
// seconds: quotes and frames delivered, latency of each quote from its ts to its arrival, seq gaps,
// and the bytes that came over the wire (what compression saves). Prints "measuring" when the
// window opens (the benchmark reads the server's CPU then) and one JSON line at its end, then stays
// connected for --hold seconds (the benchmark reads the server's memory then).
//
//   node clients.mjs --url ws://localhost:18480/ticker/ws/quotes --clients 500 --deflate true
import WebSocket from 'ws';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const url = args.url ?? 'ws://localhost:18480/ticker/ws/quotes';
const clients = Number(args.clients ?? 500);
const deflate = args.deflate === 'true';
const warmup = Number(args.warmup ?? 10);
const duration = Number(args.duration ?? 20);
const connectRate = Number(args['connect-rate'] ?? 500);
const hold = Number(args.hold ?? 0);      // seconds to stay connected after the result, for memory probes

const sockets = [];
let measuring = false;
let quotes = 0;
let frames = 0;
let gaps = 0;
let unexpectedCloses = 0;
let handshakesFailed = 0;
let negotiated = 0;
// Latency counts per whole millisecond up to a minute; later arrivals land in the last bucket.
const latency = new Float64Array(60_001);

function open() {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'ticker.v1', { handshakeTimeout: 30000, perMessageDeflate: deflate });
    let seq = 0;
    ws.on('open', () => {
      if (ws.extensions.includes('permessage-deflate')) negotiated++;
      ws.send('{"type":"subscribe","symbols":["*"],"snapshot":false}');
      sockets.push(ws);
      resolve();
    });
    ws.on('message', (data) => {
      const now = Date.now();
      const frame = JSON.parse(data);
      if (seq !== 0 && frame.seq !== seq + 1 && measuring) gaps++;
      seq = frame.seq;
      if (frame.type !== 'ticks' || !measuring) return;
      frames++;
      for (const q of frame.data) {
        quotes++;
        latency[Math.min(60_000, Math.max(0, now - q.ts))]++;
      }
    });
    ws.on('error', () => { handshakesFailed++; resolve(); });
    ws.on('close', (code) => { if (measuring && code !== 1000) unexpectedCloses++; });
  });
}

function wireBytes() {
  return sockets.reduce((sum, ws) => sum + (ws._socket?.bytesRead ?? 0), 0);
}

function percentile(p) {
  const total = latency.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let ms = 0; ms < latency.length; ms++) {
    seen += latency[ms];
    if (seen >= total * p) return ms;
  }
  return 0;
}

const cpu0 = process.cpuUsage();
for (let i = 0; i < clients; i += Math.max(1, Math.round(connectRate / 10))) {
  const batch = [];
  for (let j = i; j < Math.min(clients, i + Math.round(connectRate / 10)); j++) batch.push(open());
  await Promise.all(batch);
  await new Promise((r) => setTimeout(r, 100));
}
await new Promise((r) => setTimeout(r, warmup * 1000));

const bytes0 = wireBytes();
const clientCpu0 = process.cpuUsage(cpu0);
const started = performance.now();
measuring = true;
console.log('measuring');
await new Promise((r) => setTimeout(r, duration * 1000));
measuring = false;
const seconds = (performance.now() - started) / 1000;
const bytes = wireBytes() - bytes0;
const clientCpu = process.cpuUsage(cpu0);
const clientCpuSeconds = (clientCpu.user + clientCpu.system - clientCpu0.user - clientCpu0.system) / 1e6;
let max = 0;
for (let ms = latency.length - 1; ms >= 0; ms--) if (latency[ms] > 0) { max = ms; break; }

console.log(JSON.stringify({
  clients, deflate, negotiated, connectedAtEnd: sockets.filter((ws) => ws.readyState === 1).length,
  handshakesFailed, durationSeconds: Number(seconds.toFixed(3)), quotes, frames,
  quotesPerSecond: Math.round(quotes / seconds), framesPerSecond: Math.round(frames / seconds),
  wireBytesPerSecond: Math.round(bytes / seconds), wireBytesPerQuote: quotes === 0 ? 0 : Number((bytes / quotes).toFixed(1)),
  seqGaps: gaps, unexpectedCloses,
  quoteLatencyMs: { p50: percentile(0.5), p99: percentile(0.99), p999: percentile(0.999), max, count: quotes },
  loadgenCpuCores: Number((clientCpuSeconds / seconds).toFixed(3)),
}));
setTimeout(() => {
  sockets.forEach((ws) => ws.close(1000));
  setTimeout(() => process.exit(0), 500);
}, hold * 1000);
