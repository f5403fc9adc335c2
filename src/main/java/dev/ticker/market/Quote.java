package dev.ticker.market;

import java.util.Objects;

/**
 * The state of one symbol right after a trade. Money is in cents (the tick size is 0.01), so no
 * value ever carries a binary rounding error; {@link #changeBasisPoints} is the change against the
 * previous close in hundredths of a percent.
 *
 * @param symbol            the instrument
 * @param priceCents        last trade price
 * @param bidCents          best bid, always below {@code askCents}
 * @param askCents          best ask
 * @param bidSize           shares bid at the best bid
 * @param askSize           shares offered at the best ask
 * @param lastSize          shares in the last trade
 * @param volume            shares traded this session, never decreasing
 * @param openCents         first trade of the session
 * @param highCents         highest trade of the session
 * @param lowCents          lowest trade of the session
 * @param prevCloseCents    previous session's close
 * @param changeCents       {@code priceCents - prevCloseCents}
 * @param changeBasisPoints change against the previous close, 1 bp = 0.01 %
 * @param ts                epoch milliseconds at which the trade happened
 */
public record Quote(
        String symbol,
        long priceCents,
        long bidCents,
        long askCents,
        int bidSize,
        int askSize,
        int lastSize,
        long volume,
        long openCents,
        long highCents,
        long lowCents,
        long prevCloseCents,
        long changeCents,
        long changeBasisPoints,
        long ts) {

    public Quote {
        Objects.requireNonNull(symbol, "symbol");
    }
}
