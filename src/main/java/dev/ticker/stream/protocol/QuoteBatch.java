package dev.ticker.stream.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code data} of a {@code ticks} or {@code snapshot} frame: quotes already encoded, and their
 * JSON already joined, so that a batch many connections receive alike (every connection subscribed
 * to the whole universe gets the same quotes in a flush) is put together once, not once per
 * connection. Immutable, so one batch can be handed to any number of sessions.
 */
public final class QuoteBatch {

    private final List<EncodedQuote> quotes;
    private final String json;
    // Encoded on first use, by the binary variant only; two threads racing both compute the same bytes.
    private volatile byte[] utf8;

    private QuoteBatch(List<EncodedQuote> quotes) {
        this.quotes = quotes;
        int size = 0;
        for (EncodedQuote quote : quotes) {
            size += quote.json().length() + 1;
        }
        StringBuilder joined = new StringBuilder(size);
        for (int i = 0; i < quotes.size(); i++) {
            if (i > 0) {
                joined.append(',');
            }
            joined.append(quotes.get(i).json());
        }
        this.json = joined.toString();
    }

    /** A batch of {@code quotes}, in that order; no element may be null. */
    public static QuoteBatch of(List<EncodedQuote> quotes) {
        return new QuoteBatch(List.copyOf(quotes));
    }

    public List<EncodedQuote> quotes() {
        return quotes;
    }

    public int size() {
        return quotes.size();
    }

    /** The quotes' JSON objects separated by commas: the inside of the {@code data} array. */
    public String json() {
        return json;
    }

    /**
     * {@link #json()} as UTF-8, encoded once however many connections send it. The array is
     * shared: read it, never write it.
     */
    public byte[] utf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = json.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "QuoteBatch" + quotes;
    }
}
