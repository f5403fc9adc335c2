package dev.ticker.cluster;

import java.net.URI;
import java.util.Objects;

/**
 * How a node takes part in a cluster.
 *
 * @param broker          the Redis to share the market through: {@code redis://[user:pass@]host:port[/db]}
 *                        or {@code rediss://} for TLS
 * @param cluster         the cluster's name, the prefix of its Redis keys: several clusters may share one Redis
 * @param node            this node's name, unique in the cluster (in {@code welcome} and the leader's lease)
 * @param leaseMillis     how long a leader's lease lasts unrenewed; it is renewed every third of that,
 *                        and a dead leader is replaced within about this long
 * @param batchMillis     how often the leader appends the trades that fell due
 * @param catchUpMillis   trades that fell due while nobody led are replayed on takeover up to this
 *                        far back; past it the market resumes from now
 * @param logLength       entries of the trade log Redis keeps (approximately); a node that falls
 *                        further behind reloads the stored state
 * @param brokerGraceMillis     how long a node that cannot reach Redis keeps its clients (prices pause,
 *                        heartbeats go on) before it reports DOWN, refuses handshakes and closes
 *                        its connections with 1013 so they reconnect to another node
 */
public record ClusterConfig(URI broker, String cluster, String node, int leaseMillis, int batchMillis, long catchUpMillis,
                            long logLength, long brokerGraceMillis) {

    public ClusterConfig {
        Objects.requireNonNull(broker, "broker");
        if (!"redis".equals(broker.getScheme()) && !"rediss".equals(broker.getScheme()) || broker.getHost() == null) {
            throw new IllegalArgumentException("broker must look like redis://host:port or rediss://host:port: " + redacted(broker));
        }
        if (!cluster.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("cluster must be 1-64 of A-Z a-z 0-9 . _ -: " + cluster);
        }
        if (!node.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw new IllegalArgumentException("node must be 1-64 of A-Z a-z 0-9 . _ : -: " + node);
        }
        if (leaseMillis < 300 || leaseMillis > 60_000) {
            throw new IllegalArgumentException("leaseMillis must be in [300, 60000]: " + leaseMillis);
        }
        if (batchMillis < 5 || batchMillis > 1000) {
            throw new IllegalArgumentException("batchMillis must be in [5, 1000]: " + batchMillis);
        }
        if (catchUpMillis < 0) {
            throw new IllegalArgumentException("catchUpMillis must not be negative: " + catchUpMillis);
        }
        if (brokerGraceMillis < 0 || brokerGraceMillis > 600_000) {
            throw new IllegalArgumentException("brokerGraceMillis must be in [0, 600000]: " + brokerGraceMillis);
        }
        if (logLength < 100) {
            throw new IllegalArgumentException("logLength must be at least 100: " + logLength);
        }
    }

    /** The broker's address without its password, for logs and messages. */
    public String brokerForLog() {
        return redacted(broker);
    }

    private static String redacted(URI uri) {
        String user = uri.getUserInfo();
        if (user == null) {
            return uri.toString();
        }
        int colon = user.indexOf(':');
        String shown = colon < 0 ? "***" : user.substring(0, colon) + ":***";
        return uri.getScheme() + "://" + shown + "@" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getPath() == null ? "" : uri.getPath());
    }
}
