package dev.ticker.stream.protocol;

import dev.ticker.market.Quote;
import java.util.Objects;

/**
 * A symbol's quote as JSON, made once by {@link QuoteEncoder} when the trade is produced (or read
 * ready-made from the cluster's log) and then copied into the frame of every subscriber.
 */
public record EncodedQuote(String symbol, String json) {

    public EncodedQuote {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(json, "json");
    }

    public static EncodedQuote of(Quote quote) {
        return new EncodedQuote(quote.symbol(), QuoteEncoder.toJson(quote));
    }
}
