package dev.ticker.market;

/**
 * How the simulated market behaves.
 *
 * @param symbols          size of the universe: the first {@code symbols} of {@link Universe#standard}
 *                         and, past the built-in list, generated ones
 * @param seed             seed of every random draw; the same seed gives the same ticks
 * @param updatesPerSecond mean trades per symbol per real second while the market is open (Poisson arrivals)
 * @param timeScale        simulated trading seconds per real second; at 1 a price moves as slowly
 *                         as a real one, which on a screen looks frozen
 * @param sessionMinutes   simulated minutes a session trades (390: a 6.5-hour day)
 * @param closedMinutes    simulated minutes the market is closed between sessions; 0 for a market
 *                         that never closes but still rolls to a new session every sessionMinutes
 */
public record MarketConfig(int symbols, long seed, double updatesPerSecond, double timeScale, int sessionMinutes,
                           int closedMinutes) {

    /** The longest session, and the longest closed period: a day. */
    public static final int MAX_SESSION_MINUTES = 24 * 60;
    public static final int DEFAULT_SESSION_MINUTES = 390;
    public static final int DEFAULT_CLOSED_MINUTES = 60;

    /** Seconds in a trading year: 252 sessions of 6.5 hours. Volatility and drift are per this year. */
    public static final double TRADING_SECONDS_PER_YEAR = 252 * 6.5 * 3600;

    public MarketConfig {
        if (symbols < 1 || symbols > Universe.MAX_SIZE) {
            throw new IllegalArgumentException("symbols must be in [1, " + Universe.MAX_SIZE + "]: " + symbols);
        }
        if (!(updatesPerSecond > 0 && updatesPerSecond <= 1000)) {
            throw new IllegalArgumentException("updatesPerSecond must be in (0, 1000]: " + updatesPerSecond);
        }
        if (!(timeScale > 0 && timeScale <= 1_000_000)) {
            throw new IllegalArgumentException("timeScale must be in (0, 1000000]: " + timeScale);
        }
        if (sessionMinutes < 1 || sessionMinutes > MAX_SESSION_MINUTES) {
            throw new IllegalArgumentException("sessionMinutes must be in [1, " + MAX_SESSION_MINUTES + "]: " + sessionMinutes);
        }
        if (closedMinutes < 0 || closedMinutes > MAX_SESSION_MINUTES) {
            throw new IllegalArgumentException("closedMinutes must be in [0, " + MAX_SESSION_MINUTES + "]: " + closedMinutes);
        }
    }

    /** A market with the default sessions: 6.5 hours open, one hour closed. */
    public MarketConfig(int symbols, long seed, double updatesPerSecond, double timeScale) {
        this(symbols, seed, updatesPerSecond, timeScale, DEFAULT_SESSION_MINUTES, DEFAULT_CLOSED_MINUTES);
    }

    /** 30 symbols, 4 updates per symbol per second, one real second is one trading minute, default sessions. */
    public static MarketConfig defaults(long seed) {
        return new MarketConfig(30, seed, 4, 60);
    }
}
