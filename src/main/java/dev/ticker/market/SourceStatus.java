package dev.ticker.market;

/**
 * How a node's {@link QuoteSource} takes part in a cluster, for {@code /health} and {@code /metrics}.
 *
 * @param role            {@code standalone} (its own market), {@code leader} or {@code follower}
 * @param node            the node's name in the cluster, empty when standalone
 * @param term            the term this node led in last (0: never)
 * @param leaderChanges   times this node became leader
 * @param fencedWrites    writes Redis refused because this node no longer held the lease
 * @param resnapshots     times the node reloaded the stored state (on joining, after a gap or a new epoch)
 * @param busLagMillis    how far the newest trade read trails this node's wall clock
 * @param sinceReadMillis time since Redis last answered this node's reader
 */
public record SourceStatus(String role, String node, long term, long leaderChanges, long fencedWrites, long resnapshots,
                           long busLagMillis, long sinceReadMillis) {

    public static final SourceStatus STANDALONE = new SourceStatus("standalone", "", 0, 0, 0, 0, 0, 0);
}
