package dev.ticker.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void givesTheReferenceSequence() {
        // The first outputs of the reference implementation (Vigna's splitmix64.c) from seed 0.
        SplitMix64 random = new SplitMix64(0);
        assertEquals(0xe220a8397b1dcdafL, random.nextLong());
        assertEquals(0x6e789e6aa1b965f4L, random.nextLong());
        assertEquals(0x06c45d188009454fL, random.nextLong());
    }

    @Test
    void itsSavedStateContinuesTheSameSequenceOfEveryKindOfDraw() {
        SplitMix64 random = new SplitMix64(42);
        for (int i = 0; i < 1000; i++) {
            random.nextGaussian();
        }
        SplitMix64 copy = new SplitMix64(random.state());
        for (int i = 0; i < 10_000; i++) {
            assertEquals(random.nextGaussian(), copy.nextGaussian());
            assertEquals(random.nextExponential(), copy.nextExponential());
            assertEquals(random.nextInt(500), copy.nextInt(500));
            assertEquals(random.nextDouble(), copy.nextDouble());
        }
    }
}
