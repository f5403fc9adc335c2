package dev.ticker.web;

import dev.ticker.cluster.ClusterFeed;
import dev.ticker.market.Market;
import dev.ticker.market.MarketConfig;
import dev.ticker.market.MarketFeed;
import dev.ticker.market.QuoteSource;
import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import dev.ticker.stream.QuoteBoard;
import dev.ticker.stream.QuoteEndpoint;
import dev.ticker.stream.QuoteHub;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.util.logging.Logger;

/**
 * Owns the app's lifecycle: on deploy it reads the {@link Settings}, builds the market and the hub
 * and starts their threads; on undeploy it closes every session with 1001 and stops every thread
 * it started, so a redeploy leaves nothing behind.
 */
public class TickerContextListener implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(TickerContextListener.class.getName());
    private static final String ATTRIBUTE = TickerRuntime.class.getName();
    private static final long SHUTDOWN_MILLIS = 5_000;
    private static final long SHED_SPREAD_MILLIS = 5_000;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings = Settings.load(context::getInitParameter, System.getProperties(), System.getenv());
        TimeSource time = TimeSource.SYSTEM;
        Metrics metrics = new Metrics();
        QuoteBoard board;
        QuoteSource feed;
        QuoteHub hub;
        if (settings.cluster().isPresent()) {
            // Loaded only here: in embedded mode no Redis class is ever touched.
            ClusterFeed cluster = new ClusterFeed(settings.cluster().get(), settings.market(), settings.given(), time);
            board = cluster.board();
            hub = new QuoteHub(board, settings.stream(), time, metrics, cluster.config().node());
            // Clients of a node that lost the market, or whose market started over, go to another
            // node (or come back later) for a fresh snapshot, not all in the same instant.
            hub.shedWhen(() -> cluster.isRunning() ? null : cluster.restarting()
                    ? new CloseReason(CloseReason.CloseCodes.SERVICE_RESTART, "the market started over; connect again")
                    : new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "this node lost the market; connect again"),
                    SHED_SPREAD_MILLIS);
            feed = cluster;
        } else {
            Universe universe = Universe.standard(settings.market().symbols(), settings.market().seed());
            Market market = new Market(universe, settings.market(), time.epochMillis());
            board = new QuoteBoard(universe);
            for (int i = 0; i < universe.size(); i++) {
                board.publish(market.current(i));          // the opening quotes, so snapshots are never empty
            }
            hub = new QuoteHub(board, settings.stream(), time, metrics);
            feed = new MarketFeed(market, hub::publish, time);
        }
        try {
            register(context, hub);
        } catch (RuntimeException e) {
            feed.close();          // nothing started yet; a cluster feed holds a connection to Redis
            throw e;
        }
        hub.start();
        feed.start();
        TickerRuntime runtime = new TickerRuntime(settings, feed, hub, time, time.monotonicMillis(), new Refusals(), metrics);
        metrics.readFrom(() -> runtime);
        context.setAttribute(ATTRIBUTE, runtime);
        MarketConfig market = feed.market();
        LOG.info(() -> String.format("ticker started: %d symbols, seed %d%s, %s, %s",
                market.symbols(), market.seed(), settings.seedGiven() || settings.cluster().isPresent() ? "" : " (random)",
                market, settings.stream()) + (settings.authRequired() ? ", token required" : "")
                + settings.cluster().map(c -> ", cluster " + c.cluster() + " at " + c.brokerForLog() + " as node " + c.node()).orElse(""));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        TickerRuntime runtime = (TickerRuntime) context.getAttribute(ATTRIBUTE);
        if (runtime == null) {
            return;
        }
        context.removeAttribute(ATTRIBUTE);
        runtime.feed().close();
        runtime.hub().shutdown(SHUTDOWN_MILLIS);
        LOG.info("ticker stopped");
    }

    /** Publishes the stream's endpoint, with this deployment's hub in its configurator. */
    private static void register(ServletContext context, QuoteHub hub) {
        ServerContainer container = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new IllegalStateException("this server offers no WebSocket container (Jakarta WebSocket 2.1 is required)");
        }
        try {
            container.addEndpoint(QuoteEndpoint.config(hub));
        } catch (DeploymentException e) {
            throw new IllegalStateException("the stream's endpoint could not be published: " + e.getMessage(), e);
        }
    }

    /** The running app of {@code context}; fails if it did not start. */
    static TickerRuntime runtime(ServletContext context) {
        TickerRuntime runtime = (TickerRuntime) context.getAttribute(ATTRIBUTE);
        if (runtime == null) {
            throw new IllegalStateException("the ticker did not start; see the deployment log");
        }
        return runtime;
    }
}
