package dev.ticker.stream.protocol;

import dev.ticker.market.Quote;
import java.util.Objects;

/**
 * A quote with its JSON, made once by {@link QuoteEncoder} when the tick is produced and then
 * copied into the frame of every subscriber.
 */
public record EncodedQuote(Quote quote, String json) {

    public EncodedQuote {
        Objects.requireNonNull(quote, "quote");
        Objects.requireNonNull(json, "json");
    }

    public static EncodedQuote of(Quote quote) {
        return new EncodedQuote(quote, QuoteEncoder.toJson(quote));
    }
}
