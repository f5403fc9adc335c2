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

    // The same reads on a frame's UTF-8 bytes, for the lean client (LeanClients), which never
    // decodes a frame into a String. Every key and type name is ASCII, and UTF-8 never uses a byte
    // under 0x80 inside a longer character, so a byte match is a character match.

    private static final byte[] TYPE = ascii("\"type\":\"");
    private static final byte[] SEQ = ascii("\"seq\":");
    private static final byte[] DATA = ascii("\"data\":[");
    private static final byte[] TS = ascii("\"ts\":");

    /** Whether the frame's {@code type} is {@code name}. */
    static boolean typeIs(byte[] frame, int offset, int length, byte[] name) {
        int at = indexOf(frame, offset, offset + length, TYPE);
        if (at < 0) {
            return false;
        }
        int start = at + TYPE.length;
        if (start + name.length >= offset + length || frame[start + name.length] != '"') {
            return false;
        }
        return java.util.Arrays.equals(frame, start, start + name.length, name, 0, name.length);
    }

    /** The frame's {@code seq}, or -1. */
    static long seq(byte[] frame, int offset, int length) {
        int at = indexOf(frame, offset, offset + length, SEQ);
        return at < 0 ? -1 : number(frame, at + SEQ.length, offset + length);
    }

    /** As {@link #quoteTimes(String, java.util.function.LongConsumer)}, on the frame's bytes. */
    static int quoteTimes(byte[] frame, int offset, int length, java.util.function.LongConsumer each) {
        int end = offset + length;
        int from = indexOf(frame, offset, end, DATA);
        if (from < 0) {
            return 0;
        }
        int count = 0;
        while (true) {
            int at = indexOf(frame, from, end, TS);
            if (at < 0) {
                return count;
            }
            each.accept(number(frame, at + TS.length, end));
            count++;
            from = at + TS.length;
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The first index of {@code needle} in {@code bytes[from, to)}, or -1. */
    private static int indexOf(byte[] bytes, int from, int to, byte[] needle) {
        byte first = needle[0];
        int last = to - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (bytes[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long number(byte[] bytes, int i, int end) {
        long value = 0;
        boolean any = false;
        for (; i < end; i++) {
            int c = bytes[i];
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            any = true;
        }
        return any ? value : -1;
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
