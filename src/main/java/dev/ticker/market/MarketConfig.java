package dev.ticker.market;

/**
 * How the simulated market behaves.
 *
 * @param symbols          size of the universe: the first {@code symbols} of {@link Universe#standard}
 *                         and, past the built-in list, generated ones
 * @param seed             seed of every random draw; the same seed gives the same ticks
 * @param updatesPerSecond mean updates per symbol per real second (Poisson arrivals)
 * @param timeScale        simulated trading seconds per real second; at 1 a price moves as slowly
 *                         as a real one, which on a screen looks frozen
 */
public record MarketConfig(int symbols, long seed, double updatesPerSecond, double timeScale) {

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
    }

    /** 30 symbols, 4 updates per symbol per second, one real second is one trading minute. */
    public static MarketConfig defaults(long seed) {
        return new MarketConfig(30, seed, 4, 60);
    }
}
