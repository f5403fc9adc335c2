package dev.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MachineCpuTest {

    @Test
    void busyAndStealAreSharesOfEveryTickOfTheLine() {
        //                                user nice system idle iowait irq softirq steal guest guest_nice
        MachineCpu before = MachineCpu.parse("cpu  1000 0 500 8000 100 0 100 300 40 0");
        MachineCpu after = MachineCpu.parse("cpu  1060 0 520 8080 100 0 120 340 50 0");
        // busy +100 (user 60, system 20, softirq 20), idle +80, steal +40: 220 ticks in all.
        assertEquals(100, after.busy() - before.busy());
        assertEquals(100.0 * 100 / 220, after.busyPercentSince(before), 1e-9);
        assertEquals(100.0 * 40 / 220, after.stealPercentSince(before), 1e-9);
    }

    @Test
    void guestTimeIsNotCountedTwice() {
        MachineCpu cpu = MachineCpu.parse("cpu  100 0 0 0 0 0 0 0 100 0");
        assertEquals(100, cpu.busy());
        assertEquals(100, cpu.total());
    }

    @Test
    void olderKernelsWithoutAStealColumnReadAsNoSteal() {
        assertEquals(0, MachineCpu.parse("cpu 10 0 10 80 0 0 0").steal());
    }

    @Test
    void aPerCoreLineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MachineCpu.parse("cpu0 1 2 3 4 5 6 7 8 9 10"));
    }
}
