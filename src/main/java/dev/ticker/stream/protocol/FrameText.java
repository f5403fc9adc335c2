package dev.ticker.stream.protocol;

/**
 * Any server frame as its JSON text, by the same encoders the WebSocket endpoint registers: for
 * transports that write text themselves (Server-Sent Events), so both carry byte-identical frames.
 */
public final class FrameText {

    private static final WelcomeEncoder WELCOME = new WelcomeEncoder();
    private static final SubscribedEncoder SUBSCRIBED = new SubscribedEncoder();
    private static final UnsubscribedEncoder UNSUBSCRIBED = new UnsubscribedEncoder();
    private static final SnapshotEncoder SNAPSHOT = new SnapshotEncoder();
    private static final TicksEncoder TICKS = new TicksEncoder();
    private static final HeartbeatEncoder HEARTBEAT = new HeartbeatEncoder();
    private static final PongEncoder PONG = new PongEncoder();
    private static final ErrorMessageEncoder ERROR = new ErrorMessageEncoder();
    private static final MarketStateEncoder MARKET = new MarketStateEncoder();
    private static final HistoryEncoder HISTORY = new HistoryEncoder();
    private static final NoticeEncoder NOTICE = new NoticeEncoder();

    private FrameText() {
    }

    /** The JSON of {@code event}, one line (JSON-P writes no line breaks; strings escape theirs). */
    public static String of(Event event) {
        // Java 17 has no pattern switch; the sealed Event keeps this list complete.
        if (event instanceof Ticks t) {
            return TICKS.encode(t);
        } else if (event instanceof Heartbeat h) {
            return HEARTBEAT.encode(h);
        } else if (event instanceof Snapshot s) {
            return SNAPSHOT.encode(s);
        } else if (event instanceof Subscribed s) {
            return SUBSCRIBED.encode(s);
        } else if (event instanceof Unsubscribed u) {
            return UNSUBSCRIBED.encode(u);
        } else if (event instanceof Pong p) {
            return PONG.encode(p);
        } else if (event instanceof ErrorMessage e) {
            return ERROR.encode(e);
        } else if (event instanceof MarketState m) {
            return MARKET.encode(m);
        } else if (event instanceof History h) {
            return HISTORY.encode(h);
        } else if (event instanceof Notice n) {
            return NOTICE.encode(n);
        } else {
            return WELCOME.encode((Welcome) event);
        }
    }
}
