// Wiring: the socket feeds the table and the status bar.
import { TickerSocket } from './ticker-socket.js';
import { QuoteTable } from './quote-table.js';

const table = new QuoteTable(document.querySelector('#quotes tbody'));
const status = document.getElementById('status');
const statusText = document.getElementById('status-text');
const stats = document.getElementById('stats');
const notice = document.getElementById('notice');
const socket = new TickerSocket();

let frames = 0;
let quotes = 0;
let latency;

const LABELS = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' };

socket.addEventListener('state', ({ detail }) => {
  status.dataset.state = detail.state;
  statusText.textContent = LABELS[detail.state] + (detail.reason ? ` (${detail.reason})` : '');
  notice.hidden = detail.state !== 'reconnecting';
  if (detail.state === 'reconnecting') {
    notice.textContent = `Connection lost: ${detail.reason}. Retrying in ${Math.ceil(detail.retryInMs / 1000)} s; prices shown may be stale.`;
  }
});

socket.addEventListener('welcome', ({ detail }) => {
  if (table.rows.size === 0) table.setSymbols(detail.symbols);
  if (socket.wanted.size === 0) socket.subscribe(['*']);
});

for (const type of ['snapshot', 'ticks']) {
  socket.addEventListener(type, ({ detail }) => {
    frames += 1;
    quotes += detail.data.length;
    table.update(detail.data);
  });
}

socket.addEventListener('subscribed', ({ detail }) => {
  const limited = detail.rejected.filter((r) => r.code === 'SYMBOL_LIMIT').length;
  if (limited > 0) {
    notice.hidden = false;
    notice.textContent = `The server streams at most ${detail.symbols.length} symbols per connection; ${limited} are not shown live.`;
  }
});

socket.addEventListener('error', ({ detail }) => console.warn('server error', detail));
socket.addEventListener('latency', ({ detail }) => { latency = detail; });

setInterval(() => {
  const rtt = latency === undefined ? '–' : `${Math.round(latency)} ms`;
  stats.textContent = `${frames} frames/s · ${quotes} quotes/s · RTT ${rtt}`;
  frames = 0;
  quotes = 0;
}, 1000);

socket.start();
