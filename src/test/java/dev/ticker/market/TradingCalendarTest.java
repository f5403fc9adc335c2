package dev.ticker.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TradingCalendarTest {

    private static final long START = 1_763_712_000_000L;

    /** The default day at the default time scale: 390 real seconds open, 60 closed. */
    @Test
    void theMarketOpensAtTheStartClosesAfterTheSessionAndOpensAgainAfterTheClosedPeriod() {
        TradingCalendar calendar = TradingCalendar.of(MarketConfig.defaults(1), START);
        assertEquals(new MarketStatus(true, 0, START, START + 390_000, START + 450_000, 60), calendar.at(START));
        assertTrue(calendar.at(START + 389_999).open());
        assertEquals(new MarketStatus(false, 0, START, START + 390_000, START + 450_000, 60), calendar.at(START + 390_000));
        assertFalse(calendar.at(START + 449_999).open());
        assertEquals(new MarketStatus(true, 1, START + 450_000, START + 840_000, START + 900_000, 60), calendar.at(START + 450_000));
        assertEquals(1000, calendar.at(START + 1000L * 450_000 + 5).session());
    }

    @Test
    void aMarketWithoutAClosedPeriodIsAlwaysOpenAndRollsEverySession() {
        TradingCalendar calendar = new TradingCalendar(START, 60, 390, 0);
        assertEquals(new MarketStatus(true, 0, START, START + 390_000, START + 390_000, 60), calendar.at(START + 389_999));
        assertEquals(new MarketStatus(true, 1, START + 390_000, START + 780_000, START + 780_000, 60), calendar.at(START + 390_000));
    }

    @Test
    void theStateChangesKeyExactlyWhenTheMarketOpensClosesOrRolls() {
        TradingCalendar calendar = new TradingCalendar(START, 60, 10, 5);
        long changes = 0;
        long key = calendar.at(START).key();
        for (long t = START; t < START + 150_000; t += 7) {
            long now = calendar.at(t).key();
            if (now != key) {
                changes++;
                key = now;
            }
        }
        assertEquals(19, changes, "10 opens and 10 closes in 150 s, less the first open");
    }

    @Test
    void beforeTheStartTheFirstSessionCounts() {
        assertEquals(0, new TradingCalendar(START, 60, 390, 60).at(START - 5_000).session());
    }

    @Test
    void sessionsOutsideADayAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MarketConfig(30, 1, 4, 60, 0, 60));
        assertThrows(IllegalArgumentException.class, () -> new MarketConfig(30, 1, 4, 60, 1441, 60));
        assertThrows(IllegalArgumentException.class, () -> new MarketConfig(30, 1, 4, 60, 390, -1));
    }
}
