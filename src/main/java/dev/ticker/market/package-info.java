/**
 * The simulated market: instruments, a price model (geometric Brownian motion, mean-reverting over
 * years) driven by Poisson arrivals, the feed that replays it in real time, and the clocks that time
 * it. Plain Java: nothing here knows about servlets or WebSockets, so it can be tested, benchmarked
 * and reused on its own.
 */
package dev.ticker.market;
