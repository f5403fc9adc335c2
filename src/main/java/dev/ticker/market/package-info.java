/**
 * The simulated market: instruments, a geometric Brownian motion price model driven by Poisson
 * arrivals, and the feed that replays it in real time. Plain Java: nothing here knows about
 * servlets or WebSockets, so it can be tested, benchmarked and reused on its own.
 */
package dev.ticker.market;
