package dev.ticker.market;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One tradable symbol and the parameters of its price process.
 *
 * @param symbol         ticker symbol, upper case letters, digits and dots (e.g. {@code BRK.B})
 * @param name           display name
 * @param prevCloseCents yesterday's closing price in cents; the session starts near it
 * @param volatility     annualised volatility of log returns (0.25 = 25 %)
 * @param drift          annualised expected return (0.08 = 8 %); near {@code prevCloseCents} the log
 *                       price drifts at {@code drift - volatility^2 / 2}, and over years it is pulled
 *                       back towards it ({@link Market})
 */
public record Instrument(String symbol, String name, long prevCloseCents, double volatility, double drift) {

    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9][A-Z0-9.]{0,11}");

    public Instrument {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(name, "name");
        if (!SYMBOL.matcher(symbol).matches()) {
            throw new IllegalArgumentException("symbol must match " + SYMBOL + ": " + symbol);
        }
        if (prevCloseCents < 1) {
            throw new IllegalArgumentException(symbol + ": previous close must be at least 1 cent");
        }
        if (!(volatility > 0 && volatility < 5)) {
            throw new IllegalArgumentException(symbol + ": volatility must be in (0, 5): " + volatility);
        }
        if (!(Math.abs(drift) < 5)) {
            throw new IllegalArgumentException(symbol + ": drift must be in (-5, 5): " + drift);
        }
    }
}
