package dev.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
