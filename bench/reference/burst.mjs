// A handshake burst from Node's ws client, beside the load generator's: the JDK's WebSocket client
// opens at most ~850 connections a second on this machine however many run, which would hide the
// server's own rate. Warms the server up with unmeasured bursts (the first of --prewarm
// connections, the others of --clients), at least --warm-bursts of them and for at least
// --warm-seconds, prints a line "measuring", then measures --rounds bursts of --clients opening
// handshakes at once, each closed before the next, and prints one JSON line: the median round's
// count opened, time until the last one opened, rate and handshake-time percentiles (connect to
// 101), every round's rate, the failures of all rounds, and the client's CPU per measured handshake.
//
//   node burst.mjs --url ws://localhost:18480/ticker/ws/quotes --clients 2000 --prewarm 500 \
//       --warm-bursts 3 --warm-seconds 30 --rounds 5
import WebSocket from 'ws';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const url = args.url ?? 'ws://localhost:18480/ticker/ws/quotes';
const clients = Number(args.clients ?? 2000);
const prewarm = Number(args.prewarm ?? 500);
const warmBursts = Number(args['warm-bursts'] ?? 3);
const warmSeconds = Number(args['warm-seconds'] ?? 0);
const rounds = Number(args.rounds ?? 5);

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

// Warm-up: the same bursts, unmeasured. A JVM server compiles its upgrade path only after a few
// thousand handshakes (one burst of 500 left Tomcat at half its warm rate); a server that has been
// up for a while has long done so. A count of bursts is not enough: a JVM's compiler was still half
// of WildFly's CPU over three bursts after the first 500, and its rounds kept rising; hence time too.
const warmStart = performance.now();
let warmed = 0;
while (warmed < warmBursts || (warmSeconds > 0 && (performance.now() - warmStart) / 1000 < warmSeconds)) {
  const warm = await open(warmed === 0 ? prewarm : clients);
  await new Promise((r) => setTimeout(r, 1000));
  warm.sockets.forEach((ws) => ws.terminate());
  await new Promise((r) => setTimeout(r, 2000));
  warmed++;
}
const warmedSeconds = Math.round((performance.now() - warmStart) / 1000);
// The caller samples the server's CPU here and when this process ends.
console.log('measuring');
const cpu0 = process.cpuUsage();

const measured = [];
for (let i = 0; i < rounds; i++) {
  const burst = await open(clients);
  burst.times.sort((a, b) => a - b);
  const at = (p) => Math.round(burst.times[Math.min(burst.times.length - 1, Math.floor(burst.times.length * p))] ?? 0);
  measured.push({
    opened: burst.times.length, handshakesFailed: burst.failed, seconds: Number(burst.seconds.toFixed(3)),
    handshakesPerSecond: Math.round(burst.times.length / burst.seconds),
    handshakeMs: { p50: at(0.5), p99: at(0.99), max: Math.round(burst.times.at(-1) ?? 0), count: burst.times.length },
  });
  await new Promise((r) => setTimeout(r, 1000));
  burst.sockets.forEach((ws) => ws.terminate());
  await new Promise((r) => setTimeout(r, 2000));
}
// The median round by rate stands for the run; every round is listed beside it.
const cpu = process.cpuUsage(cpu0);
const handshakes = rounds * clients;
const median = measured.slice().sort((a, b) => a.handshakesPerSecond - b.handshakesPerSecond)[Math.floor(rounds / 2)];
console.log(JSON.stringify({
  clients, prewarm, warmBursts: warmed, warmSeconds: warmedSeconds,
  rounds: measured.length, ...median,
  handshakesFailed: measured.reduce((sum, r) => sum + r.handshakesFailed, 0),
  roundsPerSecond: measured.map((r) => r.handshakesPerSecond),
  handshakesTotal: handshakes,
  clientCpuMicrosPerHandshake: Math.round((cpu.user + cpu.system) / handshakes),
}));
process.exit(0);
