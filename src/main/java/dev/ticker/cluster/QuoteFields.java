package dev.ticker.cluster;

/**
 * Reads the few fields a node's bars need (price, lastSize, ts) straight out of a quote's JSON
 * on the bus, without parsing the rest: the JSON is this app's own ({@code QuoteEncoder}), a flat
 * object whose numbers are plain decimals, prices with two decimals:
 * <pre>{@code
 * {"symbol":"AAPL","price":189.52,…,"lastSize":300,…,"ts":1763712000123}
 * }</pre>
 */
final class QuoteFields {

    /** The fields read, as they appear in the JSON: {@code "price":} and so on. */
    static final String PRICE = "\"price\":";
    static final String LAST_SIZE = "\"lastSize\":";
    static final String TS = "\"ts\":";

    private QuoteFields() {
    }

    /** The integer value of {@code field} (a key as {@link #TS}) in the object at {@code text[from..]}. */
    static long number(String text, int from, String field) {
        int at = valueAt(text, from, field);
        boolean negative = text.charAt(at) == '-';
        long value = 0;
        for (int i = negative ? at + 1 : at; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return negative ? -value : value;
    }

    /** The money value of {@code field} (a key as {@link #PRICE}; two decimals) in cents. */
    static long cents(String text, int from, String field) {
        int at = valueAt(text, from, field);
        long value = 0;
        int decimals = -1;
        for (int i = at; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                decimals = 0;
                continue;
            }
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            if (decimals >= 0) {
                decimals++;
            }
        }
        for (int d = Math.max(0, decimals); d < 2; d++) {
            value *= 10;
        }
        return value;
    }

    private static int valueAt(String text, int from, String field) {
        int at = text.indexOf(field, from);
        if (at < 0) {
            throw new IllegalArgumentException("no " + field + " in " + text.substring(from, Math.min(text.length(), from + 200)));
        }
        return at + field.length();
    }
}
