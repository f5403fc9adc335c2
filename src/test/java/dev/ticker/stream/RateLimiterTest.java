package dev.ticker.stream;

import static dev.ticker.stream.RateLimiter.Verdict.ABUSE;
import static dev.ticker.stream.RateLimiter.Verdict.ALLOW;
import static dev.ticker.stream.RateLimiter.Verdict.LIMIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void allowsTheLimitThenLimitsThenCallsItAbuse() {
        RateLimiter limiter = new RateLimiter(3);
        assertEquals(ALLOW, limiter.check(0));
        assertEquals(ALLOW, limiter.check(10));
        assertEquals(ALLOW, limiter.check(20));
        assertEquals(LIMIT, limiter.check(30));
        assertEquals(LIMIT, limiter.check(40));
        assertEquals(LIMIT, limiter.check(50));
        assertEquals(ABUSE, limiter.check(60));
    }

    @Test
    void aNewWindowStartsAfterOneSecond() {
        RateLimiter limiter = new RateLimiter(2);
        limiter.check(0);
        limiter.check(1);
        assertEquals(LIMIT, limiter.check(2));
        assertEquals(ALLOW, limiter.check(1000));
        assertEquals(ALLOW, limiter.check(1001));
    }

    @Test
    void stayingOverTheLimitWindowAfterWindowIsAbuse() {
        RateLimiter limiter = new RateLimiter(2);
        for (int window = 0; window < RateLimiter.STRIKES - 1; window++) {
            long start = window * 1000L;
            assertEquals(ALLOW, limiter.check(start));
            assertEquals(ALLOW, limiter.check(start + 1));
            assertEquals(LIMIT, limiter.check(start + 2), "window " + window);
        }
        long last = (RateLimiter.STRIKES - 1) * 1000L;
        limiter.check(last);
        limiter.check(last + 1);
        assertEquals(ABUSE, limiter.check(last + 2));
    }

    @Test
    void aQuietWindowForgivesEarlierStrikes() {
        RateLimiter limiter = new RateLimiter(1);
        for (int window = 0; window < RateLimiter.STRIKES - 1; window++) {
            limiter.check(window * 1000L);
            assertEquals(LIMIT, limiter.check(window * 1000L + 1));
        }
        long quiet = (RateLimiter.STRIKES - 1) * 1000L;
        assertEquals(ALLOW, limiter.check(quiet));
        limiter.check(quiet + 1000);
        assertEquals(LIMIT, limiter.check(quiet + 1001));
    }
}
