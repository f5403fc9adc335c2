package dev.ticker.market;

import java.time.Duration;

/** The machine's clocks, but with a wall clock that a test can set ahead or back, as NTP or an operator might. */
public final class JumpingClock implements TimeSource {

    private volatile long offsetMillis;

    /** Moves the wall clock by {@code by}; the monotonic clock does not notice. */
    public void jump(Duration by) {
        offsetMillis += by.toMillis();
    }

    @Override
    public long monotonicMillis() {
        return SYSTEM.monotonicMillis();
    }

    @Override
    public long epochMillis() {
        return SYSTEM.epochMillis() + offsetMillis;
    }
}
