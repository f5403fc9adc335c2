package dev.ticker.stream.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Any server frame as the UTF-8 bytes of its JSON: the payload of a binary message in the
 * {@code ticker.v1.binary} variant, byte for byte {@link FrameText#of} encoded as UTF-8:
 * <pre>{@code
 * {"type":"ticks","seq":4,"ts":1763712000100,"data":[{"symbol":"AAPL","price":189.55,…}]}
 * }</pre>
 * {@link #eventStream} wraps the same bytes as a Server-Sent Event.
 * A {@code ticks} or {@code snapshot} frame copies its batch's bytes, encoded once for every
 * connection that receives the batch, behind an envelope of ASCII written straight into the
 * frame's one array: no String, no character encoder on the send path.
 */
public final class FrameBytes {

    private static final byte[] TICKS = ascii("{\"type\":\"ticks\",\"seq\":");
    private static final byte[] SNAPSHOT = ascii("{\"type\":\"snapshot\",\"seq\":");
    private static final byte[] TS = ascii(",\"ts\":");
    private static final byte[] DATA = ascii(",\"data\":[");
    private static final byte[] END = ascii("]}");
    private static final byte[] EVENT_ID = ascii("id: ");
    private static final byte[] EVENT_DATA = ascii("\ndata: ");
    private static final byte[] EVENT_END = ascii("]}\n\n");

    private FrameBytes() {
    }

    /** The UTF-8 JSON of {@code event}. */
    public static byte[] of(Event event) {
        if (event instanceof Ticks t) {
            return withQuotes(false, TICKS, t.seq(), t.ts(), t.data());
        } else if (event instanceof Snapshot s) {
            return withQuotes(false, SNAPSHOT, s.seq(), s.ts(), s.data());
        }
        return FrameText.of(event).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code event} as one Server-Sent Event, UTF-8: {@code id: SEQ}, {@code data: JSON} and the
     * empty line that ends it.
     */
    public static byte[] eventStream(Event event) {
        if (event instanceof Ticks t) {
            return withQuotes(true, TICKS, t.seq(), t.ts(), t.data());
        } else if (event instanceof Snapshot s) {
            return withQuotes(true, SNAPSHOT, s.seq(), s.ts(), s.data());
        }
        return ("id: " + event.seq() + "\ndata: " + FrameText.of(event) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withQuotes(boolean eventStream, byte[] head, long seq, long ts, QuoteBatch data) {
        byte[] quotes = data.utf8();
        byte[] end = eventStream ? EVENT_END : END;
        int event = eventStream ? EVENT_ID.length + digits(seq) + EVENT_DATA.length : 0;
        byte[] out = new byte[event + head.length + digits(seq) + TS.length + digits(ts) + DATA.length + quotes.length + end.length];
        int at = 0;
        if (eventStream) {
            at = put(EVENT_ID, out, at);
            at = putLong(seq, out, at);
            at = put(EVENT_DATA, out, at);
        }
        at = put(head, out, at);
        at = putLong(seq, out, at);
        at = put(TS, out, at);
        at = putLong(ts, out, at);
        at = put(DATA, out, at);
        at = put(quotes, out, at);
        put(end, out, at);
        return out;
    }

    private static int put(byte[] bytes, byte[] out, int at) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    /** How many characters {@code Long.toString(value)} has. */
    static int digits(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        int sign = value < 0 ? 1 : 0;
        long v = Math.abs(value);
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n + sign;
    }

    /** Writes {@code Long.toString(value)} as ASCII at {@code at}; returns the index after it. */
    static int putLong(long value, byte[] out, int at) {
        if (value == Long.MIN_VALUE) {
            return put(ascii(Long.toString(value)), out, at);
        }
        int end = at + digits(value);
        int i = end;
        long v = Math.abs(value);
        do {
            out[--i] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        if (value < 0) {
            out[--i] = '-';
        }
        return end;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
