package dev.ticker.stream.protocol;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;

/**
 * About how many bytes a reply will take once encoded, from above, without encoding it: what a
 * connection's queued replies are bounded by. Text a client sent (rejected symbols, ids) is counted
 * at six bytes a character, as if every one were escaped ({@code \u0001}).
 */
public final class ReplySize {

    /** The envelope: {@code {"type":"subscribed","id":,"seq":1234567,"ts":1763712000000,...}}. */
    private static final int ENVELOPE = 96;

    private ReplySize() {
    }

    /** The estimate for {@code event}. */
    public static long of(Event event) {
        long bytes = ENVELOPE;
        if (event instanceof Subscribed s) {
            bytes += id(s.id()) + symbols(s.symbols());
            for (Rejection rejection : s.rejected()) {
                bytes += 6L * rejection.symbol().length() + 48;
            }
        } else if (event instanceof Unsubscribed u) {
            bytes += id(u.id()) + symbols(u.symbols());
        } else if (event instanceof Snapshot snapshot) {
            for (EncodedQuote quote : snapshot.data().quotes()) {
                bytes += quote.json().length() + 1;
            }
        } else if (event instanceof Pong p) {
            bytes += id(p.id());
        } else if (event instanceof History h) {
            bytes += id(h.id()) + 200 + 72L * h.bars().size();
        } else if (event instanceof ErrorMessage e) {
            bytes += id(e.id()) + 6L * e.message().length() + 32;
        }
        return bytes;
    }

    private static long symbols(List<String> symbols) {
        long bytes = 0;
        for (String symbol : symbols) {
            bytes += symbol.length() + 3;
        }
        return bytes;
    }

    private static long id(JsonValue id) {
        if (id == null) {
            return 0;
        }
        return id instanceof JsonString text ? 6L * text.getString().length() + 2 : id.toString().length();
    }
}
