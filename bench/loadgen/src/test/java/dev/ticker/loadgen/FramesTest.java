package dev.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {

    private static final String TICKS = "{\"type\":\"ticks\",\"seq\":42,\"ts\":1000,\"data\":["
            + "{\"symbol\":\"AAPL\",\"price\":189.52,\"bid\":189.50,\"ask\":189.55,\"ts\":990},"
            + "{\"symbol\":\"MSFT\",\"price\":410.00,\"ts\":995}]}";

    @Test
    void readsTypeAndSeq() {
        assertEquals("ticks", Frames.type(TICKS));
        assertEquals(42, Frames.seq(TICKS));
        assertEquals("welcome", Frames.type("{\"type\":\"welcome\",\"seq\":1,\"ts\":5}"));
        assertNull(Frames.type("{}"));
        assertEquals(-1, Frames.seq("{}"));
    }

    @Test
    void readsTheTimeOfEveryQuoteButNotTheFramesOwn() {
        List<Long> times = new ArrayList<>();
        assertEquals(2, Frames.quoteTimes(TICKS, times::add));
        assertEquals(List.of(990L, 995L), times);
        assertEquals(0, Frames.quoteTimes("{\"type\":\"heartbeat\",\"seq\":3,\"ts\":7}", times::add));
    }

    @Test
    void theByteReadsAgreeWithTheStringReadsWhereverTheFrameSitsInItsArray() {
        byte[] frame = TICKS.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] padded = new byte[frame.length + 20];
        System.arraycopy(frame, 0, padded, 7, frame.length);
        assertTrue(Frames.typeIs(padded, 7, frame.length, Frames.ascii("ticks")));
        assertFalse(Frames.typeIs(padded, 7, frame.length, Frames.ascii("tick")));
        assertFalse(Frames.typeIs(padded, 7, frame.length, Frames.ascii("snapshot")));
        assertEquals(42, Frames.seq(padded, 7, frame.length));
        List<Long> times = new ArrayList<>();
        assertEquals(2, Frames.quoteTimes(padded, 7, frame.length, times::add));
        assertEquals(List.of(990L, 995L), times);
    }

    @Test
    void theByteReadsStopAtTheFramesEnd() {
        byte[] bytes = "{\"type\":\"heartbeat\",\"seq\":3}{\"seq\":9,\"data\":[{\"ts\":5}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int first = "{\"type\":\"heartbeat\",\"seq\":3}".length();
        assertEquals(3, Frames.seq(bytes, 0, first));
        assertEquals(0, Frames.quoteTimes(bytes, 0, first, t -> { }));
        assertEquals(-1, Frames.seq(bytes, 0, 10));
        assertFalse(Frames.typeIs(bytes, 0, 12, Frames.ascii("heartbeat")));
    }

    @Test
    void nonAsciiTextBeforeTheFieldsDoesNotConfuseTheByteReads() {
        String text = "{\"type\":\"error\",\"message\":\"\u00e9\u20ac\ud83d\ude00 \\\"seq\\\"\",\"seq\":12}";
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(Frames.typeIs(bytes, 0, bytes.length, Frames.ascii("error")));
        assertEquals(12, Frames.seq(bytes, 0, bytes.length));
    }
}
