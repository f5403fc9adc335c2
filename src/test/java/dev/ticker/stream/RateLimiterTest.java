package dev.ticker.stream;

import static dev.ticker.stream.RateLimiter.Verdict.ABUSE;
import static dev.ticker.stream.RateLimiter.Verdict.ALLOW;
import static dev.ticker.stream.RateLimiter.Verdict.LIMIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void aFullBucketLetsABurstThroughThenLimitsThenCallsItAbuse() {
        RateLimiter limiter = new RateLimiter(3, 5, 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(ALLOW, limiter.check(0), "burst request " + i);
        }
        // Empty: the next perSecond requests are limited (the client's patience), then abuse.
        assertEquals(LIMIT, limiter.check(0));
        assertEquals(LIMIT, limiter.check(0));
        assertEquals(LIMIT, limiter.check(0));
        assertEquals(ABUSE, limiter.check(0));
    }

    @Test
    void refillsAtTheRate() {
        RateLimiter limiter = new RateLimiter(10, 1, 0);
        assertEquals(ALLOW, limiter.check(0));
        assertEquals(LIMIT, limiter.check(50));     // half a token
        assertEquals(ALLOW, limiter.check(100));    // one token after 100 ms at 10/s
        assertEquals(LIMIT, limiter.check(100));
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        RateLimiter limiter = new RateLimiter(10, 2, 0);
        long later = 3_600_000;                     // an hour of silence still refills only 2
        assertEquals(ALLOW, limiter.check(later));
        assertEquals(ALLOW, limiter.check(later));
        assertEquals(LIMIT, limiter.check(later));
    }

    @Test
    void sendingSteadilyAtTheRateIsNeverLimited() {
        RateLimiter limiter = new RateLimiter(20, 1, 0);
        for (long t = 50; t < 60_000; t += 50) {
            assertEquals(ALLOW, limiter.check(t), "at " + t);
        }
    }

    @Test
    void slightlyOverTheRateIsLimitedButNotAbuse() {
        // 11 a second against 10: one in eleven is dropped, patience refills faster than that.
        RateLimiter limiter = new RateLimiter(10, 10, 0);
        int limited = 0;
        for (long i = 1; i <= 11 * 60; i++) {
            RateLimiter.Verdict verdict = limiter.check(i * 1000 / 11);
            assertEquals(false, verdict == ABUSE, "request " + i);
            limited += verdict == LIMIT ? 1 : 0;
        }
        assertEquals(true, limited > 0 && limited < 80, "limited " + limited);
    }

    @Test
    void twiceTheRateIsAbuseWithinSeconds() {
        RateLimiter limiter = new RateLimiter(10, 10, 0);
        long abusedAt = -1;
        for (long i = 1; i <= 20 * 10 && abusedAt < 0; i++) {
            if (limiter.check(i * 50) == ABUSE) {
                abusedAt = i * 50;
            }
        }
        // 10 a second over the rate drain a patience of 10 refilled at 2 a second: about 1.25 s
        // after the burst of 10 is spent, which itself takes a second at 20 a second.
        assertEquals(true, abusedAt > 1500 && abusedAt < 3500, "abuse at " + abusedAt + " ms");
    }

    @Test
    void aQuietSpellRestoresPatience() {
        RateLimiter limiter = new RateLimiter(2, 1, 0);
        limiter.check(0);
        assertEquals(LIMIT, limiter.check(0));
        assertEquals(LIMIT, limiter.check(0));
        // Patience refills at 2/5 a second: 2.5 s for one, 5 s for both.
        assertEquals(ALLOW, limiter.check(5000));
        assertEquals(LIMIT, limiter.check(5000));
        assertEquals(LIMIT, limiter.check(5000));
        assertEquals(ABUSE, limiter.check(5000));
    }

    @Test
    void clockGoingBackwardsRefillsNothing() {
        RateLimiter limiter = new RateLimiter(10, 1, 1000);
        assertEquals(ALLOW, limiter.check(1000));
        assertEquals(LIMIT, limiter.check(0));
        assertEquals(LIMIT, limiter.check(1050));    // 50 ms after the latest time seen: half a token
        assertEquals(ALLOW, limiter.check(1100));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 0, 0));
    }
}
