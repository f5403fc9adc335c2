package dev.ticker.reference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The market of bench/reference/server.mjs, line for line, so that both references serve the same
 * load: each symbol trades at the arrivals of its own Poisson process, its price a geometric
 * Brownian motion between them, prices in cents; each trade is encoded to JSON once, as UTF-8.
 * Not thread-safe: the event loop that owns it is the only caller.
 */
final class Market {

    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private final double updatesPerSecond;
    private final List<String> symbols = new ArrayList<>();
    private final Symbol[] states;
    private final PriorityQueue<Symbol> byNextTrade;
    private final byte[][] latest;          // UTF-8 JSON of each symbol's latest quote, null before its first
    private final long[] versions;          // the board's trade counter at that quote
    private long version;
    private int seed;

    private static final class Symbol {
        final int index;
        final String symbol;
        final long prevClose;
        final long open;
        double logPrice;
        long high;
        long low;
        long volume;
        double lastTime;
        double nextTime;

        Symbol(int index, String symbol, long prevClose) {
            this.index = index;
            this.symbol = symbol;
            this.prevClose = prevClose;
            this.open = prevClose;
            this.logPrice = Math.log(prevClose);
            this.high = prevClose;
            this.low = prevClose;
        }
    }

    Market(int symbolCount, double updatesPerSecond, int seed) {
        this.updatesPerSecond = updatesPerSecond;
        this.seed = seed;
        this.states = new Symbol[symbolCount];
        this.latest = new byte[symbolCount][];
        this.versions = new long[symbolCount];
        this.byNextTrade = new PriorityQueue<>(Math.max(1, symbolCount), (a, b) -> Double.compare(a.nextTime, b.nextTime));
        for (int i = 0; i < symbolCount; i++) {
            String symbol = String.format("SYN%03d", i + 1);
            Symbol s = new Symbol(i, symbol, Math.round(2000 + random() * 48000));
            s.nextTime = exponential() / updatesPerSecond;
            symbols.add(symbol);
            states[i] = s;
            byNextTrade.add(s);
        }
    }

    /** Plays every trade due by now. */
    void advance() {
        double now = (System.nanoTime() - startNanos) / 1e9;
        while (!byNextTrade.isEmpty() && byNextTrade.peek().nextTime <= now) {
            Symbol s = byNextTrade.poll();
            trade(s);
            byNextTrade.add(s);
        }
    }

    private void trade(Symbol s) {
        double dtYears = (s.nextTime - s.lastTime) * 60 / (252 * 6.5 * 3600);
        s.logPrice += -0.045 * dtYears + 0.3 * Math.sqrt(dtYears) * gaussian();
        long price = Math.max(1, Math.round(Math.exp(s.logPrice)));
        s.high = Math.max(s.high, price);
        s.low = Math.min(s.low, price);
        long lastSize = 100 * (1 + (long) Math.floor(random() * 10));
        s.volume += lastSize;
        long spread = Math.max(1, Math.round(price * (2 + 4 * random()) / 10000));
        long bid = Math.max(1, price - spread / 2);
        long change = price - s.prevClose;
        long ts = startMillis + (long) Math.floor(s.nextTime * 1000);
        StringBuilder json = new StringBuilder(320)
                .append("{\"symbol\":\"").append(s.symbol).append("\",\"price\":").append(money(price))
                .append(",\"bid\":").append(money(bid)).append(",\"ask\":").append(money(bid + spread))
                .append(",\"bidSize\":").append(100 * (1 + (long) Math.floor(random() * 50)))
                .append(",\"askSize\":").append(100 * (1 + (long) Math.floor(random() * 50)))
                .append(",\"lastSize\":").append(lastSize).append(",\"volume\":").append(s.volume)
                .append(",\"open\":").append(money(s.open)).append(",\"high\":").append(money(s.high))
                .append(",\"low\":").append(money(s.low)).append(",\"prevClose\":").append(money(s.prevClose))
                .append(",\"change\":").append(money(change))
                .append(",\"changePct\":").append(money(Math.round(change * 10000.0 / s.prevClose)))
                .append(",\"ts\":").append(ts).append('}');
        latest[s.index] = json.toString().getBytes(StandardCharsets.UTF_8);
        versions[s.index] = ++version;
        s.lastTime = s.nextTime;
        s.nextTime += exponential() / updatesPerSecond;
    }

    /** Cents as JavaScript's {@code (cents / 100).toFixed(2)} writes them: "-0.05", "123.40". */
    static String money(long cents) {
        long abs = Math.abs(cents);
        long fraction = abs % 100;
        return (cents < 0 ? "-" : "") + abs / 100 + (fraction < 10 ? ".0" : ".") + fraction;
    }

    List<String> symbols() {
        return symbols;
    }

    int size() {
        return states.length;
    }

    /** The encoded latest quote of symbol {@code index}, or null before its first trade. */
    byte[] latest(int index) {
        return latest[index];
    }

    long version(int index) {
        return versions[index];
    }

    /** The board's trade counter: how many trades so far. */
    long version() {
        return version;
    }

    long uptimeMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    // mulberry32, as the Node reference: small, seedable, good enough for a load source.
    private double random() {
        seed += 0x6d2b79f5;
        int t = seed;
        t = (t ^ (t >>> 15)) * (t | 1);
        t ^= t + (t ^ (t >>> 7)) * (t | 61);
        return Integer.toUnsignedLong(t ^ (t >>> 14)) / 4294967296.0;
    }

    private double gaussian() {
        return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    }

    private double exponential() {
        return -Math.log(1 - random());
    }
}
