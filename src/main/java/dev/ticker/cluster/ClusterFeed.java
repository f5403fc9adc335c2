package dev.ticker.cluster;

import dev.ticker.history.BarBook;
import dev.ticker.market.Market;
import dev.ticker.market.MarketConfig;
import dev.ticker.market.Quote;
import dev.ticker.market.QuoteSource;
import dev.ticker.market.SourceStatus;
import dev.ticker.market.TimeSource;
import dev.ticker.market.TradingCalendar;
import dev.ticker.market.Universe;
import dev.ticker.stream.QuoteBoard;
import dev.ticker.stream.protocol.EncodedQuote;
import dev.ticker.stream.protocol.QuoteEncoder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A node's quotes in cluster mode: the cluster's trade log, read from Redis. Two threads of its own:
 * <ul>
 * <li>{@code ticker-bus} reads the log from where it stopped and publishes every quote to this
 *     node's board, the leader's own trades included: a node only shows what Redis accepted. A gap
 *     in the trade numbers (it fell behind the log's trimmed tail) or a new epoch makes it reload
 *     the stored state first.</li>
 * <li>{@code ticker-lead} tries to take the lease while another node holds it; once it holds it,
 *     it renews it every third of its length, runs the market from the stored state and appends the
 *     trades that fell due every {@code batchMillis}, each batch with the state it leaves, through
 *     the fenced script. A refused write or a lease it could not renew in time ends its lead.</li>
 * </ul>
 * Each thread has its own connection: Jedis connections are not shared between threads.
 */
public final class ClusterFeed implements QuoteSource {

    private static final Logger LOG = Logger.getLogger(ClusterFeed.class.getName());
    private static final int READ_COUNT = 256;
    private static final int READ_BLOCK_MILLIS = 1000;
    /** Trades per appended entry at most, so a catch-up after a long gap goes out in bounded writes. */
    static final int MAX_BATCH = 2000;
    private static final long RETRY_MILLIS = 500;
    /** After the market started over, how long the node refuses handshakes while its clients go. */
    public static final long RESTART_MILLIS = 5000;

    private final ClusterConfig config;
    private final TimeSource time;
    private final TradeLog log;
    private final JedisClientConfig clientConfig;
    private final MarketSettings settings;
    private final Universe universe;
    private final QuoteBoard board;
    private final BarBook bars;
    private volatile TradingCalendar calendar;       // replaced when the market starts over
    private final Thread reader;
    private final Thread leader;
    private volatile boolean running;

    // The reader thread's.
    private Jedis readConnection;
    private StreamEntryID lastId;
    private volatile long lastTrade;   // written by the reader only
    private String epoch;

    // The leader thread's.
    private Jedis leadConnection;
    private Market market;
    private long[] symbolTrades;
    private long nextTrade;
    private String token;
    private volatile long leaseUntil; // monotonic ms: past this the lease may have passed to another node
    private long renewAt;
    private long highestTerm;
    private String leadEpoch;        // the epoch this node leads in

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong leaderChanges = new AtomicLong();
    private final AtomicLong fencedWrites = new AtomicLong();
    private final AtomicLong resnapshots = new AtomicLong();
    private volatile boolean leading;
    private volatile long term;
    private volatile long lastReadAt;         // monotonic ms of the last successful read from Redis
    private volatile long lastTradeTs;        // ts of the newest quote read
    private volatile long epochChangedAt;     // monotonic ms the reader found a new epoch, 0: never

    /**
     * Joins the cluster: adopts its market settings ({@code local} become them if it has none yet;
     * any of {@code explicit}, the settings this node was given, that differ fail with a message
     * naming both values) and loads the current state into a new board.
     *
     * @throws IllegalStateException if Redis cannot be reached, or the settings contradict the cluster's
     */
    public ClusterFeed(ClusterConfig config, MarketConfig local, Set<String> explicit, TimeSource time) {
        this.config = config;
        this.time = time;
        this.log = new TradeLog(config.cluster(), config.logLength());
        this.clientConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(2000)
                .socketTimeoutMillis(Math.max(1000, config.leaseMillis() / 2))
                .blockingSocketTimeoutMillis(READ_BLOCK_MILLIS + 2000)
                .clientName("ticker-" + config.node())
                .build();
        try {
            readConnection = connect();
            MarketSettings proposed = new MarketSettings(local, time.epochMillis(), newEpoch());
            this.settings = log.settings(readConnection, proposed);
            check(settings.config(), local, explicit);
            this.universe = Universe.standard(settings.config().symbols(), settings.config().seed());
            this.calendar = TradingCalendar.of(settings.config(), settings.start());
            this.board = new QuoteBoard(universe, calendar);
            this.bars = new BarBook(universe, calendar);
            this.epoch = settings.epoch();
            resync();
        } catch (JedisException e) {
            closeQuietly(readConnection);
            throw new IllegalStateException("cannot reach the cluster's Redis at " + config.brokerForLog() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(readConnection);
            throw e;
        }
        this.lastReadAt = time.monotonicMillis();
        this.reader = new Thread(this::read, "ticker-bus");
        this.reader.setDaemon(true);
        this.leader = new Thread(this::lead, "ticker-lead");
        this.leader.setDaemon(true);
    }

    /** The market settings this node adopted from the cluster. */
    @Override
    public MarketConfig market() {
        return settings.config();
    }

    /** When the cluster's market opened, epoch ms. */
    public long marketStart() {
        return settings.start();
    }

    /** The board this node's quotes go to, filled with the current state. */
    public QuoteBoard board() {
        return board;
    }

    /**
     * The bars of every trade in the log: loaded with the state from Redis (where the leader keeps
     * them with every batch), then built from each trade this node reads. So a node that joins
     * mid-session has the whole session's.
     */
    public BarBook bars() {
        return bars;
    }

    public ClusterConfig config() {
        return config;
    }

    @Override
    public void start() {
        running = true;
        reader.start();
        leader.start();
    }

    /**
     * False once stopped, while Redis has been out of reach for longer than the broker grace, and
     * for {@link #RESTART_MILLIS} after the market started over (a new epoch): then the node's
     * clients must go and get a fresh snapshot, from it or another node.
     */
    @Override
    public boolean isRunning() {
        long now = time.monotonicMillis();
        return running && reader.isAlive() && leader.isAlive()
                && now - lastReadAt <= graceMillis(config)
                && !restarting(now);
    }

    /**
     * How long Redis may stay silent before the node gives its clients up: the configured grace,
     * but never less than one blocked read and a margin (a quiet bus is not a lost one).
     */
    public static long graceMillis(ClusterConfig config) {
        return Math.max(config.brokerGraceMillis(), READ_BLOCK_MILLIS + 500);
    }

    @Override
    public boolean threadsAlive() {
        return !running || reader.isAlive() && leader.isAlive();
    }

    /** Whether the market started over within the last {@link #RESTART_MILLIS}. */
    public boolean restarting() {
        return restarting(time.monotonicMillis());
    }

    private boolean restarting(long now) {
        long at = epochChangedAt;
        return at != 0 && now - at < RESTART_MILLIS;
    }

    @Override
    public long published() {
        return published.get();
    }

    /** The number of the last trade on this node's board (0: none yet). */
    long lastTrade() {
        return lastTrade;
    }

    @Override
    public SourceStatus status() {
        // A leader whose lease ran out while it was paused (GC, SIGSTOP) is not one any more, even
        // before its thread wakes up to notice.
        boolean leads = leading && time.monotonicMillis() < leaseUntil;
        return new SourceStatus(leads ? "leader" : "follower", config.node(), term, leaderChanges.get(), fencedWrites.get(),
                resnapshots.get(), lastTradeTs == 0 ? 0 : Math.max(0, time.epochMillis() - lastTradeTs),
                time.monotonicMillis() - lastReadAt);
    }

    /** Stops both threads; a leader gives its lease up, so another node takes over at once. */
    @Override
    public void close() {
        running = false;
        leader.interrupt();
        join(leader);
        reader.interrupt();
        join(reader);
        closeQuietly(readConnection);
    }

    // ---- joining ----

    private static void check(MarketConfig cluster, MarketConfig local, Set<String> explicit) {
        StringBuilder conflicts = new StringBuilder();
        conflict(conflicts, explicit, "ticker.symbols", cluster.symbols(), local.symbols());
        conflict(conflicts, explicit, "ticker.seed", cluster.seed(), local.seed());
        conflict(conflicts, explicit, "ticker.updatesPerSecond", cluster.updatesPerSecond(), local.updatesPerSecond());
        conflict(conflicts, explicit, "ticker.timeScale", cluster.timeScale(), local.timeScale());
        conflict(conflicts, explicit, "ticker.sessionMinutes", cluster.sessionMinutes(), local.sessionMinutes());
        conflict(conflicts, explicit, "ticker.closedMinutes", cluster.closedMinutes(), local.closedMinutes());
        if (!conflicts.isEmpty()) {
            throw new IllegalStateException("this node's settings contradict the cluster's market:" + conflicts
                    + " remove them from this node, or give it another ticker.cluster");
        }
    }

    private static void conflict(StringBuilder out, Set<String> explicit, String key, Object cluster, Object local) {
        if (explicit.contains(key) && !cluster.equals(local)) {
            out.append(' ').append(key).append(" is ").append(local).append(" here but ").append(cluster).append(" in the cluster;");
        }
    }

    // ---- the reader ----

    private void read() {
        long backoff = 100;
        while (running) {
            try {
                if (readConnection == null || readConnection.isBroken()) {
                    closeQuietly(readConnection);
                    readConnection = connect();
                    if (!epoch.equals(log.epoch(readConnection))) {
                        resync();
                    }
                }
                List<StreamEntry> entries = log.read(readConnection, lastId, READ_COUNT, READ_BLOCK_MILLIS);
                lastReadAt = time.monotonicMillis();
                if (backoff > 100) {
                    LOG.info("cluster: Redis can be read again");
                }
                backoff = 100;
                if (entries.isEmpty()) {
                    // A Redis that lost its data starts a new log at low IDs, which a read after the
                    // old IDs would wait for in vain.
                    if (!epoch.equals(log.epoch(readConnection))) {
                        resync();
                    }
                    continue;
                }
                for (StreamEntry entry : entries) {
                    if (!apply(entry)) {
                        resync();
                        break;
                    }
                }
            } catch (JedisException e) {
                if (!running) {
                    return;
                }
                // Once per outage, not once per retry.
                LOG.log(backoff == 100 ? Level.WARNING : Level.FINE, "cluster: Redis at " + config.brokerForLog()
                        + " cannot be read; retrying (every 2 s at most) until it can: " + e);
                closeQuietly(readConnection);
                readConnection = null;
                sleep(backoff);
                backoff = Math.min(2000, backoff * 2);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "cluster: an entry of the trade log could not be applied; reloading the state", e);
                try {
                    resync();
                } catch (RuntimeException again) {
                    sleep(1000);
                }
            }
        }
    }

    /**
     * Publishes the trades of one entry this node has not seen; false if the entry leaves a gap
     * after the last trade seen, or is of another epoch. Trades already seen are skipped: after
     * Redis restarted from a file a second old, the leader redoes the lost trades (the same ones:
     * the market is deterministic from its stored state), and this node had shown them already.
     */
    private boolean apply(StreamEntry entry) {
        Map<String, String> fields = entry.getFields();
        long first = Long.parseLong(fields.get("f"));
        if (!epoch.equals(fields.get("e")) || first > lastTrade + 1) {
            LOG.warning(() -> "cluster: trade log entry " + entry.getID() + " starts at trade " + first + " of epoch "
                    + fields.get("e") + ", expected " + (lastTrade + 1) + " of " + epoch + "; reloading the stored state");
            return false;
        }
        String payload = fields.get("q");
        long number = first;
        int start = 0;
        while (start < payload.length()) {
            int end = payload.indexOf('\n', start);
            if (end < 0) {
                end = payload.length();
            }
            if (number > lastTrade) {
                int space1 = payload.indexOf(' ', start);
                int space2 = payload.indexOf(' ', space1 + 1);
                int index = Integer.parseInt(payload, start, space1, 10);
                board.publish(index, new EncodedQuote(universe.get(index).symbol(), payload.substring(space2 + 1, end)));
                bars.record(index, QuoteFields.cents(payload, space2, QuoteFields.PRICE),
                        QuoteFields.number(payload, space2, QuoteFields.LAST_SIZE), QuoteFields.number(payload, space2, QuoteFields.TS));
                published.incrementAndGet();
                lastTrade = number;
            }
            number++;
            start = end + 1;
        }
        lastId = entry.getID();
        lastTradeTs = Long.parseLong(fields.get("w"));
        return true;
    }

    /**
     * Reloads the settings' epoch and the stored state and publishes every symbol's stored quote:
     * after it, the board is as the state says and reading goes on from its entry.
     */
    private void resync() {
        if (readConnection == null) {
            readConnection = connect();
        }
        String stored = log.epoch(readConnection);
        if (stored == null) {
            // Redis lost everything: this node proposes the market it runs, under a new epoch.
            stored = log.settings(readConnection, freshMarket()).epoch();
        }
        MarketSettings now = log.settings(readConnection, freshMarket());
        if (!now.config().equals(settings.config())) {
            throw new IllegalStateException("the cluster's market changed under this node: " + now.config() + ", was " + settings.config());
        }
        if (!stored.equals(epoch)) {
            LOG.warning("cluster: Redis holds a new epoch " + stored + " (was " + epoch + "): it lost the market's state,"
                    + " and the market starts over; this node's clients reconnect for a fresh snapshot");
            epochChangedAt = Math.max(1, time.monotonicMillis());
        }
        epoch = stored;
        TradingCalendar current = TradingCalendar.of(now.config(), now.start());
        if (!current.equals(calendar)) {
            // A market that started over opened at another time: its sessions are others.
            calendar = current;
            board.calendar(current);
        }
        // The bars as of the state's last trade: of the session now, the one before, and the next
        // should it open meanwhile (the book keeps the latest two).
        long session = calendar.sessionAtMillis(time.epochMillis());
        List<Map<String, String>> read = log.stateAndBars(readConnection, session - 1, session, session + 1);
        Map<String, String> state = read.get(0);
        bars.clear(calendar);
        for (int s = 1; s < read.size(); s++) {
            loadBars(session - 2 + s, read.get(s));
        }
        // Before the first leader stored anything, the opening quotes are the ones every node computes alike.
        Market opening = state.containsKey("n") ? null : new Market(universe, now.config(), now.start());
        for (int i = 0; i < universe.size(); i++) {
            Quote quote = opening != null ? opening.current(i)
                    : SymbolRecord.decode(universe.get(i).symbol(), state.get("s" + i)).snapshot().quote();
            board.publish(i, EncodedQuote.of(quote));
            if (opening != null) {
                bars.record(i, quote.priceCents(), quote.volume(), quote.ts());     // the opening auction
            }
        }
        lastTrade = state.containsKey("n") ? Long.parseLong(state.get("n")) : 0;
        lastId = state.containsKey("id") ? new StreamEntryID(state.get("id")) : new StreamEntryID(0, 0);
        resnapshots.incrementAndGet();
    }

    /** Puts a session's stored bars ({@link TradeLog}: {@code <index>:<minute>} to {@code o,h,l,c,v}) in the book. */
    private void loadBars(long session, Map<String, String> stored) {
        List<long[]> rows = new ArrayList<>(stored.size());
        stored.forEach((field, value) -> {
            int colon = field.indexOf(':');
            String[] v = value.split(",", -1);
            rows.add(new long[] {Long.parseLong(field, 0, colon, 10), Long.parseLong(field, colon + 1, field.length(), 10),
                    Long.parseLong(v[0]), Long.parseLong(v[1]), Long.parseLong(v[2]), Long.parseLong(v[3]), Long.parseLong(v[4])});
        });
        rows.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (long[] r : rows) {
            if (r[0] >= 0 && r[0] < universe.size()) {
                bars.put((int) r[0], session, (int) r[1], r[2], r[3], r[4], r[5], r[6]);
            }
        }
    }

    /** Each trade's part of its bar, by session, then {@code <index>:<minute>}: open, high, low, close, volume. */
    private final class BarParts {
        private final Map<Long, Map<String, long[]>> parts = new LinkedHashMap<>();

        void add(int index, long price, long size, long ts) {
            long session = calendar.sessionAtMillis(ts);
            String field = index + ":" + BarBook.minuteOf(calendar, session, ts);
            long[] bar = parts.computeIfAbsent(session, s -> new LinkedHashMap<>())
                    .computeIfAbsent(field, f -> new long[] {price, price, price, price, 0});
            bar[1] = Math.max(bar[1], price);
            bar[2] = Math.min(bar[2], price);
            bar[3] = price;
            bar[4] += size;
        }

        Map<Long, Map<String, String>> encoded() {
            Map<Long, Map<String, String>> out = new LinkedHashMap<>();
            parts.forEach((session, fields) -> {
                Map<String, String> values = new LinkedHashMap<>();
                fields.forEach((field, b) -> values.put(field, b[0] + "," + b[1] + "," + b[2] + "," + b[3] + "," + b[4]));
                out.put(session, values);
            });
            return out;
        }
    }

    /** How long a session's bars stay in Redis: until it is two sessions old, and a minute. */
    private long barsMillis() {
        return (long) Math.ceil(3 * calendar.periodSeconds() * 1000) + 60_000;
    }

    // ---- the leader ----

    private void lead() {
        long nextClaim = 0;
        while (running) {
            long now = time.monotonicMillis();
            try {
                if (leadConnection == null || leadConnection.isBroken()) {
                    closeQuietly(leadConnection);
                    leadConnection = connect();
                }
                if (token == null) {
                    if (now >= nextClaim) {
                        claim();
                        nextClaim = now + Math.min(RETRY_MILLIS / 2, config.leaseMillis() / 4);
                    }
                } else {
                    step();
                }
            } catch (JedisException e) {
                if (!running) {
                    break;
                }
                if (token != null) {
                    stepDown("Redis failed under a write: " + e.getMessage());
                } else {
                    LOG.log(Level.FINE, "cluster: claiming the lease failed", e);
                }
                closeQuietly(leadConnection);
                leadConnection = null;
                nextClaim = now + RETRY_MILLIS;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "cluster: leading failed", e);
                stepDown("an error: " + e);
            }
            long pause = token != null ? config.batchMillis() : Math.min(RETRY_MILLIS / 2, config.leaseMillis() / 4);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
        }
        if (token != null) {
            try {
                log.release(leadConnection, token);
                LOG.info(() -> "cluster: " + config.node() + " gave up the lead of term " + term);
            } catch (JedisException e) {
                LOG.warning("cluster: could not give the lease up (another node takes over when it expires): " + e);
            }
            token = null;
            leading = false;
        }
        closeQuietly(leadConnection);
    }

    private void claim() {
        long sentAt = time.monotonicMillis();
        long won = log.claim(leadConnection, config.node(), config.leaseMillis(), highestTerm);
        if (won == 0) {
            return;
        }
        highestTerm = won;
        token = TradeLog.token(won, config.node());
        leaseUntil = sentAt + config.leaseMillis();
        renewAt = sentAt + config.leaseMillis() / 3;
        MarketSettings current = log.settings(leadConnection, freshMarket());
        Map<String, String> state = log.state(leadConnection);
        symbolTrades = new long[universe.size()];
        if (!state.containsKey("n")) {
            market = new Market(universe, current.config(), current.start());
            nextTrade = 1;
            Map<String, String> all = new LinkedHashMap<>();
            BarParts opening = new BarParts();
            for (int i = 0; i < universe.size(); i++) {
                all.put("s" + i, new SymbolRecord(0, market.snapshot(i)).encode());
                Quote quote = market.current(i);
                opening.add(i, quote.priceCents(), quote.volume(), quote.ts());     // the opening auction
            }
            if (!written(log.append(leadConnection, token, current.epoch(), won, 1, 0, current.start(), "", all,
                    opening.encoded(), barsMillis()))) {
                return;
            }
        } else {
            List<Market.SymbolSnapshot> saved = new ArrayList<>(universe.size());
            for (int i = 0; i < universe.size(); i++) {
                SymbolRecord record = SymbolRecord.decode(universe.get(i).symbol(), state.get("s" + i));
                symbolTrades[i] = record.trades();
                saved.add(record.snapshot());
            }
            market = Market.restore(universe, current.config(), current.start(), saved);
            nextTrade = Long.parseLong(state.get("n")) + 1;
        }
        leadEpoch = current.epoch();
        long behind = time.epochMillis() - market.nextMillis();
        if (behind > config.catchUpMillis()) {
            long pause = behind - config.catchUpMillis();
            market.pause(pause);
            LOG.warning(() -> "cluster: the market stood still for " + behind + " ms, longer than the catch-up window of "
                    + config.catchUpMillis() + " ms; it resumes as if halted for " + pause + " ms");
        }
        term = won;
        leading = true;
        leaderChanges.incrementAndGet();
        LOG.info(() -> "cluster: " + config.node() + " leads, term " + won + ", from trade " + nextTrade
                + (behind > 0 ? ", " + Math.min(behind, config.catchUpMillis()) + " ms to catch up" : ""));
    }

    /** One round of leading: renews the lease when due, and appends every trade that fell due, batch by batch. */
    private void step() {
        while (token != null) {
            long now = time.monotonicMillis();
            if (now >= renewAt) {
                if (!log.renew(leadConnection, token, config.leaseMillis())) {
                    fenced();
                    return;
                }
                leaseUntil = now + config.leaseMillis();
                renewAt = now + config.leaseMillis() / 3;
            }
            // Our own clock says the lease may be gone (a pause: GC, SIGSTOP, a slow Redis): writing
            // would be refused anyway; step down without trying.
            if (time.monotonicMillis() >= leaseUntil) {
                stepDown("its lease ran out before it could renew it");
                return;
            }
            long wallNow = time.epochMillis();
            if (market.nextMillis() > wallNow) {
                return;
            }
            // One batch at a time, so a long catch-up still renews the lease between batches. Unless
            // the market is more than a batch behind (a catch-up), one batch ends the round: the
            // trades that fall due while it is written wait for the next round, batchMillis on,
            // instead of going out as a string of small entries, each a round trip for the leader
            // and an XREAD reply for every node.
            if (!appendDue(wallNow) || market.nextMillis() > time.epochMillis() - config.batchMillis()) {
                return;
            }
        }
    }

    /** Appends the trades due by {@code wallNow}, up to {@link #MAX_BATCH}; whether Redis took them. */
    private boolean appendDue(long wallNow) {
        StringBuilder payload = new StringBuilder(256 * 16);
        Set<Integer> touched = new LinkedHashSet<>();
        BarParts parts = new BarParts();
        long first = nextTrade;
        int count = 0;
        long lastMillis = 0;
        while (count < MAX_BATCH && market.nextMillis() <= wallNow) {
            Quote quote = market.next();
            lastMillis = quote.ts();
            int index = universe.indexOf(quote.symbol());
            symbolTrades[index]++;
            payload.append(index).append(' ').append(symbolTrades[index]).append(' ').append(QuoteEncoder.toJson(quote)).append('\n');
            touched.add(index);
            parts.add(index, quote.priceCents(), quote.lastSize(), quote.ts());
            count++;
        }
        payload.setLength(payload.length() - 1);
        Map<String, String> changed = new LinkedHashMap<>();
        for (int index : touched) {
            changed.put("s" + index, new SymbolRecord(symbolTrades[index], market.snapshot(index)).encode());
        }
        long last = first + count - 1;
        if (!written(log.append(leadConnection, token, leadEpoch, term, first, last, lastMillis, payload.toString(), changed,
                parts.encoded(), barsMillis()))) {
            return false;
        }
        nextTrade = last + 1;
        return true;
    }

    private boolean written(TradeLog.Appended result) {
        switch (result) {
            case WRITTEN -> {
                return true;
            }
            case NOT_LEADER -> fenced();
            case NOT_CONTINUOUS -> stepDown("Redis no longer holds this node's last trades (restarted from an older file?);"
                    + " the market continues from what Redis holds");
        }
        return false;
    }

    private void fenced() {
        String holder = log.leaseHolder(leadConnection);
        if (holder != null) {
            // Remember the newer term, so a term this node is handed later is above it even if
            // Redis lost its counter.
            try {
                highestTerm = Math.max(highestTerm, Long.parseLong(holder.substring(0, holder.indexOf(':'))));
            } catch (RuntimeException unreadable) {
                LOG.warning("cluster: the lease holds something unexpected: " + holder);
            }
        }
        stepDown("another node holds the lease now (" + (holder == null ? "none" : holder) + "); write refused");
        fencedWrites.incrementAndGet();
    }

    private void stepDown(String why) {
        if (token == null) {
            return;
        }
        long was = term;
        LOG.warning(() -> "cluster: " + config.node() + " steps down from term " + was + ": " + why);
        token = null;
        market = null;
        symbolTrades = null;
        leading = false;
    }

    // ---- plumbing ----

    private Jedis connect() {
        Jedis jedis = new Jedis(config.broker(), clientConfig);
        jedis.ping();
        return jedis;
    }

    /**
     * What this node proposes should Redis hold no market: the same settings, opening now, under a
     * new epoch (never the old one: readers would take a new market for the one they follow).
     */
    private MarketSettings freshMarket() {
        return new MarketSettings(settings.config(), time.epochMillis(), newEpoch());
    }

    private static String newEpoch() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void closeQuietly(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // closing a broken connection
            }
        }
    }

    private void sleep(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private static void join(Thread thread) {
        if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warning(thread.getName() + " did not stop within 5 s");
        }
    }
}
