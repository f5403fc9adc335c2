package dev.ticker.loadgen;

/**
 * Reads the few fields the load generator needs from a protocol v1 frame without parsing the
 * whole JSON: {@code type}, {@code seq}, and the {@code ts} of every quote in {@code data}. A client
 * that parsed every frame into objects would measure its own parser, not the server.
 */
final class Frames {

    private Frames() {
    }

    /** The value of {@code "type"}, or null. */
    static String type(String frame) {
        int at = frame.indexOf("\"type\":\"");
        if (at < 0) {
            return null;
        }
        int start = at + 8;
        int end = start;
        while (end < frame.length() && frame.charAt(end) != '"') {
            end++;
        }
        return frame.substring(start, end);
    }

    /** The frame's {@code seq}, or -1. */
    static long seq(String frame) {
        int at = frame.indexOf("\"seq\":");
        return at < 0 ? -1 : number(frame, at + 6);
    }

    /**
     * Calls {@code each} with the {@code ts} of every quote in the frame's {@code data} array and
     * returns how many there were.
     */
    static int quoteTimes(String frame, java.util.function.LongConsumer each) {
        // String.indexOf is vectorised by the JIT; a char-by-char scan of a CharSequence was the
        // load generator's biggest cost after UTF-8 decoding.
        int data = frame.indexOf("\"data\":[");
        if (data < 0) {
            return 0;
        }
        int count = 0;
        int from = data;
        while (true) {
            int at = frame.indexOf("\"ts\":", from);
            if (at < 0) {
                return count;
            }
            each.accept(number(frame, at + 5));
            count++;
            from = at + 5;
        }
    }

    private static long number(String s, int i) {
        long value = 0;
        boolean any = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            any = true;
        }
        return any ? value : -1;
    }
}
