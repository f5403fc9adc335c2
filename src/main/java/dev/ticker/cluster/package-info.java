/**
 * Cluster mode ({@code ticker.broker=redis://...}): several nodes share one market through Redis.
 * One node at a time leads (a fenced lease) and runs the market, appending its trades and state to
 * one Redis Stream; every node reads that stream and publishes it to its own board. Nothing here
 * is loaded while {@code ticker.broker} is empty. See {@code docs/scaling.md}.
 */
package dev.ticker.cluster;
