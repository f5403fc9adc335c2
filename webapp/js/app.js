// Wiring: the socket feeds the history, the table, the detail view and the connection panel; the
// watchlist decides what is subscribed.
import { TickerSocket } from './ticker-socket.js';
import { Watchlist } from './watchlist.js';
import { History } from './history.js';
import { QuoteTable } from './quote-table.js';
import { DetailView } from './detail-view.js';
import { ConnectionPanel } from './connection-panel.js';
import { Announcer } from './announcer.js';

const history = new History();
const watchlist = new Watchlist();
const table = new QuoteTable(document.getElementById('quotes'), history);
const detail = new DetailView(document.getElementById('detail'), history);
const panel = new ConnectionPanel(document.getElementById('connection'));
const socket = new TickerSocket();
const notice = document.getElementById('notice');
const addForm = document.getElementById('add-form');
const addInput = document.getElementById('add-symbol');
const latest = new Map();           // symbol -> latest quote
let universe = [];

new Announcer(document.getElementById('announcer'), () => table.quotes());

function tell(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

socket.addEventListener('state', ({ detail: state }) => {
  panel.setState(state);
  if (state.state === 'live') tell('');
});

socket.addEventListener('welcome', ({ detail: welcome }) => {
  universe = welcome.symbols;
  document.getElementById('universe').replaceChildren(...universe.map((s) => new Option('', s)));
  // A first visit watches the universe, as much of it as one connection may subscribe to.
  watchlist.initialize(universe.slice(0, welcome.limits?.maxSymbols ?? universe.length));
  table.setSymbols(watchlist.symbols);
  table.setSort(watchlist.sort);
  if (socket.wanted.size === 0) socket.subscribe(watchlist.symbols);
});

function receive(quotes) {
  for (const q of quotes) {
    history.add(q);
    latest.set(q.symbol, q);
    detail.update(q);
  }
  table.update(quotes);
}

socket.addEventListener('snapshot', ({ detail: frame }) => { panel.frame(frame.data.length); receive(frame.data); });
socket.addEventListener('ticks', ({ detail: frame }) => { panel.frame(frame.data.length); receive(frame.data); });
socket.addEventListener('heartbeat', () => panel.frame(0));
socket.addEventListener('latency', ({ detail: ms }) => panel.latency(ms));

socket.addEventListener('subscribed', ({ detail: reply }) => {
  const limited = reply.rejected.filter((r) => r.code === 'SYMBOL_LIMIT').map((r) => r.symbol);
  const unknown = reply.rejected.filter((r) => r.code === 'UNKNOWN_SYMBOL').map((r) => r.symbol);
  for (const symbol of [...limited, ...unknown]) {
    watchlist.remove(symbol);
    socket.wanted.delete(symbol);
  }
  if (limited.length + unknown.length > 0) table.setSymbols(watchlist.symbols);
  if (limited.length > 0) {
    tell(`Too many symbols: the server streams at most ${reply.symbols.length} per connection, `
      + `so ${limited.join(', ')} ${limited.length === 1 ? 'was' : 'were'} not added. Remove some to add others.`);
  } else if (unknown.length > 0) {
    tell(`${unknown.join(', ')}: not traded on this market.`);
  }
});

socket.addEventListener('refused', ({ detail: { symbols } }) => {
  for (const symbol of symbols) watchlist.remove(symbol);
  table.setSymbols(watchlist.symbols);
  tell(`The server would not take ${symbols.join(', ')}; ${symbols.length === 1 ? 'it was' : 'they were'} removed.`);
});

socket.addEventListener('error', ({ detail: error }) => {
  console.warn('ticker server error', error.code, error.message);
  if (error.code === 'RATE_LIMITED') tell('Slow down: the server is dropping requests from this page.');
});

table.addEventListener('sort', ({ detail: key }) => {
  watchlist.setSort(key);
  table.setSort(watchlist.sort);
});

table.addEventListener('select', ({ detail: symbol }) => {
  table.select(symbol);
  detail.show(symbol, latest.get(symbol));
});

table.addEventListener('remove', ({ detail: symbol }) => {
  watchlist.remove(symbol);
  socket.unsubscribe([symbol]);
  history.forget(symbol);
  latest.delete(symbol);
  table.setSymbols(watchlist.symbols);
  if (detail.symbol === symbol) detail.hide();
});

detail.addEventListener('close', () => {
  detail.hide();
  table.select(null);
});

addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && detail.symbol) {
    const symbol = detail.symbol;
    detail.hide();
    table.select(null);
    table.rows.get(symbol)?.tr.focus();
  }
});

addForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const symbol = addInput.value.trim().toUpperCase();
  if (!symbol) return;
  if (universe.length > 0 && !universe.includes(symbol)) {
    tell(`${symbol}: not traded on this market. Pick one from the list.`);
    return;
  }
  if (watchlist.has(symbol)) {
    tell(`${symbol} is already on the watchlist.`);
  } else {
    tell('');
    watchlist.add(symbol);
    table.setSymbols(watchlist.symbols);
    socket.subscribe([symbol]);
  }
  addInput.value = '';
});

socket.start();
