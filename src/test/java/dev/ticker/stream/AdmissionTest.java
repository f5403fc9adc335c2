package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    @Test
    void refusesAnAddressPastItsShareAndTheServerPastItsTotal() {
        Admission admission = new Admission(3, 2);
        assertTrue(admission.admit("10.0.0.1", 0).admitted());
        assertTrue(admission.admit("10.0.0.1", 0).admitted());
        assertEquals(Admission.Refusal.ADDRESS_FULL, admission.admit("10.0.0.1", 0).refusal());
        assertTrue(admission.admit("10.0.0.2", 0).admitted());
        assertEquals(Admission.Refusal.SERVER_FULL, admission.admit("10.0.0.3", 0).refusal());
        assertEquals(3, admission.total());
    }

    @Test
    void zeroMeansNoLimitPerAddress() {
        Admission admission = new Admission(1000, 0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(admission.admit("10.0.0.1", 0).admitted());
        }
        assertEquals(Admission.Refusal.SERVER_FULL, admission.admit("10.0.0.1", 0).refusal());
    }

    @Test
    void releasingGivesThePlaceBackOnceAndForgetsEmptyAddresses() {
        Admission admission = new Admission(10, 1);
        Admission.Ticket ticket = admission.admit("10.0.0.1", 0).ticket();
        assertFalse(admission.admit("10.0.0.1", 0).admitted());
        admission.release(ticket);
        admission.release(ticket);                 // twice: no effect
        assertEquals(0, admission.total());
        assertEquals(0, admission.addresses());
        assertTrue(admission.admit("10.0.0.1", 0).admitted());
        assertEquals(1, admission.total());
    }

    @Test
    void aTicketIsClaimedOnceByItsId() {
        Admission admission = new Admission(10, 10);
        Admission.Ticket ticket = admission.admit("10.0.0.1", 0).ticket();
        assertNull(admission.claim("nonsense"));
        assertNull(admission.claim(null));
        assertNull(admission.claim(42));
        assertSame(ticket, admission.claim(ticket.id()));
        assertTrue(admission.claimed(ticket));
        assertNull(admission.claim(ticket.id()));
    }

    @Test
    void ticketIdsAre128RandomBits() {
        Admission admission = new Admission(10_000, 0);
        java.util.Set<String> ids = new java.util.HashSet<>();
        int[] ones = new int[128];
        for (int i = 0; i < 1000; i++) {
            String id = admission.admit("10.0.0.1", 0).ticket().id();
            assertTrue(id.matches("[0-9a-f]{32}"), id);
            assertTrue(ids.add(id), "repeated: " + id);
            java.math.BigInteger bits = new java.math.BigInteger(id, 16);
            for (int b = 0; b < 128; b++) {
                ones[b] += bits.testBit(b) ? 1 : 0;
            }
        }
        // Each bit is set about half the time (a counter would leave the high bits at 0).
        for (int b = 0; b < 128; b++) {
            assertTrue(ones[b] > 400 && ones[b] < 600, "bit " + b + " set " + ones[b] + " times in 1000");
        }
    }

    @Test
    void anUnclaimedTicketExpiresButAClaimedOneDoesNot() {
        Admission admission = new Admission(10, 10);
        Admission.Ticket lost = admission.admit("10.0.0.1", 0).ticket();
        Admission.Ticket kept = admission.admit("10.0.0.1", 0).ticket();
        admission.claim(kept.id());
        // The sweep runs on the next admission after the deadline.
        admission.admit("10.0.0.2", Admission.UNCLAIMED_MILLIS + 2000);
        assertEquals(1, admission.fromAddress("10.0.0.1"));
        assertNull(admission.claim(lost.id()), "an expired ticket cannot be claimed any more");
        assertEquals(2, admission.total());
    }

    @Test
    void anUnclaimedTicketExpiresWithNoFurtherHandshake() {
        Admission admission = new Admission(10, 10);
        Admission.Ticket lost = admission.admit("10.0.0.1", 0).ticket();
        admission.expireUnclaimed(Admission.UNCLAIMED_MILLIS / 2);
        assertEquals(1, admission.total(), "not yet expired");
        admission.expireUnclaimed(Admission.UNCLAIMED_MILLIS + 2000);
        assertEquals(0, admission.total());
        assertEquals(0, admission.fromAddress("10.0.0.1"));
        assertNull(admission.claim(lost.id()), "an expired ticket cannot be claimed any more");
    }

    @Test
    void concurrentBurstsFromOneAddressNeverOvershoot() throws Exception {
        Admission admission = new Admission(10_000, 50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 100; i++) {
                    if (admission.admit("10.0.0.9", 0).admitted()) {
                        admitted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (var f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(50, admitted.get());
        assertEquals(50, admission.fromAddress("10.0.0.9"));
    }
}
