package dev.ticker.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The cluster's data in Redis, and the only code that writes it. Keys share the hash tag
 * {@code {name}}, so they live on one shard should the Redis be a cluster:
 * <ul>
 * <li>{@code {name}:market} (hash): the {@link MarketSettings}, written once.</li>
 * <li>{@code {name}:lease} (string, expires): {@code term:node} of the leader.</li>
 * <li>{@code {name}:term} (counter): the last term handed out.</li>
 * <li>{@code {name}:log} (stream): one entry per batch of trades, with the explicit ID
 *     {@code <last trade number>-0}, so IDs strictly increase and a repeated write is refused.
 *     Fields {@code e} (epoch), {@code t} (term), {@code f} (number of the first trade) and
 *     {@code q}: one line per trade, {@code <symbol index> <symbol's trade number> <quote JSON>}.</li>
 * <li>{@code {name}:state} (hash): {@code id} and {@code n} of the last entry, and per symbol
 *     ({@code s<index>}) its {@link SymbolRecord}: enough to continue the market exactly.</li>
 * <li>{@code {name}:bars:<session>} (hash, expires three sessions on): the one-minute bars of a
 *     session as of the state's last trade, field {@code <symbol index>:<minute>}, value
 *     {@code open,high,low,close,volume} in cents and shares. What a node that joins mid-session
 *     starts its bars from.</li>
 * </ul>
 * Every write of the leader goes through one script that first checks the lease is still its own
 * (the fence), then appends to the log and updates the state in the same atomic step.
 */
final class TradeLog {

    private static final String INIT = """
            if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
            return redis.call('HGETALL', KEYS[1])""";
    // ARGV: node, lease ms, highest term this node has seen. Never hands out a term at or below
    // one already seen: a Redis that failed over may have lost the last INCR.
    private static final String CLAIM = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            local term = math.max(redis.call('INCR', KEYS[2]), tonumber(ARGV[3]) + 1)
            redis.call('SET', KEYS[2], term)
            redis.call('SET', KEYS[1], term .. ':' .. ARGV[1], 'PX', ARGV[2])
            return term""";
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0""";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";
    // KEYS: lease, log, state, then the bars' key of each session the batch traded in. ARGV: token,
    // entry id, max length, epoch, term, first, payload, last, market time of the last trade, the
    // bars' time to live (ms), the number of state values, field/value pairs of the state, then
    // for each bars' key the number of its values and field/value pairs of the batch's part of
    // each bar, merged into the stored one (the open stays, high and low widen, the close is the
    // new one, the volumes add up). Refuses (0) unless the lease is the writer's, and (-1) unless
    // the batch continues the stored state exactly: a Redis restarted from a file a second old no
    // longer holds the writer's last batches, and its successor must redo them from what is
    // stored. HSET in slices: Lua's unpack is limited to a few thousand values.
    private static final String APPEND = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            local stored = redis.call('HGET', KEYS[3], 'n')
            if (stored == false and ARGV[6] ~= '1') or (stored ~= false and tonumber(stored) + 1 ~= tonumber(ARGV[6])) then return -1 end
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], ARGV[2], 'e', ARGV[4], 't', ARGV[5], 'f', ARGV[6], 'w', ARGV[9], 'q', ARGV[7])
            redis.call('HSET', KEYS[3], 'id', ARGV[2], 'n', ARGV[8])
            local i = 12
            local last = 11 + tonumber(ARGV[11])
            while i <= last do
              local j = math.min(i + 999, last)
              redis.call('HSET', KEYS[3], unpack(ARGV, i, j))
              i = j + 1
            end
            local pattern = '^(%d+),(%d+),(%d+),(%d+),(%d+)$'
            for k = 4, #KEYS do
              local count = tonumber(ARGV[i])
              local j = i + 1
              while j < i + 1 + count do
                local field, part = ARGV[j], ARGV[j + 1]
                local old = redis.call('HGET', KEYS[k], field)
                if old then
                  local o, h, l, _, v = string.match(old, pattern)
                  local _, nh, nl, nc, nv = string.match(part, pattern)
                  part = o .. ',' .. math.max(tonumber(h), tonumber(nh)) .. ',' .. math.min(tonumber(l), tonumber(nl))
                      .. ',' .. nc .. ',' .. (tonumber(v) + tonumber(nv))
                end
                redis.call('HSET', KEYS[k], field, part)
                j = j + 2
              end
              redis.call('PEXPIRE', KEYS[k], ARGV[10])
              i = i + 1 + count
            end
            return 1""";

    private final String market;
    private final String lease;
    private final String term;
    private final String log;
    private final String state;
    private final String barsPrefix;
    private final long logLength;

    TradeLog(String name, long logLength) {
        String prefix = "{" + name + "}:";
        this.barsPrefix = prefix + "bars:";
        this.market = prefix + "market";
        this.lease = prefix + "lease";
        this.term = prefix + "term";
        this.log = prefix + "log";
        this.state = prefix + "state";
        this.logLength = logLength;
    }

    /** The cluster's market settings; {@code proposed} become them if there are none yet. */
    MarketSettings settings(Jedis redis, MarketSettings proposed) {
        List<String> args = new ArrayList<>();
        proposed.toFields().forEach((key, value) -> {
            args.add(key);
            args.add(value);
        });
        @SuppressWarnings("unchecked")
        List<String> flat = (List<String>) redis.eval(INIT, List.of(market), args);
        Map<String, String> fields = new java.util.HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(flat.get(i), flat.get(i + 1));
        }
        return MarketSettings.fromFields(fields);
    }

    /** The stored epoch, or null if Redis has no market (it lost it). */
    String epoch(Jedis redis) {
        return redis.hget(market, "epoch");
    }

    /** Takes the lease if nobody holds it: the new term, or 0 if another node leads. */
    long claim(Jedis redis, String node, int leaseMillis, long highestTerm) {
        return (Long) redis.eval(CLAIM, List.of(lease, term), List.of(node, Integer.toString(leaseMillis), Long.toString(highestTerm)));
    }

    static String token(long term, String node) {
        return term + ":" + node;
    }

    /** Extends the lease if it is still {@code token}'s. */
    boolean renew(Jedis redis, String token, int leaseMillis) {
        return (Long) redis.eval(RENEW, List.of(lease), List.of(token, Integer.toString(leaseMillis))) == 1;
    }

    /** Gives the lease up if it is still {@code token}'s, so another node takes over at once. */
    void release(Jedis redis, String token) {
        redis.eval(RELEASE, List.of(lease), List.of(token));
    }

    /** The holder of the lease, {@code term:node}, or null. */
    String leaseHolder(Jedis redis) {
        return redis.get(lease);
    }

    /** What became of an append. */
    enum Appended { WRITTEN, NOT_LEADER, NOT_CONTINUOUS }

    /**
     * Appends a batch and its state if the lease is still {@code token}'s and the batch continues
     * the stored state (its first trade follows the stored last); otherwise writes nothing.
     * It also merges {@code bars} (session, then field {@code <index>:<minute>}, then the batch's
     * part of that bar, {@code open,high,low,close,volume}) into the sessions' bars, which live
     * {@code barsMillis}.
     */
    Appended append(Jedis redis, String token, String epoch, long term, long first, long last, long lastMillis,
                   String payload, Map<String, String> changed, Map<Long, Map<String, String>> bars, long barsMillis) {
        List<String> args = new ArrayList<>(12 + 2 * changed.size());
        args.add(token);
        args.add(entryId(last));
        args.add(Long.toString(logLength));
        args.add(epoch);
        args.add(Long.toString(term));
        args.add(Long.toString(first));
        args.add(payload);
        args.add(Long.toString(last));
        args.add(Long.toString(lastMillis));
        args.add(Long.toString(barsMillis));
        args.add(Integer.toString(2 * changed.size()));
        changed.forEach((key, value) -> {
            args.add(key);
            args.add(value);
        });
        List<String> keys = new ArrayList<>(List.of(lease, log, state));
        bars.forEach((session, fields) -> {
            keys.add(bars(session));
            args.add(Integer.toString(2 * fields.size()));
            fields.forEach((field, value) -> {
                args.add(field);
                args.add(value);
            });
        });
        long result = (Long) redis.eval(APPEND, keys, args);
        return result == 1 ? Appended.WRITTEN : result == 0 ? Appended.NOT_LEADER : Appended.NOT_CONTINUOUS;
    }

    /** The ID of the entry whose last trade is number {@code last}; the first, empty entry is 0-1. */
    static String entryId(long last) {
        return last == 0 ? "0-1" : last + "-0";
    }

    /** Everything in the state hash: {@code id}, {@code n} and the symbols' records. */
    Map<String, String> state(Jedis redis) {
        return redis.hgetAll(state);
    }

    /** The key of a session's bars. */
    String bars(long session) {
        return barsPrefix + session;
    }

    /**
     * The state, and the bars of {@code sessions} as of its last trade, read in one transaction so
     * that no batch comes between them: the state first, then each session's bars.
     */
    List<Map<String, String>> stateAndBars(Jedis redis, long... sessions) {
        try (redis.clients.jedis.Transaction transaction = redis.multi()) {
            List<redis.clients.jedis.Response<Map<String, String>>> replies = new ArrayList<>();
            replies.add(transaction.hgetAll(state));
            for (long session : sessions) {
                replies.add(transaction.hgetAll(bars(session)));
            }
            transaction.exec();
            List<Map<String, String>> result = new ArrayList<>();
            for (redis.clients.jedis.Response<Map<String, String>> reply : replies) {
                result.add(reply.get());
            }
            return result;
        }
    }

    /** Entries after {@code after}, waiting up to {@code blockMillis} for the first. */
    List<StreamEntry> read(Jedis redis, StreamEntryID after, int count, int blockMillis) {
        var result = redis.xread(XReadParams.xReadParams().count(count).block(blockMillis), Map.of(log, after));
        if (result == null || result.isEmpty()) {
            return List.of();
        }
        return result.get(0).getValue();
    }

    /** Every entry of the log, oldest first (tests and tools; the log is bounded). */
    List<StreamEntry> all(Jedis redis) {
        return redis.xrange(log, "-", "+");
    }
}
