package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PongClockTest {

    @Test
    void readUpToIsTheLatestPingAnswered() {
        PongClock clock = new PongClock(30_000, 0);
        assertEquals(Long.MIN_VALUE, clock.readUpTo());
        clock.read(5_000, 5_010);
        clock.read(3_000, 9_000);        // an older ping answered later: the mark does not go back
        assertEquals(5_000, clock.readUpTo());
    }

    @Test
    void lagIsTheLongestRecentRoundTripAndFadesAfterTwoWindows() {
        PongClock clock = new PongClock(30_000, 0);
        assertEquals(0, clock.lag(0));
        clock.read(1_000, 21_000);       // 20 s
        clock.read(2_000, 2_005);
        assertEquals(20_000, clock.lag(25_000));
        assertEquals(20_000, clock.lag(30_000), "the window turned: still counts from the previous one");
        clock.read(40_000, 40_001);
        assertEquals(20_000, clock.lag(59_999));
        assertEquals(1, clock.lag(60_000), "two windows later only the recent round trip counts");
        assertEquals(0, clock.lag(90_000));
    }
}
