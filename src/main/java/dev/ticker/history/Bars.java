package dev.ticker.history;

/**
 * One symbol's bars of one session, oldest first: {@code size()} bars, each a simulated minute in
 * which the symbol traded (minutes without a trade have no bar). Prices in cents.
 *
 * @param symbol    the instrument
 * @param session   the session they are of
 * @param opensAt   when that session opened, epoch ms
 * @param closesAt  when it closes (or closed), epoch ms
 * @param barMillis real milliseconds a bar spans: a simulated minute at the market's time scale
 * @param minutes   each bar's minute of the session, from 0
 * @param values    five per bar: open, high, low, close, volume
 */
public record Bars(String symbol, long session, long opensAt, long closesAt, double barMillis, int[] minutes, int[] values) {

    public int size() {
        return minutes.length;
    }

    /** When bar {@code i} starts, epoch ms: its minute on the market's clock. */
    public long start(int i) {
        return opensAt + (long) Math.floor(minutes[i] * barMillis);
    }

    public long open(int i) {
        return values[5 * i];
    }

    public long high(int i) {
        return values[5 * i + 1];
    }

    public long low(int i) {
        return values[5 * i + 2];
    }

    public long close(int i) {
        return values[5 * i + 3];
    }

    public long volume(int i) {
        return values[5 * i + 4];
    }
}
