package dev.ticker.stream;

/**
 * Counts one connection's requests in one-second windows. Up to {@code limit} per window pass;
 * the next {@code limit} are answered with {@code RATE_LIMITED}; past twice the limit in a window,
 * or over the limit in {@value #STRIKES} windows in a row, the client is abusive and is closed.
 *
 * <p>Not thread safe: {@link Connection} guards it.
 */
final class RateLimiter {

    /** What to do with one request. */
    enum Verdict { ALLOW, LIMIT, ABUSE }

    static final int STRIKES = 5;
    private static final long WINDOW_MILLIS = 1000;

    private final int limit;
    private long windowStart = Long.MIN_VALUE / 2;   // "long ago", without overflow in now - windowStart
    private int count;
    private int strikes;

    RateLimiter(int limit) {
        this.limit = limit;
    }

    Verdict check(long now) {
        if (now - windowStart >= WINDOW_MILLIS) {
            boolean overLastWindow = count > limit;
            boolean consecutive = now - windowStart < 2 * WINDOW_MILLIS;
            strikes = overLastWindow && consecutive ? strikes : 0;
            windowStart = now;
            count = 0;
        }
        count++;
        if (count <= limit) {
            return Verdict.ALLOW;
        }
        if (count == limit + 1 && ++strikes >= STRIKES) {
            return Verdict.ABUSE;
        }
        return count <= 2 * limit ? Verdict.LIMIT : Verdict.ABUSE;
    }
}
