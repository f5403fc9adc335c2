package dev.ticker.market;

import java.util.random.RandomGenerator;

/**
 * SplitMix64 (Steele, Lea and Flood, 2014), the generator behind {@link java.util.SplittableRandom},
 * with its one word of state in view: {@link #state()} saved and passed to {@link #SplitMix64(long)}
 * continues the very same sequence, which {@code SplittableRandom} cannot do. A market whose
 * generators can be saved can be handed over and continued exactly. Gaussian, exponential and
 * bounded draws are the JDK's, built on {@link #nextLong()}.
 *
 * <p>Not thread safe.
 */
public final class SplitMix64 implements RandomGenerator {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    /** The generator whose state is {@code state}: a seed, or what {@link #state()} returned. */
    public SplitMix64(long state) {
        this.state = state;
    }

    /** The state that continues this sequence where it is now. */
    public long state() {
        return state;
    }

    @Override
    public long nextLong() {
        long z = state += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
