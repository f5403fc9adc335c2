package dev.ticker.stream;

import dev.ticker.market.Universe;
import dev.ticker.stream.protocol.EncodedQuote;
import dev.ticker.stream.protocol.Event;
import dev.ticker.stream.protocol.Heartbeat;
import dev.ticker.stream.protocol.MarketState;
import dev.ticker.stream.protocol.QuoteBatch;
import dev.ticker.stream.protocol.RejectCode;
import dev.ticker.stream.protocol.Rejection;
import dev.ticker.stream.protocol.ReplySize;
import dev.ticker.stream.protocol.Snapshot;
import dev.ticker.stream.protocol.Subscribed;
import dev.ticker.stream.protocol.Ticks;
import dev.ticker.stream.protocol.Unsubscribed;
import dev.ticker.stream.protocol.Welcome;
import jakarta.json.JsonValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one connection is owed: its replies, queued in order, and for each subscribed symbol the
 * version of the quote it was last sent. Ticks are not queued at all: the next frame takes every
 * subscribed quote on the {@link QuoteBoard} that is newer than what the connection has, so a
 * connection holds at most one pending quote per symbol however slowly it reads, and its memory
 * is bounded by the universe size plus its replies: at most {@code maxReplies} of them, holding at
 * most {@code maxReplyBytes} (as they will be encoded, roughly) between them.
 *
 * <p>Not thread safe: {@link Connection} guards it.
 */
final class Outbox {

    private static final String ALL = "*";
    private static final int INITIAL_SLOTS = 8;

    private final QuoteBoard board;
    private final Universe universe;
    private final int maxSymbols;
    private final int maxReplies;
    private final long maxReplyBytes;
    private long replyBytes;             // what the queued replies will take on the wire, roughly
    private Event welcome;               // the first frame, until it is sent
    private Event notice;                // the server is going away: sent next, whatever the limits
    private long marketKey = -1;         // the market state this connection was told of (MarketStatus.key)
    private final int capacity;          // most symbols one connection can hold
    // The subscribed symbols' universe indices, ascending, in subscriptions[0..count), and beside
    // each the version of the last quote of it this connection was sent. Sized to what is
    // subscribed, not to the universe: most connections follow a few symbols, and at 20,000
    // connections two universe-sized arrays each (6.5 KB for 500 symbols) were a tenth of the heap.
    private int[] subscriptions;
    private long[] sentVersion;
    private int count;
    private final ArrayDeque<Event> replies;
    private long seq;
    // The number of the last Round this connection took ticks from, or -1 if it has not since the
    // subscriptions changed (then the next round walks, whatever exact says).
    private long syncedRound = -1;
    // Whether every subscribed symbol's sentVersion is exactly syncedRound's version of it (not
    // newer: a symbol subscribed while that round's flush ran starts from the live board). Then the
    // next round's news is exactly its changed symbols, with nothing to compare.
    private boolean exact;
    // Counts changes to the subscribed set, so the flush can tell whether its index is current.
    private long subscriptionVersion;

    Outbox(QuoteBoard board, int maxSymbols, int maxReplies, long maxReplyBytes) {
        this.board = board;
        this.universe = board.universe();
        this.maxSymbols = maxSymbols;
        this.maxReplies = maxReplies;
        this.maxReplyBytes = maxReplyBytes;
        this.capacity = Math.min(maxSymbols, universe.size());
        this.subscriptions = new int[Math.min(INITIAL_SLOTS, capacity)];
        this.sentVersion = new long[subscriptions.length];
        this.replies = new ArrayDeque<>(Math.min(maxReplies, 16));
    }

    /**
     * Queues a reply; false if it does not fit: {@code maxReplies} are already waiting, or it would
     * take the waiting replies over {@code maxReplyBytes} (the client is not reading).
     */
    boolean reply(Event event) {
        long bytes = ReplySize.of(event);
        if (!fits(1, bytes)) {
            return false;
        }
        add(event, bytes);
        return true;
    }

    /** Queues the connection's first frame, which its limits do not count (its size is the universe's). */
    void welcome(Event welcome) {
        this.welcome = welcome;
        if (welcome instanceof Welcome w && w.market() != null) {
            marketKey = w.market().key();
        }
    }

    /**
     * Queues a notice, sent after the replies already queued (a snapshot stays right behind its
     * {@code subscribed}) and before any ticks: one slot, outside the reply limits.
     */
    void notice(Event notice) {
        this.notice = notice;
    }

    /**
     * Subscribes what it can of {@code requested} and queues {@code subscribed}, then (if asked
     * and anything was added) {@code snapshot}. False if the replies did not fit. {@code "*"} that
     * does not fit in {@code maxSymbols} subscribes the universe's first symbols and is rejected
     * once, as {@code *}, not symbol by symbol (a universe of thousands would make a reply of
     * hundreds of KB).
     */
    boolean subscribe(JsonValue id, List<String> requested, boolean withSnapshot) {
        List<Rejection> rejected = new ArrayList<>();
        List<EncodedQuote> snapshot = new ArrayList<>();
        boolean all = requested.contains(ALL);
        boolean allLimited = false;
        for (String symbol : expand(requested)) {
            int index = universe.indexOf(symbol);
            int slot = index < 0 ? -1 : slotOf(index);
            if (index < 0) {
                rejected.add(new Rejection(symbol, RejectCode.UNKNOWN_SYMBOL));
            } else if (slot >= 0) {
                continue;                      // already subscribed (or listed twice): no change
            } else if (count >= maxSymbols) {
                if (all) {
                    allLimited = true;
                    break;
                }
                rejected.add(new Rejection(symbol, RejectCode.SYMBOL_LIMIT));
            } else {
                syncedRound = -1;              // sentVersion now follows the live board, not a round
                subscriptionVersion++;
                // From here on only quotes newer than this one are ticks for this connection.
                QuoteBoard.Entry entry = board.latest(index);
                insert(-slot - 1, index, entry == null ? 0 : entry.version());
                if (withSnapshot && entry != null) {
                    snapshot.add(entry.quote());
                }
            }
        }
        if (allLimited) {
            rejected.add(new Rejection(ALL, RejectCode.SYMBOL_LIMIT));
        }
        Subscribed subscribed = new Subscribed(id, 0, 0, symbols(), rejected);
        Snapshot quotes = snapshot.isEmpty() ? null : new Snapshot(0, 0, snapshot);
        long subscribedBytes = ReplySize.of(subscribed);
        long quotesBytes = quotes == null ? 0 : ReplySize.of(quotes);
        if (!fits(quotes == null ? 1 : 2, subscribedBytes + quotesBytes)) {
            return false;
        }
        add(subscribed, subscribedBytes);
        if (quotes != null) {
            add(quotes, quotesBytes);
        }
        return true;
    }

    private boolean fits(int count, long bytes) {
        return replies.size() + count <= maxReplies && replyBytes + bytes <= maxReplyBytes;
    }

    private void add(Event reply, long bytes) {
        replies.add(reply);
        replyBytes += bytes;
    }

    /** Unsubscribes {@code requested} (unknown ones are ignored) and queues {@code unsubscribed}. */
    boolean unsubscribe(JsonValue id, List<String> requested) {
        for (String symbol : expand(requested)) {
            int index = universe.indexOf(symbol);
            int slot = index < 0 ? -1 : slotOf(index);
            if (slot >= 0) {
                syncedRound = -1;
                subscriptionVersion++;
                count--;
                System.arraycopy(subscriptions, slot + 1, subscriptions, slot, count - slot);
                System.arraycopy(sentVersion, slot + 1, sentVersion, slot, count - slot);
            }
        }
        return reply(new Unsubscribed(id, 0, 0, symbols()));
    }

    /**
     * The next frame to send, stamped with {@code ts} (epoch ms) and the next seq, or null if there
     * is nothing: the welcome if not sent yet, else the oldest reply if any, else a notice, otherwise (if
     * {@code round} is given) the market's state if it changed since the connection was last told
     * of it, then one {@code ticks} frame of every subscribed symbol whose quote in {@code round} is
     * newer than what the connection has seen. The market's state is one slot, not a queue: a
     * connection that missed several changes is told the latest.
     */
    Event next(long ts, Round round) {
        if (welcome != null) {
            Event first = welcome;
            welcome = null;
            return first.stamped(++seq, ts);
        }
        // isEmpty first: on the flush's path the deque is nearly always empty, and poll() would read
        // its element array as well, one more cache miss per connection per flush.
        if (!replies.isEmpty()) {
            Event reply = replies.poll();
            replyBytes -= ReplySize.of(reply);
            return reply.stamped(++seq, ts);
        }
        if (notice != null) {
            Event next = notice;
            notice = null;
            return next.stamped(++seq, ts);
        }
        if (round == null) {
            return null;
        }
        if (round.market() != null && round.market().key() != marketKey) {
            marketKey = round.market().key();
            return new MarketState(++seq, ts, round.market());
        }
        QuoteBatch data = exact && syncedRound == round.number() - 1 ? changedSinceSynced(round) : walk(round);
        syncedRound = round.number();
        return data == null ? null : new Ticks(++seq, ts, data);
    }

    /**
     * Exactly at the previous round's versions: this round's news is exactly its changed symbols
     * that are subscribed, each newer than what the connection has, and it stays exact.
     */
    private QuoteBatch changedSinceSynced(Round round) {
        int changed = round.changedCount();
        if (changed == 0 || count == 0) {
            return null;
        }
        if (count == universe.size()) {
            // Subscribed to everything (so the slot of a symbol is its index): the batch all such
            // connections share, with nothing built or compared for this one.
            for (int i = 0; i < changed; i++) {
                int index = round.changed(i);
                sentVersion[index] = round.entry(index).version();
            }
            return round.allChanged();
        }
        // Both lists ascend by universe index: one merge walk over the two.
        List<EncodedQuote> data = null;
        int slot = 0;
        for (int i = 0; i < changed && slot < count; i++) {
            int index = round.changed(i);
            while (slot < count && subscriptions[slot] < index) {
                slot++;
            }
            if (slot < count && subscriptions[slot] == index) {
                QuoteBoard.Entry entry = round.entry(index);
                // Always newer while exact; the check keeps a broken invariant from sending a
                // quote twice (the next round then walks).
                if (entry.version() > sentVersion[slot]) {
                    sentVersion[slot] = entry.version();
                    if (data == null) {
                        data = new ArrayList<>(Math.min(count, changed - i));
                    }
                    data.add(entry.quote());
                } else {
                    exact = false;
                }
            }
        }
        return data == null ? null : QuoteBatch.of(data);
    }

    /**
     * Not known to be exactly at the previous round: compare every subscription with the round.
     * Leaves the connection exact unless it has a symbol newer than the round (subscribed after the
     * round's view was taken); then the next round walks too, and its view is newer.
     */
    private QuoteBatch walk(Round round) {
        List<EncodedQuote> data = null;
        boolean same = true;
        for (int i = 0; i < count; i++) {
            int index = subscriptions[i];
            QuoteBoard.Entry entry = round.entry(index);
            long version = entry == null ? 0 : entry.version();
            if (version > sentVersion[i]) {
                sentVersion[i] = version;
                if (data == null) {
                    data = new ArrayList<>(count - i);
                }
                data.add(entry.quote());
            } else if (version < sentVersion[i]) {
                same = false;
            }
        }
        exact = same;
        return data == null ? null : QuoteBatch.of(data);
    }

    /** Whether the last {@link #next} took {@code round}'s ticks (false if it sent a reply instead, or was not called). */
    boolean caughtUp(Round round) {
        return syncedRound == round.number();
    }

    /** Changes so far to the subscribed set (each subscribe or unsubscribe that changed it). */
    long subscriptionVersion() {
        return subscriptionVersion;
    }

    /** The subscribed symbols' universe indices, ascending (a copy). */
    int[] subscribedIndices() {
        return Arrays.copyOf(subscriptions, count);
    }

    /** A stamped heartbeat. */
    Event heartbeat(long ts) {
        return new Heartbeat(++seq, ts);
    }

    /** Number of symbols subscribed. */
    int subscriptionCount() {
        return count;
    }

    /** Replies waiting to be sent. */
    int pendingReplies() {
        return replies.size();
    }

    /** What the replies waiting to be sent will take on the wire, roughly (the welcome not counted). */
    long pendingReplyBytes() {
        return replyBytes;
    }

    /** The {@code seq} of the last frame handed out. */
    long lastSeq() {
        return seq;
    }

    /** The subscribed symbols, in universe order. */
    List<String> symbols() {
        List<String> symbols = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            symbols.add(universe.get(subscriptions[i]).symbol());
        }
        return symbols;
    }

    /** The slot of the symbol at universe {@code index}, or (-(insertion point) - 1) if it is not subscribed. */
    private int slotOf(int index) {
        return Arrays.binarySearch(subscriptions, 0, count, index);
    }

    /** Subscribes the symbol at universe {@code index} in {@code slot}, growing the arrays (doubling, up to the capacity) if full. */
    private void insert(int slot, int index, long version) {
        if (count == subscriptions.length) {
            int grown = Math.min(capacity, Math.max(INITIAL_SLOTS, 2 * subscriptions.length));
            subscriptions = Arrays.copyOf(subscriptions, grown);
            sentVersion = Arrays.copyOf(sentVersion, grown);
        }
        System.arraycopy(subscriptions, slot, subscriptions, slot + 1, count - slot);
        System.arraycopy(sentVersion, slot, sentVersion, slot + 1, count - slot);
        subscriptions[slot] = index;
        sentVersion[slot] = version;
        count++;
    }

    /** The symbols a request names: the universe for "*", else each named symbol once, in order. */
    private List<String> expand(List<String> requested) {
        // Once each: a request listing one unknown symbol a thousand times gets one rejection,
        // not a reply a thousand entries long.
        return requested.contains(ALL) ? universe.symbols() : List.copyOf(new java.util.LinkedHashSet<>(requested));
    }
}
