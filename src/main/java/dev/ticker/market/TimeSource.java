package dev.ticker.market;

/**
 * The app's two clocks. Every interval, timeout, deadline and schedule runs on
 * {@link #monotonicMillis()}, which never jumps; the wall clock, {@link #epochMillis()}, only
 * stamps what goes on the wire ({@code ts}) and starts the market's clock at deploy. So an NTP
 * step or an operator setting the clock an hour either way closes nobody, silences nothing and
 * neither floods nor stops the feed.
 */
public interface TimeSource {

    /** Milliseconds since an arbitrary origin, from {@link System#nanoTime()}: only differences mean anything. */
    long monotonicMillis();

    /** Milliseconds since the epoch, as the machine's wall clock says now. */
    long epochMillis();

    /** The machine's clocks. */
    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long monotonicMillis() {
            return System.nanoTime() / 1_000_000;
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }
    };
}
