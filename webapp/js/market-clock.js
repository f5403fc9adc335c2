// The market's state in the header: "Open · 11:42" (simulated time of day, the session opening at
// 09:30) or "Closed · opens in 0:43" (real time), from welcome's and each market frame's times.
const OPENING_MINUTE = 9 * 60 + 30;

function twoDigits(n) {
  return String(n).padStart(2, '0');
}

function countdown(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${twoDigits(seconds % 60)}`;
}

export class MarketClock {
  constructor(element) {
    this.element = element;
    this.status = null;
    this.skew = 0;          // server clock minus this one, from the frame that carried the status
    setInterval(() => this.render(), 1000);
  }

  /** The market's state from welcome.market or a market frame; {@code serverTs} is that frame's ts. */
  set(status, serverTs) {
    if (!status) return;
    this.status = status;
    this.skew = serverTs ? serverTs - Date.now() : 0;
    this.render();
  }

  /** Whether the market is closed (the page keeps quiet about stale rows then). */
  get closed() {
    return this.status?.state === 'closed';
  }

  render() {
    const s = this.status;
    if (!s) return;
    const now = Date.now() + this.skew;
    this.element.dataset.state = s.state;
    if (s.state === 'open') {
      const minutes = Math.floor(((now - s.opensAt) / 60000) * s.timeScale) + OPENING_MINUTE;
      const clock = `${twoDigits(Math.floor(minutes / 60) % 24)}:${twoDigits(minutes % 60)}`;
      this.element.textContent = `Open · ${clock}`;
      this.element.title = `Session ${s.session}, simulated time; closes in ${countdown(s.closesAt - now)}`;
    } else {
      this.element.textContent = `Closed · opens in ${countdown(s.nextOpensAt - now)}`;
      this.element.title = `Session ${s.session} has closed`;
    }
  }
}
