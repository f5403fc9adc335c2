package dev.ticker.market;

/**
 * Whether the market trades at some instant, and its session's times (epoch ms).
 *
 * @param open        whether it is in a session
 * @param session     the current session, or the last one while closed: 0, 1, 2, ...
 * @param opensAt     when that session opened
 * @param closesAt    when it closes (or, while closed, closed)
 * @param nextOpensAt when the next session opens
 * @param timeScale   simulated seconds per real second, for a clock of simulated time
 */
public record MarketStatus(boolean open, long session, long opensAt, long closesAt, long nextOpensAt, double timeScale) {

    /** Changes exactly when the market opens, closes or rolls to a new session. */
    public long key() {
        return session * 2 + (open ? 1 : 0);
    }
}
