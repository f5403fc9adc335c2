package dev.ticker.web;

import dev.ticker.market.QuoteSource;
import dev.ticker.stream.QuoteHub;
import dev.ticker.stream.StreamMetrics;
import dev.ticker.stream.protocol.ErrorMessage;
import dev.ticker.stream.protocol.Event;
import dev.ticker.stream.protocol.Heartbeat;
import dev.ticker.stream.protocol.Pong;
import dev.ticker.stream.protocol.Snapshot;
import dev.ticker.stream.protocol.Subscribed;
import dev.ticker.stream.protocol.Ticks;
import dev.ticker.stream.protocol.Unsubscribed;
import dev.ticker.stream.protocol.History;
import dev.ticker.stream.protocol.Notice;
import dev.ticker.stream.protocol.MarketState;
import dev.ticker.stream.protocol.Welcome;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * The app's metrics, kept with the Prometheus Java client in a registry of this deployment's own
 * (not the library's static default one, which would outlive an undeploy): the stream reports
 * sends and flushes here as they happen ({@link StreamMetrics}); what the hub, the feed and the
 * filters count anyway is read when the metrics are scraped. {@link MetricsServlet} writes them.
 */
final class Metrics implements StreamMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter frames = Counter.builder().name("ticker_frames_sent_total")
            .help("Frames handed to the container, by type").labelNames("type")
            // No exemplars: there is no tracing to link to, and sampling them costs on every send.
            .withoutExemplars().register(registry);
    private final CounterDataPoint welcome = frames.labelValues("welcome");
    private final CounterDataPoint subscribed = frames.labelValues("subscribed");
    private final CounterDataPoint unsubscribed = frames.labelValues("unsubscribed");
    private final CounterDataPoint snapshot = frames.labelValues("snapshot");
    private final CounterDataPoint ticks = frames.labelValues("ticks");
    private final CounterDataPoint heartbeat = frames.labelValues("heartbeat");
    private final CounterDataPoint pong = frames.labelValues("pong");
    private final CounterDataPoint error = frames.labelValues("error");
    private final CounterDataPoint market = frames.labelValues("market");
    private final CounterDataPoint history = frames.labelValues("history");
    private final CounterDataPoint notice = frames.labelValues("notice");
    private final Counter quotes = Counter.builder().name("ticker_quotes_sent_total")
            .help("Quotes sent in ticks frames (one quote per symbol per frame at most)").withoutExemplars().register(registry);
    private final Counter conflated = Counter.builder().name("ticker_updates_conflated_total")
            .help("Quote updates replaced by a newer one of the same symbol before a flush took them; no client sees these")
            .withoutExemplars().register(registry);
    private final Counter busy = Counter.builder().name("ticker_flush_busy_total")
            .help("Times a flush found a connection still sending its previous frame; its updates wait for the next flush")
            .withoutExemplars().register(registry);
    private final Counter visits = Counter.builder().name("ticker_flush_visits_total")
            .help("Connections the flushes visited: those with news, the busy ones, and a sweep of all at least once a second")
            .withoutExemplars().register(registry);
    private final Counter flushes = Counter.builder().name("ticker_flushes_total")
            .help("Flushes run").withoutExemplars().register(registry);
    private final Counter sendFailures = Counter.builder().name("ticker_send_failures_total")
            .help("Sends the container reported as failed").withoutExemplars().register(registry);
    private final Histogram sendSeconds = Histogram.builder().name("ticker_send_seconds")
            .help("Time from handing a frame to the container to its completion")
            .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .withoutExemplars().register(registry);
    private final Histogram pongSeconds = Histogram.builder().name("ticker_pong_round_trip_seconds")
            .help("Time from writing a ping to reading its pong: the client's answer plus the server's own delay in reading it")
            .classicOnly().classicUpperBounds(0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .withoutExemplars().register(registry);

    Metrics() {
    }

    /** Registers what is read at scrape time; {@code runtime} supplies the running app. */
    void readFrom(Supplier<TickerRuntime> runtime) {
        GaugeWithCallback.builder().name("ticker_sessions").help("Open WebSocket connections")
                .callback(cb -> cb.call(runtime.get().hub().sessions())).register(registry);
        GaugeWithCallback.builder().name("ticker_sessions_admitted")
                .help("Connections counted against the limits: open, and handshakes in progress")
                .callback(cb -> cb.call(runtime.get().hub().admission().total())).register(registry);
        GaugeWithCallback.builder().name("ticker_subscriptions").help("Symbols subscribed, summed over the connections")
                .callback(cb -> cb.call(runtime.get().hub().subscriptions())).register(registry);
        CounterWithCallback.builder().name("ticker_ticks_produced_total").help("Quote updates the market produced")
                .callback(cb -> cb.call(feed(runtime).published())).register(registry);
        GaugeWithCallback.builder().name("ticker_cluster_role")
                .help("1 for this node's role: standalone (its own market), leader or follower").labelNames("role")
                .callback(cb -> cb.call(1, feed(runtime).status().role())).register(registry);
        GaugeWithCallback.builder().name("ticker_cluster_term").help("Cluster mode: the term this node led in last (0: never)")
                .callback(cb -> cb.call(feed(runtime).status().term())).register(registry);
        GaugeWithCallback.builder().name("ticker_cluster_bus_lag_seconds")
                .help("Cluster mode: how far the newest trade read from Redis trails this node's wall clock")
                .callback(cb -> cb.call(feed(runtime).status().busLagMillis() / 1e3)).register(registry);
        CounterWithCallback.builder().name("ticker_cluster_leader_changes_total").help("Cluster mode: times this node became leader")
                .callback(cb -> cb.call(feed(runtime).status().leaderChanges())).register(registry);
        CounterWithCallback.builder().name("ticker_cluster_fenced_writes_total")
                .help("Cluster mode: writes Redis refused because this node no longer held the lease")
                .callback(cb -> cb.call(feed(runtime).status().fencedWrites())).register(registry);
        CounterWithCallback.builder().name("ticker_cluster_resnapshots_total")
                .help("Cluster mode: times this node reloaded the stored state (joining, a gap in the log, a new epoch)")
                .callback(cb -> cb.call(feed(runtime).status().resnapshots())).register(registry);
        CounterWithCallback.builder().name("ticker_connections_closed_total")
                .help("Connections the server closed, by close code (the clients' own closes are not counted)")
                .labelNames("code")
                .callback(cb -> hub(runtime).closesByCode().forEach((code, count) -> cb.call(count, String.valueOf(code))))
                .register(registry);
        CounterWithCallback.builder().name("ticker_handshakes_refused_total")
                .help("WebSocket handshakes refused before the upgrade, by reason (origin 403, token 401, address 429, capacity 503, unavailable 503)")
                .labelNames("reason")
                .callback(cb -> {
                    for (Refusals.Reason reason : Refusals.Reason.values()) {
                        cb.call(runtime.get().refusals().get(reason), reason.label());
                    }
                })
                .register(registry);
    }

    private static QuoteHub hub(Supplier<TickerRuntime> runtime) {
        return runtime.get().hub();
    }

    private static QuoteSource feed(Supplier<TickerRuntime> runtime) {
        return runtime.get().feed();
    }

    PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void frameSent(Event event) {
        // Java 17: no pattern switch; the sealed Event keeps this list complete.
        if (event instanceof Ticks t) {
            ticks.inc();
            quotes.inc(t.data().size());
        } else if (event instanceof Heartbeat) {
            heartbeat.inc();
        } else if (event instanceof Pong) {
            pong.inc();
        } else if (event instanceof Subscribed) {
            subscribed.inc();
        } else if (event instanceof Snapshot) {
            snapshot.inc();
        } else if (event instanceof Unsubscribed) {
            unsubscribed.inc();
        } else if (event instanceof Welcome) {
            welcome.inc();
        } else if (event instanceof ErrorMessage) {
            error.inc();
        } else if (event instanceof MarketState) {
            market.inc();
        } else if (event instanceof History) {
            history.inc();
        } else if (event instanceof Notice) {
            notice.inc();
        }
    }

    @Override
    public void sendCompleted(long nanos, boolean ok) {
        sendSeconds.observe(nanos / 1e9);
        if (!ok) {
            sendFailures.inc();
        }
    }

    @Override
    public void pongRead(long roundTripMillis) {
        pongSeconds.observe(roundTripMillis / 1e3);
    }

    @Override
    public void flushed(long conflatedUpdates, long busyConnections, long visitedConnections) {
        flushes.inc();
        if (visitedConnections > 0) {
            visits.inc(visitedConnections);
        }
        if (conflatedUpdates > 0) {
            conflated.inc(conflatedUpdates);
        }
        if (busyConnections > 0) {
            busy.inc(busyConnections);
        }
    }
}
