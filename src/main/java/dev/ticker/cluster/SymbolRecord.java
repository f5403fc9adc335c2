package dev.ticker.cluster;

import dev.ticker.market.Market;
import dev.ticker.market.Quote;

/**
 * One symbol's entry in the stored state: how many trades it has had and everything its future
 * depends on ({@link Market.SymbolSnapshot}), as one line of text. Doubles travel as their exact
 * bits, so a successor restores them to the last bit:
 * <pre>{@code
 * 42,40d7a0c2a2b1c3d4,4010000000000000,4010333333333333,18950,19002,18871,1534200,-81985529216486896,
 * 18952,18950,18955,1200,800,300,1534200,18910,19002,18871,18950,2,1,1763712000123,3,3
 * }</pre>
 * (one line; wrapped here): trades, log price, last and next print time, open, high, low, volume,
 * generator state, the quote's fields in {@link Quote}'s order after the symbol, then the sessions
 * of the last and the next print. A record of 23 fields (written before sessions existed) reads
 * with unknown sessions, which the market then takes from its calendar.
 */
record SymbolRecord(long trades, Market.SymbolSnapshot snapshot) {

    private static final int FIELDS = 25;
    private static final int FIELDS_BEFORE_SESSIONS = 23;

    String encode() {
        Market.SymbolSnapshot s = snapshot;
        Quote q = s.quote();
        StringBuilder out = new StringBuilder(200);
        out.append(trades).append(',')
                .append(Long.toHexString(Double.doubleToRawLongBits(s.logPrice()))).append(',')
                .append(Long.toHexString(Double.doubleToRawLongBits(s.lastTime()))).append(',')
                .append(Long.toHexString(Double.doubleToRawLongBits(s.nextTime()))).append(',')
                .append(s.open()).append(',').append(s.high()).append(',').append(s.low()).append(',')
                .append(s.volume()).append(',').append(s.random()).append(',')
                .append(q.priceCents()).append(',').append(q.bidCents()).append(',').append(q.askCents()).append(',')
                .append(q.bidSize()).append(',').append(q.askSize()).append(',').append(q.lastSize()).append(',')
                .append(q.volume()).append(',').append(q.openCents()).append(',').append(q.highCents()).append(',')
                .append(q.lowCents()).append(',').append(q.prevCloseCents()).append(',').append(q.changeCents()).append(',')
                .append(q.changeBasisPoints()).append(',').append(q.ts()).append(',')
                .append(s.session()).append(',').append(s.nextSession());
        return out.toString();
    }

    /** The record of {@code symbol} in {@code text}; fails with {@link IllegalArgumentException} on anything else. */
    static SymbolRecord decode(String symbol, String text) {
        String[] f = text.split(",", -1);
        if (f.length != FIELDS && f.length != FIELDS_BEFORE_SESSIONS) {
            throw new IllegalArgumentException("stored state of " + symbol + " has " + f.length + " fields, not " + FIELDS);
        }
        try {
            Quote quote = new Quote(symbol, Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11]),
                    Integer.parseInt(f[12]), Integer.parseInt(f[13]), Integer.parseInt(f[14]), Long.parseLong(f[15]),
                    Long.parseLong(f[16]), Long.parseLong(f[17]), Long.parseLong(f[18]), Long.parseLong(f[19]),
                    Long.parseLong(f[20]), Long.parseLong(f[21]), Long.parseLong(f[22]));
            Market.SymbolSnapshot snapshot = new Market.SymbolSnapshot(bits(f[1]), bits(f[2]), bits(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]),
                    Long.parseLong(f[8]), quote, f.length == FIELDS ? Long.parseLong(f[23]) : -1,
                    f.length == FIELDS ? Long.parseLong(f[24]) : -1);
            return new SymbolRecord(Long.parseLong(f[0]), snapshot);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stored state of " + symbol + " does not parse: " + e.getMessage(), e);
        }
    }

    private static double bits(String hex) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    }
}
