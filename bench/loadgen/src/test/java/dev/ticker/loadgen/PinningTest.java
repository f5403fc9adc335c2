package dev.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PinningTest {

    @Test
    void autoGivesTheServerTheFirstCpuAndTheLoadTheRest() {
        // taskset is part of util-linux, on every Debian; auto falls back to unpinned without it.
        Pinning two = Pinning.of("auto", 2);
        if (two.pinned()) {
            assertEquals(new Pinning("0", "1"), two);
            assertEquals(new Pinning("0", "1-7"), Pinning.of("auto", 8));
            assertEquals(List.of("/usr/bin/taskset", "-c", "0", "java", "-version"), two.server(List.of("java", "-version")));
            assertEquals(List.of("/usr/bin/taskset", "-c", "1", "node"), two.loadgen(List.of("node")));
        }
        assertFalse(Pinning.of("auto", 1).pinned(), "one CPU cannot be shared out");
    }

    @Test
    void offAndExplicitPlacements() {
        assertEquals(Pinning.NONE, Pinning.of("off", 8));
        assertEquals(List.of("java"), Pinning.NONE.server(List.of("java")));
        assertEquals(new Pinning("0-1", "2,3"), Pinning.of("0-1:2,3", 4));
        assertThrows(IllegalArgumentException.class, () -> Pinning.of("0", 2));
        assertThrows(IllegalArgumentException.class, () -> Pinning.of("a:b", 2));
    }

    @Test
    void countsTheCpusOfATasksetList() {
        assertEquals(1, Pinning.count("0"));
        assertEquals(3, Pinning.count("1-3"));
        assertEquals(4, Pinning.count("0,2,4-5"));
        assertEquals(0, Pinning.count(""));
    }
}
