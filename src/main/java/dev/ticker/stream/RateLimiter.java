package dev.ticker.stream;

/**
 * One connection's request budget, a token bucket: it holds up to {@code burst} tokens and
 * refills at {@code perSecond}; a request that finds a token passes. A request that finds the
 * bucket empty is dropped and answered ({@code RATE_LIMITED}), and takes from a second bucket,
 * the client's patience, which holds {@code perSecond} and refills at a fifth of that: a client
 * that keeps sending a little over the rate is told so, one that sends at twice the rate for about
 * a second (or bursts past {@code burst + perSecond} at once) is abusive and gets closed.
 *
 * <p>Time is in milliseconds and only ever moves forward here (an earlier {@code now} refills
 * nothing). Tokens are counted in thousandths, so the arithmetic stays exact in longs.
 *
 * <p>Not thread safe: its owner ({@link Connection}, the HTTP API's per-address limits) guards it.
 */
public final class RateLimiter {

    /** What to do with one request. */
    public enum Verdict { ALLOW, LIMIT, ABUSE }

    /** Patience refills at perSecond / PATIENCE_DIVISOR: sustained overload is abuse after a few seconds. */
    static final int PATIENCE_DIVISOR = 5;
    private static final long UNIT = 1000;        // thousandths of a token

    private final long burst;                     // in thousandths
    private final long perSecond;                 // requests per second
    private final long patienceMax;               // in thousandths
    private long tokens;
    private long patience;
    private long last;

    public RateLimiter(int perSecond, int burst, long now) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive: " + perSecond + ", " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst * UNIT;
        this.patienceMax = perSecond * UNIT;
        this.tokens = this.burst;
        this.patience = this.patienceMax;
        this.last = now;
    }

    public Verdict check(long now) {
        long elapsed = Math.max(0, now - last);
        last = Math.max(last, now);
        // perSecond tokens per 1000 ms = perSecond thousandths per ms. Capped to avoid overflow
        // after a long quiet spell: a minute refills any bucket we allow.
        long millis = Math.min(elapsed, 60_000);
        tokens = Math.min(burst, tokens + millis * perSecond);
        patience = Math.min(patienceMax, patience + millis * perSecond / PATIENCE_DIVISOR);
        if (tokens >= UNIT) {
            tokens -= UNIT;
            return Verdict.ALLOW;
        }
        if (patience >= UNIT) {
            patience -= UNIT;
            return Verdict.LIMIT;
        }
        return Verdict.ABUSE;
    }
}
