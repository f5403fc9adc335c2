package dev.ticker.web;

import dev.ticker.cluster.ClusterConfig;
import dev.ticker.market.MarketConfig;
import dev.ticker.stream.StreamConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every setting of the app, read once at deploy. Each key ({@code ticker.flushMillis}) is looked up
 * as a system property, then as an environment variable ({@code TICKER_FLUSH_MILLIS}), then as a
 * context-param in {@code WEB-INF/web.xml}, else its default applies. A value that does not parse
 * or is out of range fails the deployment with a message naming the key and where it came from.
 *
 * @param market         the simulated market
 * @param given          the keys that were set: by a system property or the environment, or in web.xml to
 *                       something other than the default
 * @param stream         how quotes are streamed
 * @param allowedOrigins origins allowed to open the stream besides the page's own host; {@code *} = any
 * @param authToken      the token a handshake must carry, or empty: no token needed
 * @param cluster        the cluster this node joins, if {@code ticker.broker} is set
 * @param drainMillis    over how long a drain spreads its closes
 */
public record Settings(MarketConfig market, Set<String> given, StreamConfig stream, List<String> allowedOrigins,
                       String authToken, Optional<ClusterConfig> cluster, long drainMillis) {

    /** Whether {@code ticker.seed} was set (otherwise the seed was drawn at random). */
    public boolean seedGiven() {
        return given.contains("ticker.seed");
    }

    /** Whether handshakes must carry {@link #authToken}. */
    public boolean authRequired() {
        return !authToken.isEmpty();
    }

    /** Never prints the token: settings get logged. */
    @Override
    public String toString() {
        return "Settings[market=" + market + ", given=" + given + ", stream=" + stream
                + ", allowedOrigins=" + allowedOrigins + ", authToken=" + (authRequired() ? "(set)" : "(none)")
                + ", cluster=" + cluster.map(c -> c.brokerForLog() + " as " + c.node()).orElse("(none)")
                + ", drainMillis=" + drainMillis + "]";
    }


    /** Every key, with its default and meaning, in the order the README lists them. */
    public static final Map<String, String[]> KEYS = keys(
            "ticker.symbols", "30", "Symbols in the simulated universe (1-10000); past the 30 built-in names, SYN031, SYN032, ...",
            "ticker.seed", "", "Seed of the market's random draws; the same seed replays the same prices. Empty: random, logged at start",
            "ticker.updatesPerSecond", "4", "Mean trades per symbol per second while the market is open (Poisson arrivals)",
            "ticker.timeScale", "60", "Simulated trading seconds per real second (1 = real-world pace)",
            "ticker.sessionMinutes", "390", "Simulated minutes a trading session lasts (1-1440; 390: 6.5 hours, 6.5 real minutes at the default time scale)",
            "ticker.closedMinutes", "60", "Simulated minutes the market is closed between sessions (0-1440; 0: it only rolls to a new session)",
            "ticker.flushMillis", "50", "At most one ticks frame per connection per this many ms (5-10000)",
            "ticker.heartbeatMillis", "10000", "A heartbeat frame goes out after this long without another frame",
            "ticker.maxSymbols", "200", "Symbols one connection may subscribe to",
            "ticker.maxMessageBytes", "4096", "Largest client frame in bytes (64-65536); larger closes with 1009",
            "ticker.maxMessagesPerSecond", "20", "Client frames per second, sustained, before RATE_LIMITED (token bucket refill rate)",
            "ticker.maxMessageBurst", "20", "Client frames that may arrive at once (token bucket size)",
            "ticker.sendTimeoutMillis", "10000", "A send stuck this long closes the connection with 4002",
            "ticker.subscribeTimeoutMillis", "30000", "A connection subscribed to nothing for this long is closed with 1008",
            "ticker.pingMillis", "30000", "The server sends a WebSocket ping to every connection this often",
            "ticker.pongTimeoutMillis", "10000", "A ping unanswered this long closes the connection with 4003 (up to pingMillis longer while everybody's pongs come back late)",
            "ticker.maxSessions", "10000", "Connections the server holds in all; further handshakes get HTTP 503",
            "ticker.maxSessionsPerAddress", "100", "Connections from one client address; further handshakes get HTTP 429 (0: no limit)",
            "ticker.authToken", "", "If set, a handshake must carry this token (?token=... or Authorization: Bearer ...), else HTTP 401",
            "ticker.drainMillis", "5000", "A drain (undeploy, or POST /ticker/admin/drain) closes the connections with 1001 spread over this long (0-300000)",
            "ticker.permessageDeflate", "false", "Whether clients that offer permessage-deflate compression get it (it costs a Deflater, with its native memory, per connection)",
            "ticker.allowedOrigins", "", "Comma-separated origins (https://host:port) allowed besides the page's own host; * allows any",
            "ticker.broker", "", "Redis that several nodes share one market through: redis://[user:pass@]host:port[/db], rediss:// for TLS. Empty: this node runs its own market",
            "ticker.cluster", "ticker", "Name of the cluster, the prefix of its Redis keys: clusters with different names can share one Redis",
            "ticker.node", "", "This node's name in the cluster (welcome, /health, logs). Empty: host name and process id",
            "ticker.leaseMillis", "3000", "A leader that stops renewing its lease is replaced after this long (300-60000)",
            "ticker.batchMillis", "50", "The leader appends the trades that fell due this often (5-1000)",
            "ticker.catchUpMillis", "60000", "Trades that fell due while no node led are replayed up to this far back; past it the market resumes from now",
            "ticker.logLength", "1200", "Entries of the trade log Redis keeps (about; one per batch: a minute at the default batchMillis); a node further behind reloads the stored state",
            "ticker.brokerGraceMillis", "10000", "A node that cannot reach Redis keeps its clients this long, then reports DOWN, refuses handshakes (503) and closes them with 1013");

    /** Reads the settings from the given sources; {@code contextParams} may return null. */
    public static Settings load(Function<String, String> contextParams, Map<?, ?> systemProperties, Map<String, String> env) {
        Reader reader = new Reader(contextParams, systemProperties, env);
        Optional<Long> seed = reader.text("ticker.seed").isBlank()
                ? Optional.empty() : Optional.of(reader.longValue("ticker.seed"));
        MarketConfig market = reader.build("ticker.", () -> new MarketConfig(
                reader.intValue("ticker.symbols"),
                seed.orElseGet(System::nanoTime),
                reader.doubleValue("ticker.updatesPerSecond"),
                reader.doubleValue("ticker.timeScale"),
                reader.intValue("ticker.sessionMinutes"),
                reader.intValue("ticker.closedMinutes")));
        StreamConfig stream = reader.build("ticker.", () -> new StreamConfig(
                reader.intValue("ticker.flushMillis"),
                reader.intValue("ticker.heartbeatMillis"),
                reader.intValue("ticker.maxSymbols"),
                reader.intValue("ticker.maxMessageBytes"),
                reader.intValue("ticker.maxMessagesPerSecond"),
                reader.intValue("ticker.sendTimeoutMillis"),
                reader.booleanValue("ticker.permessageDeflate"),
                reader.intValue("ticker.maxMessageBurst"),
                reader.intValue("ticker.subscribeTimeoutMillis"),
                reader.intValue("ticker.pingMillis"),
                reader.intValue("ticker.pongTimeoutMillis"),
                reader.intValue("ticker.maxSessions"),
                reader.intValue("ticker.maxSessionsPerAddress")));
        List<String> origins = new ArrayList<>();
        for (String origin : reader.text("ticker.allowedOrigins").split(",")) {
            String trimmed = origin.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.equals("*")) {
                origins.add(trimmed);
            } else if (OriginFilter.isOrigin(trimmed)) {
                origins.add(OriginFilter.normalize(trimmed));
            } else {
                throw reader.invalid("ticker.allowedOrigins", "'" + trimmed + "' is not an origin like https://example.com:8443");
            }
        }
        String token = reader.text("ticker.authToken");
        if (!token.isEmpty() && (token.length() < 16 || token.length() > 256 || !token.matches("[A-Za-z0-9._~+/=-]+"))) {
            // Said without echoing the value: it is a secret.
            throw new IllegalArgumentException("invalid setting ticker.authToken (from " + reader.source("ticker.authToken")
                    + "): 16 to 256 characters of A-Z a-z 0-9 . _ ~ + / = -");
        }
        Optional<ClusterConfig> cluster = Optional.empty();
        String broker = reader.text("ticker.broker");
        if (!broker.isEmpty()) {
            URI uri;
            try {
                uri = new URI(broker);
            } catch (URISyntaxException e) {
                uri = null;
            }
            if (uri == null || !"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
                // Said without echoing the value: it may hold a password.
                throw new IllegalArgumentException("invalid setting ticker.broker (from " + reader.source("ticker.broker")
                        + "): expected redis://[user:password@]host:port[/db] or rediss://...");
            }
            String node = reader.text("ticker.node").isEmpty() ? defaultNodeName() : reader.text("ticker.node");
            URI brokerUri = uri;
            cluster = Optional.of(reader.build("ticker.", () -> new ClusterConfig(brokerUri,
                    reader.text("ticker.cluster"), node,
                    reader.intValue("ticker.leaseMillis"),
                    reader.intValue("ticker.batchMillis"),
                    reader.longValue("ticker.catchUpMillis"),
                    reader.longValue("ticker.logLength"),
                    reader.longValue("ticker.brokerGraceMillis"))));
        }
        Set<String> given = new LinkedHashSet<>();
        for (String key : KEYS.keySet()) {
            if (reader.given(key)) {
                given.add(key);
            }
        }
        long drainMillis = reader.longValue("ticker.drainMillis");
        if (drainMillis < 0 || drainMillis > 300_000) {
            throw reader.invalid("ticker.drainMillis", "expected 0 to 300000");
        }
        return new Settings(market, Set.copyOf(given), stream, List.copyOf(origins), token, cluster, drainMillis);
    }

    private static String defaultNodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        return (host.replaceAll("[^A-Za-z0-9._-]", "") + "-" + ProcessHandle.current().pid());
    }

    /** Environment variable of a key: {@code ticker.maxSymbols} is {@code TICKER_MAX_SYMBOLS}. */
    public static String envName(String key) {
        return key.replace('.', '_').replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static Map<String, String[]> keys(String... triples) {
        Map<String, String[]> map = new LinkedHashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            map.put(triples[i], Arrays.copyOfRange(triples, i + 1, i + 3));
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    /** Looks keys up in order of precedence and says where a bad value came from. */
    private static final class Reader {
        private final Function<String, String> contextParams;
        private final Map<?, ?> systemProperties;
        private final Map<String, String> env;

        Reader(Function<String, String> contextParams, Map<?, ?> systemProperties, Map<String, String> env) {
            this.contextParams = contextParams;
            this.systemProperties = systemProperties;
            this.env = env;
        }

        String text(String key) {
            return lookup(key)[0];
        }

        String source(String key) {
            return lookup(key)[1];
        }

        /** {value, where it came from}. */
        private String[] lookup(String key) {
            String[] known = KEYS.get(key);
            if (known == null) {
                throw new IllegalArgumentException("unknown setting " + key);
            }
            Object property = systemProperties.get(key);
            if (property != null) {
                return new String[] {property.toString().trim(), "system property " + key};
            }
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                return new String[] {fromEnv.trim(), "environment variable " + envName(key)};
            }
            String param = contextParams.apply(key);
            if (param != null) {
                return new String[] {param.trim(), "context-param " + key + " in web.xml"};
            }
            return new String[] {known[0], "default"};
        }

        /**
         * Whether {@code key} was set: by a system property or an environment variable, or in
         * web.xml to something other than the default (the shipped web.xml lists the defaults).
         * An empty value is not a setting.
         */
        boolean given(String key) {
            String[] found = lookup(key);
            return !found[0].isEmpty() && !found[1].equals("default")
                    && !(found[1].startsWith("context-param") && found[0].equals(KEYS.get(key)[0]));
        }

        int intValue(String key) {
            long value = longValue(key);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw invalid(key, "out of range");
            }
            return (int) value;
        }

        long longValue(String key) {
            try {
                return Long.parseLong(text(key));
            } catch (NumberFormatException e) {
                throw invalid(key, "expected a whole number");
            }
        }

        boolean booleanValue(String key) {
            String value = text(key).toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw invalid(key, "expected true or false");
            }
            return Boolean.parseBoolean(value);
        }

        double doubleValue(String key) {
            try {
                double value = Double.parseDouble(text(key));
                if (!Double.isFinite(value)) {
                    throw invalid(key, "expected a finite number");
                }
                return value;
            } catch (NumberFormatException e) {
                throw invalid(key, "expected a number");
            }
        }

        /** Builds a config record, naming the key when its own validation rejects a value. */
        <T> T build(String prefix, java.util.function.Supplier<T> constructor) {
            try {
                return constructor.get();
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("invalid setting ")) {
                    throw e;
                }
                // The records name the component first ("flushMillis must be in [5, 10000]: 1").
                String component = e.getMessage() == null ? "" : e.getMessage().split(" ", 2)[0];
                String key = prefix + component;
                if (!KEYS.containsKey(key)) {
                    throw e;
                }
                throw invalid(key, e.getMessage().substring(component.length()).trim());
            }
        }

        IllegalArgumentException invalid(String key, String problem) {
            String[] found = lookup(key);
            return new IllegalArgumentException("invalid setting " + key + "='" + found[0] + "' (from "
                    + found[1] + "): " + problem);
        }
    }
}
