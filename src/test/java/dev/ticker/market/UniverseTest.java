package dev.ticker.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UniverseTest {

    @Test
    void standardUniverseStartsWithTheBuiltInNames() {
        Universe universe = Universe.standard(30, 1);
        assertEquals(30, universe.size());
        assertEquals("AAPL", universe.symbols().get(0));
        assertEquals(0, universe.indexOf("AAPL"));
        assertEquals(-1, universe.indexOf("NOPE"));
    }

    @Test
    void largerUniversesAreGeneratedFromTheSeed() {
        Universe a = Universe.standard(500, 9);
        Universe b = Universe.standard(500, 9);
        assertEquals(500, a.size());
        assertEquals("SYN031", a.symbols().get(30));
        assertEquals("SYN500", a.symbols().get(499));
        assertEquals(a.get(400), b.get(400));
        assertTrue(Universe.standard(500, 10).get(400).prevCloseCents() != a.get(400).prevCloseCents());
    }

    @Test
    void sizeAndSymbolsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Universe.standard(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Universe.standard(Universe.MAX_SIZE + 1, 1));
        Instrument one = new Instrument("ONE", "One", 100, 0.2, 0);
        assertThrows(IllegalArgumentException.class, () -> new Universe(List.of(one, one)));
        assertThrows(IllegalArgumentException.class, () -> new Instrument("bad symbol", "x", 100, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Instrument("X", "x", 0, 0.2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Instrument("X", "x", 100, 0, 0));
    }
}
