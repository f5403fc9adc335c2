package dev.ticker.stream.protocol;

import java.util.List;
import java.util.Objects;

/** The first frame of every connection: protocol, heartbeat interval, limits and the universe. */
public record Welcome(long seq, long ts, String protocol, long heartbeatMs, Limits limits, List<String> symbols)
        implements Event {

    public Welcome {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(limits, "limits");
        symbols = List.copyOf(symbols);
    }

    @Override
    public Welcome stamped(long seq, long ts) {
        return new Welcome(seq, ts, protocol, heartbeatMs, limits, symbols);
    }
}
