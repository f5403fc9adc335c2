package dev.ticker.market;

/**
 * When the simulated market trades: sessions of {@code sessionMinutes} of simulated time, each
 * followed by {@code closedMinutes} closed, from {@code startMillis} on, all sped up by the time
 * scale. Session 0 opens at {@code startMillis}; session {@code k} opens {@code k} periods later.
 * At the default settings (390 and 60 minutes at a time scale of 60) a session lasts 6.5 real
 * minutes and the market is closed for one. The calendar is fixed by its start: every node of a
 * cluster computes the same one, and a market that paused still closes on time.
 *
 * <p>Times inside are real seconds since the start, as {@link Market} keeps them.
 */
public record TradingCalendar(long startMillis, double timeScale, int sessionMinutes, int closedMinutes) {

    public TradingCalendar {
        if (sessionMinutes < 1 || sessionMinutes > MarketConfig.MAX_SESSION_MINUTES) {
            throw new IllegalArgumentException("sessionMinutes must be in [1, " + MarketConfig.MAX_SESSION_MINUTES + "]: " + sessionMinutes);
        }
        if (closedMinutes < 0 || closedMinutes > MarketConfig.MAX_SESSION_MINUTES) {
            throw new IllegalArgumentException("closedMinutes must be in [0, " + MarketConfig.MAX_SESSION_MINUTES + "]: " + closedMinutes);
        }
    }

    /** The calendar of {@code config}'s market opening at {@code startMillis}. */
    public static TradingCalendar of(MarketConfig config, long startMillis) {
        return new TradingCalendar(startMillis, config.timeScale(), config.sessionMinutes(), config.closedMinutes());
    }

    /** Real seconds a session lasts. */
    public double sessionSeconds() {
        return sessionMinutes * 60.0 / timeScale;
    }

    /** Real seconds from one open to the next. */
    public double periodSeconds() {
        return (sessionMinutes + closedMinutes) * 60.0 / timeScale;
    }

    /** When session {@code k} opens, in real seconds since the start. */
    public double openOf(long k) {
        return k * periodSeconds();
    }

    /** When session {@code k} closes (its last trade is before this), in real seconds since the start. */
    public double closeOf(long k) {
        return openOf(k) + sessionSeconds();
    }

    /** The first session to open at or after {@code seconds} since the start. */
    long firstOpenAtOrAfter(double seconds) {
        long k = (long) Math.ceil(seconds / periodSeconds());
        // Rounding may put k one too low or high; the open itself decides.
        while (openOf(k) < seconds) {
            k++;
        }
        while (k > 0 && openOf(k - 1) >= seconds) {
            k--;
        }
        return Math.max(0, k);
    }

    /** The last session to open at or before {@code seconds} since the start (0 before the start). */
    long sessionAt(double seconds) {
        long k = firstOpenAtOrAfter(seconds);
        return openOf(k) > seconds ? Math.max(0, k - 1) : k;
    }

    /** Epoch milliseconds of {@code seconds} since the start, on the same rounding as every quote's {@code ts}. */
    public long toMillis(double seconds) {
        return startMillis + (long) Math.floor(seconds * 1000);
    }

    /** The session (the current one, or while closed the last) at {@code epochMillis}; 0 before the start. */
    public long sessionAtMillis(long epochMillis) {
        double seconds = Math.max(0, (epochMillis - startMillis) / 1000.0);
        long k = (long) Math.floor(seconds / periodSeconds());
        while (k > 0 && toMillis(openOf(k)) > epochMillis) {
            k--;
        }
        while (toMillis(openOf(k + 1)) <= epochMillis) {
            k++;
        }
        return k;
    }

    /**
     * The market's state at {@code epochMillis}: open or closed, in which session, and when it
     * opened, closes (or closed) and next opens. Before the start, session 0 as if open.
     */
    public MarketStatus at(long epochMillis) {
        // The same boundaries as the quotes' times: a session is open from toMillis(open) up to,
        // not including, toMillis(close).
        long k = sessionAtMillis(epochMillis);
        long closesAt = toMillis(closeOf(k));
        return new MarketStatus(closedMinutes == 0 || epochMillis < closesAt, k, toMillis(openOf(k)), closesAt,
                toMillis(openOf(k + 1)), timeScale);
    }
}
