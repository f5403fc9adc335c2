// Screen readers: a polite summary of the market, at most every 30 seconds, and only while the
// page is visible, so it informs without talking over everything else.

import { signed } from './format.js';

const EVERY_MS = 30000;

export class Announcer {
  constructor(region, quotes) {
    this.region = region;
    this.quotes = quotes;
    setInterval(() => this.announce(), EVERY_MS);
  }

  announce() {
    if (document.hidden) return;
    const all = this.quotes();
    if (all.length === 0) return;
    const best = all.reduce((a, b) => (b.changePct > a.changePct ? b : a));
    const worst = all.reduce((a, b) => (b.changePct < a.changePct ? b : a));
    const up = all.filter((q) => q.change > 0).length;
    this.say(`${up} of ${all.length} up. Best ${best.symbol} ${signed.format(best.changePct)}%, `
      + `worst ${worst.symbol} ${signed.format(worst.changePct)}%.`);
  }

  say(text) {
    this.region.textContent = text;
  }
}
