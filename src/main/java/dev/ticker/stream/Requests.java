package dev.ticker.stream;

import dev.ticker.history.BarBook;
import dev.ticker.market.TimeSource;
import dev.ticker.stream.protocol.Command;
import dev.ticker.stream.protocol.CommandDecoder;
import dev.ticker.stream.protocol.ErrorCode;
import dev.ticker.stream.protocol.ErrorMessage;
import dev.ticker.stream.protocol.History;
import dev.ticker.stream.protocol.HistoryRequest;
import dev.ticker.stream.protocol.Invalid;
import dev.ticker.stream.protocol.Ping;
import dev.ticker.stream.protocol.Pong;
import dev.ticker.stream.protocol.Subscribe;
import dev.ticker.stream.protocol.Unsubscribe;

/**
 * Carries out a client's requests, whatever transport brought them: the rate limit first (a
 * dropped request gets {@code RATE_LIMITED}; a client that keeps flooding is closed with 1008),
 * then the request, whose reply goes into the connection's outbox. A request over the size limit
 * closes the connection with 1009, as a client that cannot read its replies does with 1008.
 */
final class Requests {

    private final StreamConfig config;
    private final TimeSource time;
    private final BarBook history;
    private final Connections connections;
    private final Closer closer;

    /** {@code history}: the bars {@code history} requests are answered from; null: none kept (requests get an error). */
    Requests(StreamConfig config, TimeSource time, BarBook history, Connections connections, Closer closer) {
        this.config = config;
        this.time = time;
        this.history = history;
        this.connections = connections;
        this.closer = closer;
    }

    /** Carries out one request. */
    void handle(Connection connection, Command command) {
        long now = time.monotonicMillis();
        if (command instanceof Invalid invalid && invalid.code() == ErrorCode.MESSAGE_TOO_BIG) {
            closer.close(connection, new Close(CloseCodes.TOO_BIG, invalid.message()));
            return;
        }
        switch (connection.admit(now)) {
            case ABUSE -> {
                closer.close(connection, new Close(CloseCodes.VIOLATED_POLICY,
                        "more than " + config.maxMessagesPerSecond() + " requests per second, repeatedly"));
                return;
            }
            case LIMIT -> {
                if (!connection.reply(now, new ErrorMessage(command.id(), 0, 0, ErrorCode.RATE_LIMITED,
                        "more than " + config.maxMessagesPerSecond() + " requests per second; request dropped"))) {
                    unanswerable(connection);
                }
                return;
            }
            case ALLOW -> { }
        }
        if (!carryOut(connection, now, command)) {
            unanswerable(connection);
        }
        if (command instanceof Subscribe || command instanceof Unsubscribe) {
            connections.attend(connection);          // after the change: the flush re-reads the symbols
        }
    }

    /** Queues the reply to an admitted request; false if the outbox is full. */
    private boolean carryOut(Connection connection, long now, Command command) {
        // Java 17 has no pattern switch; the sealed Command keeps this list complete.
        if (command instanceof Subscribe s) {
            return connection.subscribe(now, s.id(), s.symbols(), s.snapshot());
        } else if (command instanceof Unsubscribe u) {
            return connection.unsubscribe(now, u.id(), u.symbols());
        } else if (command instanceof Ping p) {
            return connection.reply(now, new Pong(p.id(), 0, 0));
        } else if (command instanceof HistoryRequest h) {
            int index = history == null ? -1 : history.universe().indexOf(h.symbol());
            if (index < 0) {
                return connection.reply(now, new ErrorMessage(h.id(), 0, 0, ErrorCode.UNKNOWN_SYMBOL,
                        history == null ? "this server keeps no history" : "unknown symbol " + CommandDecoder.quote(h.symbol())));
            }
            return connection.reply(now, new History(h.id(), 0, 0, history.bars(index, h.previous(), time.epochMillis())));
        } else {
            Invalid i = (Invalid) command;
            return connection.reply(now, new ErrorMessage(i.id(), 0, 0, i.code(), i.message()));
        }
    }

    private void unanswerable(Connection connection) {
        closer.close(connection, new Close(CloseCodes.VIOLATED_POLICY,
                "replies waiting over " + config.maxPendingReplies() + " or " + config.maxPendingReplyBytes()
                        + " bytes; read your frames"));
    }
}
