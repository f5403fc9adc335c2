package dev.ticker.web;

import dev.ticker.stream.RateLimiter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP API's request budget per client address: the stream's token bucket
 * ({@code ticker.maxMessagesPerSecond}, {@code ticker.maxMessageBurst}), one per address. At most
 * {@link #MAX_ADDRESSES} are kept; the least recently seen goes first (it starts again with a full
 * bucket should it come back), so memory stays bounded however many addresses call.
 */
final class AddressLimits {

    static final int MAX_ADDRESSES = 10_000;

    private final int perSecond;
    private final int burst;
    private final Map<String, RateLimiter> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RateLimiter> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    AddressLimits(int perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Whether a request from {@code address} at {@code now} (monotonic ms) is within its budget. */
    synchronized boolean allow(String address, long now) {
        RateLimiter bucket = buckets.computeIfAbsent(address, a -> new RateLimiter(perSecond, burst, now));
        return bucket.check(now) == RateLimiter.Verdict.ALLOW;
    }

    synchronized int size() {
        return buckets.size();
    }
}
