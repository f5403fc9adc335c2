// Wiring: the socket feeds the session's bars, the table, the detail view, the movers and the
// connection panel; the watchlist decides what is subscribed, and its symbols' history is fetched
// on every connect, so a reload or a reconnect leaves no hole in the charts.
import { TickerSocket } from './ticker-socket.js';
import { Watchlist } from './watchlist.js';
import { SessionBars } from './session-bars.js';
import { HistoryLoader } from './history-loader.js';
import { Movers } from './movers.js';
import { QuoteTable } from './quote-table.js';
import { DetailView } from './detail-view.js';
import { ConnectionPanel } from './connection-panel.js';
import { Announcer } from './announcer.js';
import { MarketClock } from './market-clock.js';

const bars = new SessionBars();
const watchlist = new Watchlist();
const table = new QuoteTable(document.getElementById('quotes'), bars);
const detail = new DetailView(document.getElementById('detail'), bars);
const movers = new Movers(document.getElementById('movers'));
const panel = new ConnectionPanel(document.getElementById('connection'));
const socket = new TickerSocket();
const marketClock = new MarketClock(document.getElementById('market-state'));
const notice = document.getElementById('notice');
const addForm = document.getElementById('add-form');
const addInput = document.getElementById('add-symbol');
const latest = new Map();           // symbol -> latest quote
const loader = new HistoryLoader(socket, (reply) => {
  bars.set(reply);
  table.refresh(reply.symbol);
  detail.refresh(reply.symbol);
});
let universe = [];
let names = new Map();              // symbol -> instrument name

const announcer = new Announcer(document.getElementById('announcer'), () => table.quotes());

function tell(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

socket.addEventListener('state', ({ detail: state }) => {
  panel.setState(state);
  if (state.state === 'live') tell('');
});

// A draining server says when it will close this connection; the page reconnects by itself then.
socket.addEventListener('notice', ({ detail: frame }) => {
  if (frame.reason !== 'draining') return;
  const seconds = Math.max(1, Math.ceil((frame.closesAt - frame.ts) / 1000));
  tell(`This server is going away in about ${seconds} s; the page will reconnect by itself.`);
});

socket.addEventListener('welcome', ({ detail: welcome }) => {
  universe = welcome.symbols;
  names = new Map((welcome.instruments ?? []).map((i) => [i.symbol, i.name]));
  document.getElementById('universe').replaceChildren(...universe.map((s) => new Option(names.get(s) ?? '', s)));
  marketClock.set(welcome.market, welcome.ts);
  bars.setMarket(welcome.market);
  if (welcome.market) table.setMarketOpen(welcome.market.state === 'open');
  // A first visit watches the universe, as much of it as one connection may subscribe to.
  watchlist.initialize(universe.slice(0, welcome.limits?.maxSymbols ?? universe.length));
  table.setSymbols(watchlist.symbols);
  table.setSort(watchlist.sort);
  if (socket.wanted.size === 0) socket.subscribe(watchlist.symbols);
  // After the subscribe, so the snapshot comes first: the session's bars of every watched symbol.
  loader.reset(welcome);
  loader.want(watchlist.symbols);
});

socket.addEventListener('history', ({ detail: frame }) => loader.reply(frame));

function receive(quotes) {
  for (const q of quotes) {
    bars.add(q);
    latest.set(q.symbol, q);
    detail.update(q);
  }
  table.update(quotes);
  movers.update(watchlist.symbols.map((s) => latest.get(s)).filter(Boolean));
}

socket.addEventListener('snapshot', ({ detail: frame }) => { panel.frame(frame.data.length); receive(frame.data); });
socket.addEventListener('ticks', ({ detail: frame }) => { panel.frame(frame.data.length); receive(frame.data); });
socket.addEventListener('heartbeat', () => panel.frame(0));
socket.addEventListener('market', ({ detail: frame }) => {
  panel.frame(0);
  marketClock.set(frame, frame.ts);
  bars.setMarket(frame);
  announcer.say(frame.state === 'open' ? 'The market is open.' : 'The market has closed.');
  table.setMarketOpen(frame.state === 'open');
});
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
  if (loader.owns(error.id)) {
    loader.error(error);       // retried by the loader; not the person's business
    return;
  }
  console.warn('ticker server error', error.code, error.message);
  if (error.code === 'RATE_LIMITED') tell('Slow down: the server is dropping requests from this page.');
});

table.addEventListener('sort', ({ detail: key }) => {
  watchlist.setSort(key);
  table.setSort(watchlist.sort);
});

const narrow = matchMedia('(max-width: 600px)');

function select(symbol) {
  table.select(symbol);
  detail.show(symbol, latest.get(symbol));
  // On a phone the panel is below the table: bring it into view.
  if (narrow.matches) detail.root.scrollIntoView({ block: 'start' });
}

function remove(symbol) {
  watchlist.remove(symbol);
  socket.unsubscribe([symbol]);
  bars.forget(symbol);
  latest.delete(symbol);
  table.setSymbols(watchlist.symbols);
  if (detail.symbol === symbol) detail.hide();
}

table.addEventListener('select', ({ detail: symbol }) => select(symbol));
movers.addEventListener('select', ({ detail: symbol }) => select(symbol));
table.addEventListener('remove', ({ detail: symbol }) => remove(symbol));
detail.addEventListener('remove', () => {
  const symbol = detail.symbol;
  remove(symbol);
  table.select(null);
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

/** The symbol a person typed: a symbol itself, or an instrument's name (whole, or the start of just one). */
function resolve(text) {
  const typed = text.trim();
  const upper = typed.toUpperCase();
  if (universe.length === 0 || universe.includes(upper)) return upper;
  const lower = typed.toLowerCase();
  const named = [...names].filter(([, name]) => name.toLowerCase() === lower);
  if (named.length === 1) return named[0][0];
  const starting = [...names].filter(([, name]) => name.toLowerCase().startsWith(lower));
  return starting.length === 1 ? starting[0][0] : upper;
}

addForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const symbol = resolve(addInput.value);
  if (!symbol) return;
  if (universe.length > 0 && !universe.includes(symbol)) {
    tell(`${addInput.value.trim()}: not traded on this market. Pick one from the list (symbols or names).`);
    return;
  }
  if (watchlist.has(symbol)) {
    tell(`${symbol} is already on the watchlist.`);
  } else {
    tell('');
    watchlist.add(symbol);
    table.setSymbols(watchlist.symbols);
    socket.subscribe([symbol]);
    loader.want([symbol]);
  }
  addInput.value = '';
});

socket.start();
