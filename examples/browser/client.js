// A ticker.v1 client in the browser, on the ticker page's own transport module: ticker-socket.js
// connects, subscribes, reconnects with backoff and jitter and subscribes again, closes and
// reconnects on a gap in `seq`, and after a drain's notice and 1001 waits its share of the drain.
//
// ticker-socket.js sits next to this file: download it from your server (examples/README.md).
// Browsers load a module from another origin only if it sends CORS headers, which the ticker
// does not, so a page served elsewhere cannot import /ticker/js/ticker-socket.js directly.
//
// Its address is its command line: index.html?url=ws://HOST:PORT/ticker/ws/quotes&symbols=AAPL,MSFT&seconds=N
// With seconds=N it stops after N seconds and says on <body data-exit-code> what a command-line
// client's exit status would: 0 if a quote arrived, 1 if none did (2: nothing left to watch).
import { TickerSocket } from './ticker-socket.js';

const params = new URLSearchParams(location.search);
const url = params.get('url') || 'ws://localhost:8080/ticker/ws/quotes';
const symbols = (params.get('symbols') || 'AAPL,MSFT').split(',').filter(Boolean);
const seconds = Number(params.get('seconds') || 0);

function append(id, line) {
  const pre = document.getElementById(id);
  pre.append(`${line}\n`);
  while (pre.childNodes.length > 200) pre.firstChild.remove();
  pre.scrollTop = pre.scrollHeight;
}
const log = (line) => append('log', `# ${line}`);

// Its defaults take the stream's URL, and the Server-Sent Events fallback's, from the page's own
// address: right for a page served by the ticker, not for this one. (The fallback only works from
// the ticker's own origin: EventSource needs CORS too.)
const fallback = new URL(url);
fallback.protocol = fallback.protocol === 'wss:' ? 'https:' : 'http:';
fallback.pathname = fallback.pathname.replace(/ws\/quotes$/, 'sse/quotes');
const socket = new TickerSocket(url, fallback.href);

let quotes = 0;
const print = ({ detail: frame }) => {
  for (const q of frame.data) append('quotes', `${q.symbol} ${q.price.toFixed(2)}`);
  quotes += frame.data.length;
};
socket.addEventListener('snapshot', print);
socket.addEventListener('ticks', print);
socket.addEventListener('state', ({ detail: { state, reason, retryInMs } }) => {
  log([state, reason, retryInMs ? `retrying in ${(retryInMs / 1000).toFixed(1)} s` : ''].filter(Boolean).join(': '));
  if (state === 'idle') stop(2);   // every symbol was refused: nothing left to watch
});
socket.addEventListener('subscribed', ({ detail }) => {
  for (const r of detail.rejected ?? []) log(`rejected ${r.symbol}: ${r.code}`);
});
socket.addEventListener('gap', ({ detail: { expected, got } }) => log(`seq gap: expected ${expected}, got ${got}`));
socket.addEventListener('notice', ({ detail: { reason, closesAt } }) => {
  log(`notice: ${reason}, closing at ${new Date(closesAt).toISOString()}`);
});
socket.addEventListener('refused', ({ detail: { code, symbols: dropped } }) => {
  log(`closed ${code}: no longer asking for ${dropped.join(' ')}`);
});

function stop(exitCode) {
  if (document.body.dataset.exitCode) return;
  socket.stop();
  log(`stopped; ${quotes} quotes`);
  document.body.dataset.exitCode = String(exitCode);
}

socket.subscribe(symbols);   // sent after every welcome, so after every reconnect too
socket.start();
if (seconds > 0) setTimeout(() => stop(quotes > 0 ? 0 : 1), seconds * 1000);
