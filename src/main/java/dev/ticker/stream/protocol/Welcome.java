package dev.ticker.stream.protocol;

import dev.ticker.market.MarketStatus;
import java.util.Objects;

/**
 * The first frame of every connection: protocol, heartbeat interval, limits, the universe's
 * instruments, the market's state ({@code market}; null for a market without sessions), the build
 * of the WAR serving it, and in cluster mode the node that serves the connection ({@code node};
 * empty when standalone).
 */
public record Welcome(long seq, long ts, String protocol, long heartbeatMs, Limits limits, Instruments instruments,
                      String node, MarketStatus market, Build build) implements Event {

    public Welcome {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(instruments, "instruments");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(build, "build");
    }

    @Override
    public Welcome stamped(long seq, long ts) {
        return new Welcome(seq, ts, protocol, heartbeatMs, limits, instruments, node, market, build);
    }
}
