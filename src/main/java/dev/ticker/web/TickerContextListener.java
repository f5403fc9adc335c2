package dev.ticker.web;

import dev.ticker.cluster.ClusterFeed;
import dev.ticker.history.BarBook;
import dev.ticker.market.Market;
import dev.ticker.market.MarketConfig;
import dev.ticker.market.MarketFeed;
import dev.ticker.market.Quote;
import dev.ticker.market.QuoteSource;
import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import dev.ticker.stream.Close;
import dev.ticker.stream.CloseCodes;
import dev.ticker.stream.QuoteBoard;
import dev.ticker.stream.sse.SseServlet;
import dev.ticker.stream.websocket.QuoteEndpoint;
import dev.ticker.stream.QuoteHub;
import dev.ticker.stream.protocol.Build;
import dev.ticker.stream.protocol.EncodedQuote;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns the app's lifecycle: on deploy it reads the {@link Settings}, builds the market and the hub
 * and starts their threads; on undeploy it drains the sessions (each told when, then closed with
 * 1001, spread over {@code ticker.drainMillis}) and stops every thread it started, so a redeploy
 * leaves nothing behind.
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
        Build build = build();
        QuoteBoard board;
        QuoteSource feed;
        QuoteHub hub;
        BarBook bars;
        if (settings.cluster().isPresent()) {
            // Loaded only here: in embedded mode no Redis class is ever touched.
            ClusterFeed cluster = new ClusterFeed(settings.cluster().get(), settings.market(), settings.given(), time);
            board = cluster.board();
            hub = new QuoteHub(board, settings.stream(), time, metrics, cluster.config().node(), cluster.bars(), build);
            bars = cluster.bars();
            // Clients of a node that lost the market, or whose market started over, go to another
            // node (or come back later) for a fresh snapshot, not all in the same instant.
            hub.shedWhen(() -> cluster.isRunning() ? null : cluster.restarting()
                    ? new Close(CloseCodes.SERVICE_RESTART, "the market started over; connect again")
                    : new Close(CloseCodes.TRY_AGAIN_LATER, "this node lost the market; connect again"),
                    SHED_SPREAD_MILLIS);
            feed = cluster;
        } else {
            Universe universe = Universe.standard(settings.market().symbols(), settings.market().seed());
            Market market = new Market(universe, settings.market(), time.epochMillis());
            board = new QuoteBoard(universe, market.calendar());
            BarBook book = new BarBook(universe, market.calendar());
            for (int i = 0; i < universe.size(); i++) {
                // The opening quotes, so snapshots are never empty; the opening auction is the first bar.
                Quote opening = market.current(i);
                board.publish(opening);
                book.record(i, opening.priceCents(), opening.volume(), opening.ts());
            }
            bars = book;
            hub = new QuoteHub(board, settings.stream(), time, metrics, "", book, build);
            QuoteBoard quotes = board;
            feed = new MarketFeed(market, quote -> {
                int index = universe.indexOf(quote.symbol());
                book.record(index, quote.priceCents(), quote.lastSize(), quote.ts());
                quotes.publish(index, EncodedQuote.of(quote));
            }, time);
        }
        try {
            QuoteEndpoint.register(context, hub);
            SseServlet.register(context, hub);
        } catch (RuntimeException e) {
            feed.close();          // nothing started yet; a cluster feed holds a connection to Redis
            throw e;
        }
        hub.start();
        feed.start();
        TickerRuntime runtime = new TickerRuntime(settings, build, feed, hub, bars, time, time.monotonicMillis(), new Refusals(), metrics);
        metrics.readFrom(() -> runtime);
        context.setAttribute(ATTRIBUTE, runtime);
        MarketConfig market = feed.market();
        LOG.info(() -> String.format("ticker %s (%s%s) started: %d symbols, seed %d%s, %s, %s",
                build.version(), build.commit(), build.dirty() ? ", with uncommitted changes" : "", market.symbols(), market.seed(), settings.seedGiven() || settings.cluster().isPresent() ? "" : " (random)",
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
        drain(runtime);
        context.removeAttribute(ATTRIBUTE);
        runtime.feed().close();
        runtime.hub().shutdown(SHUTDOWN_MILLIS);
        LOG.info("ticker stopped");
    }

    /**
     * Drains the connections still open (a drain request may have begun it already), and waits
     * until they are gone or the drain's time and a second more have passed; the shutdown that
     * follows closes whatever is left at once. Not while the JVM is exiting: the server is being
     * stopped, not the app undeployed, and a container may then end the process before the drain
     * does (Payara Micro did: every client got 1006 instead of 1001). A server is stopped after a
     * drain request (README "Draining a node").
     */
    static void drain(TickerRuntime runtime) {
        if (jvmExiting()) {
            LOG.info("the JVM is exiting: closing every connection now, without a drain");
            return;
        }
        long drainMillis = runtime.settings().drainMillis();
        runtime.hub().drain(drainMillis, true);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis + 1_000);
        try {
            while (runtime.hub().sessions() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the JVM is running its shutdown hooks: the only moment it refuses a new one. */
    private static boolean jvmExiting() {
        Thread probe = new Thread(() -> { }, "ticker-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** The version and commit the build wrote into {@code build.properties} (pom.xml). */
    private static Build build() {
        Properties properties = new Properties();
        try (InputStream in = TickerContextListener.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read build.properties; the build is unknown", e);
        }
        return Build.from(properties);
    }

    /** The running app of {@code context}; null before it started, if it failed to, and once it is stopping. */
    static TickerRuntime runningOrNull(ServletContext context) {
        return (TickerRuntime) context.getAttribute(ATTRIBUTE);
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
