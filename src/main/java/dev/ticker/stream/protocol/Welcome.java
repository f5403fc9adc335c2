package dev.ticker.stream.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The first frame of every connection: protocol, heartbeat interval, limits and the universe, and
 * in cluster mode the node that serves the connection ({@code node}; empty when standalone).
 */
public record Welcome(long seq, long ts, String protocol, long heartbeatMs, Limits limits, List<String> symbols, String node)
        implements Event {

    /** The welcome of a standalone server. */
    public Welcome(long seq, long ts, String protocol, long heartbeatMs, Limits limits, List<String> symbols) {
        this(seq, ts, protocol, heartbeatMs, limits, symbols, "");
    }

    public Welcome {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(limits, "limits");
        symbols = List.copyOf(symbols);
        Objects.requireNonNull(node, "node");
    }

    @Override
    public Welcome stamped(long seq, long ts) {
        return new Welcome(seq, ts, protocol, heartbeatMs, limits, symbols, node);
    }
}
