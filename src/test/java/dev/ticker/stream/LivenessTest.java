package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LivenessTest {

    private static final long PAYLOAD = 0x5EED_CAFE_F00DL;

    @Test
    void aPingIsDueAtTheFirstPingTimeThenEveryInterval() {
        Liveness liveness = new Liveness(1_000);
        assertFalse(liveness.claim(999, 30_000, PAYLOAD));
        assertTrue(liveness.claim(1_000, 30_000, PAYLOAD));
        liveness.sent(1_001);
        liveness.ponged(PAYLOAD);
        assertFalse(liveness.claim(30_999, 30_000, PAYLOAD));
        assertTrue(liveness.claim(31_000, 30_000, PAYLOAD));
    }

    @Test
    void anUnansweredPingIsOverdueFromWhenItWasWritten() {
        Liveness liveness = new Liveness(0);
        assertTrue(liveness.claim(0, 30_000, PAYLOAD));
        assertEquals(0, liveness.overdue(5_000), "still being written: the send timeout's business");
        liveness.sent(5_000);
        assertEquals(0, liveness.overdue(5_000));
        assertEquals(7_000, liveness.overdue(12_000));
        assertFalse(liveness.claim(40_000, 30_000, PAYLOAD), "no second ping while one is unanswered");
        assertEquals(35_000, liveness.overdue(40_000));
    }

    @Test
    void aPongClearsThePing() {
        Liveness liveness = new Liveness(0);
        liveness.claim(0, 30_000, PAYLOAD);
        liveness.sent(10);
        liveness.ponged(PAYLOAD);
        assertEquals(0, liveness.overdue(60_000));
    }

    // The defect this class was written for: the pong arrives (on a container thread) before the
    // pinging thread records that its write finished. The ping must stay answered.
    @Test
    void aPongThatArrivesBeforeTheWriteIsRecordedStillCounts() {
        Liveness liveness = new Liveness(0);
        assertTrue(liveness.claim(0, 30_000, PAYLOAD));
        assertEquals(0, liveness.ponged(PAYLOAD), "answers the ping claimed at 0");
        liveness.sent(3);
        assertEquals(0, liveness.overdue(60_000));
        assertTrue(liveness.claim(30_000, 30_000, PAYLOAD), "and the next ping is due on time");
    }

    @Test
    void anAbandonedPingIsDueAgainAtOnce() {
        Liveness liveness = new Liveness(0);
        assertTrue(liveness.claim(0, 30_000, PAYLOAD));
        liveness.abandoned();
        assertEquals(0, liveness.overdue(50_000));
        assertTrue(liveness.claim(1, 30_000, PAYLOAD));
    }

    @Test
    void anUnsolicitedPongIsHarmless() {
        Liveness liveness = new Liveness(0);
        assertEquals(Liveness.NONE, liveness.ponged(PAYLOAD));
        assertTrue(liveness.claim(0, 30_000, PAYLOAD));
        liveness.sent(0);
        assertEquals(11_000, liveness.overdue(11_000));
    }

    // A client that reads nothing but sends pongs of its own (any payload but the ping's, which it
    // never read) must not pass for alive: on Tyrus the ping is all that catches it.
    @Test
    void onlyAPongThatEchoesThePingsPayloadAnswersIt() {
        Liveness liveness = new Liveness(0);
        assertTrue(liveness.claim(0, 30_000, PAYLOAD));
        liveness.sent(0);
        for (long forged : new long[] {0, 1, PAYLOAD + 1, -PAYLOAD}) {
            assertEquals(Liveness.NONE, liveness.ponged(forged), "a pong of " + forged);
        }
        assertEquals(9_000, liveness.overdue(9_000), "still waiting for the real answer");
        assertTrue(liveness.timedOut(20_001, TIMEOUT, GRACE, 5_000, 0), "and closed for want of it");
        assertEquals(0, liveness.ponged(PAYLOAD), "the echo of its payload answers it");
        assertEquals(0, liveness.overdue(60_000));
    }

    @Test
    void eachPingCarriesThePayloadItWasClaimedWith() {
        Liveness liveness = new Liveness(0);
        assertTrue(liveness.claim(0, 1_000, 11));
        assertEquals(11, liveness.payload());
        liveness.sent(0);
        assertEquals(0, liveness.ponged(11));
        assertTrue(liveness.claim(1_000, 1_000, 22));
        assertEquals(22, liveness.payload());
        assertEquals(Liveness.NONE, liveness.ponged(11), "the last ping's payload answers this one no more");
    }

    @Test
    void aPongReportsWhenItsPingWasWritten() {
        Liveness liveness = new Liveness(0);
        liveness.claim(100, 30_000, PAYLOAD);
        liveness.sent(140);
        assertEquals(140, liveness.ponged(PAYLOAD));
        assertEquals(Liveness.NONE, liveness.ponged(PAYLOAD), "a second pong answers nothing");
    }

    private static final long TIMEOUT = 10_000;

    private static Liveness pingWrittenAt1000() {
        Liveness liveness = new Liveness(0);
        assertTrue(liveness.claim(1_000, 30_000, PAYLOAD));
        liveness.sent(1_000);
        return liveness;
    }
    private static final long GRACE = 30_000;

    @Test
    void aMissingPongTimesOutOnceTheServerHasReadAPongOfALaterPing() {
        Liveness liveness = pingWrittenAt1000();
        assertFalse(liveness.timedOut(11_000, TIMEOUT, GRACE, 5_000, 0), "not over the timeout yet");
        assertTrue(liveness.timedOut(11_001, TIMEOUT, GRACE, 5_000, 0));
        assertTrue(liveness.timedOut(11_001, TIMEOUT, GRACE, 1_000, 0), "a ping written at the same time counts");
    }

    // A reconnect storm: the server reads every frame late, so no pong of a ping written after this
    // one has been read either. Its pong may be sitting unread: no verdict until the grace is over.
    @Test
    void withoutThatEvidenceAMissingPongGetsTheGrace() {
        Liveness liveness = pingWrittenAt1000();
        assertFalse(liveness.timedOut(20_000, TIMEOUT, GRACE, 999, 0));
        assertFalse(liveness.timedOut(41_000, TIMEOUT, GRACE, Long.MIN_VALUE, 0));
        assertTrue(liveness.timedOut(41_001, TIMEOUT, GRACE, Long.MIN_VALUE, 0), "in any case after timeout + grace");
    }

    @Test
    void anAnsweredOrUnwrittenPingNeverTimesOut() {
        Liveness liveness = new Liveness(0);
        liveness.claim(0, 30_000, PAYLOAD);
        assertFalse(liveness.timedOut(100_000, TIMEOUT, GRACE, 50_000, 0), "still being written");
        liveness.sent(0);
        liveness.ponged(PAYLOAD);
        assertFalse(liveness.timedOut(100_000, TIMEOUT, GRACE, 50_000, 0));
    }

    // Everybody's pongs come back 20 s late (measured in a reconnect storm): so may this one's.
    @Test
    void whenEverybodyAnswersLateAClientIsGivenAsLongUpToTheGrace() {
        Liveness liveness = pingWrittenAt1000();
        assertFalse(liveness.timedOut(31_000, TIMEOUT, GRACE, 5_000, 20_000));
        assertTrue(liveness.timedOut(31_001, TIMEOUT, GRACE, 5_000, 20_000));
        assertFalse(liveness.timedOut(41_000, TIMEOUT, GRACE, 5_000, 90_000), "the lag counts up to the grace");
        assertTrue(liveness.timedOut(41_001, TIMEOUT, GRACE, 5_000, 90_000));
        assertTrue(liveness.timedOut(41_001, TIMEOUT, GRACE, Long.MIN_VALUE, 90_000), "and never beyond it");
    }
}
