// A handshake burst from Node's ws client, beside the load generator's: the JDK's WebSocket client
// opens at most ~850 connections a second on this machine however many run, which would hide the
// server's own rate. Opens --prewarm connections and closes them (a running server, not a cold
// one), then starts --clients opening handshakes at once and prints one JSON line: how many opened,
// failed, the time until the last one opened, and handshake-time percentiles (connect to 101).
//
//   node burst.mjs --url ws://localhost:18480/ticker/ws/quotes --clients 2000 --prewarm 500
import WebSocket from 'ws';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const url = args.url ?? 'ws://localhost:18480/ticker/ws/quotes';
const clients = Number(args.clients ?? 2000);
const prewarm = Number(args.prewarm ?? 500);

function open(n) {
  return new Promise((resolve) => {
    const sockets = [];
    const times = [];
    let done = 0;
    let failed = 0;
    const start = performance.now();
    const finish = () => {
      if (++done === n) resolve({ sockets, times, failed, seconds: (performance.now() - start) / 1000 });
    };
    for (let i = 0; i < n; i++) {
      const began = performance.now();
      const ws = new WebSocket(url, 'ticker.v1', { handshakeTimeout: 30000, perMessageDeflate: false });
      sockets.push(ws);
      ws.on('open', () => { times.push(performance.now() - began); finish(); });
      ws.on('error', () => { failed++; finish(); });
    }
  });
}

const warm = await open(prewarm);
await new Promise((r) => setTimeout(r, 1000));
warm.sockets.forEach((ws) => ws.terminate());
await new Promise((r) => setTimeout(r, 2000));

const burst = await open(clients);
burst.times.sort((a, b) => a - b);
const at = (p) => Math.round(burst.times[Math.min(burst.times.length - 1, Math.floor(burst.times.length * p))] ?? 0);
console.log(JSON.stringify({
  clients, opened: burst.times.length, handshakesFailed: burst.failed,
  seconds: Number(burst.seconds.toFixed(3)),
  handshakesPerSecond: Math.round(burst.times.length / burst.seconds),
  handshakeMs: { p50: at(0.5), p99: at(0.99), max: Math.round(burst.times.at(-1) ?? 0), count: burst.times.length },
}));
burst.sockets.forEach((ws) => ws.terminate());
process.exit(0);
