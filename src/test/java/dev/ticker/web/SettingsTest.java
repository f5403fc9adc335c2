package dev.ticker.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.stream.StreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings load(Map<String, String> params, Map<String, String> props, Map<String, String> env) {
        return Settings.load(params::get, props, env);
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        Settings settings = load(Map.of(), Map.of(), Map.of());
        assertEquals(StreamConfig.defaults(), settings.stream());
        assertEquals(30, settings.market().symbols());
        assertEquals(4.0, settings.market().updatesPerSecond());
        assertEquals(60.0, settings.market().timeScale());
        assertFalse(settings.seedGiven());
        assertEquals(List.of(), settings.allowedOrigins());
    }

    @Test
    void systemPropertiesBeatEnvironmentBeatsContextParams() {
        Map<String, String> params = Map.of("ticker.flushMillis", "70", "ticker.maxSymbols", "7", "ticker.seed", "5");
        Map<String, String> env = Map.of("TICKER_FLUSH_MILLIS", "80", "TICKER_MAX_SYMBOLS", "8");
        Map<String, String> props = Map.of("ticker.flushMillis", "90");
        Settings settings = load(params, props, env);
        assertEquals(90, settings.stream().flushMillis());
        assertEquals(8, settings.stream().maxSymbols());
        assertEquals(5, settings.market().seed());
        assertTrue(settings.seedGiven());
    }

    @Test
    void environmentNamesAreUpperSnakeCase() {
        assertEquals("TICKER_MAX_MESSAGES_PER_SECOND", Settings.envName("ticker.maxMessagesPerSecond"));
        assertEquals("TICKER_SEED", Settings.envName("ticker.seed"));
    }

    @Test
    void aValueThatDoesNotParseNamesTheKeyAndItsSource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(), Map.of(), Map.of("TICKER_HEARTBEAT_MILLIS", "soon")));
        assertEquals("invalid setting ticker.heartbeatMillis='soon' (from environment variable TICKER_HEARTBEAT_MILLIS):"
                + " expected a whole number", e.getMessage());
    }

    @Test
    void settingsThatContradictEachOtherFailNamingBoth() {
        IllegalArgumentException flush = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(), Map.of("ticker.flushMillis", "500", "ticker.heartbeatMillis", "1000"), Map.of()));
        assertEquals("invalid setting ticker.flushMillis='500' (from system property ticker.flushMillis): must be at most"
                + " a quarter of heartbeatMillis (1000): 500; the flush checks that deadline only every flushMillis",
                flush.getMessage());
        IllegalArgumentException pong = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(), Map.of(), Map.of("TICKER_PING_MILLIS", "5000", "TICKER_PONG_TIMEOUT_MILLIS", "6000")));
        assertEquals("invalid setting ticker.pongTimeoutMillis='6000' (from environment variable TICKER_PONG_TIMEOUT_MILLIS):"
                + " must be at most pingMillis (5000): 6000; a client would be pinged again before its last ping timed out",
                pong.getMessage());
        for (String key : List.of("ticker.sendTimeoutMillis", "ticker.subscribeTimeoutMillis", "ticker.pingMillis",
                "ticker.pongTimeoutMillis")) {
            Map<String, String> props = new java.util.HashMap<>(Map.of("ticker.flushMillis", "1000",
                    "ticker.heartbeatMillis", "60000", "ticker.pingMillis", "30000", "ticker.pongTimeoutMillis", "10000",
                    "ticker.sendTimeoutMillis", "10000", "ticker.subscribeTimeoutMillis", "30000"));
            props.put(key, "3999");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(Map.of(), props, Map.of()), key);
            assertTrue(e.getMessage().contains("a quarter of " + key.substring("ticker.".length()) + " (3999)"), e::getMessage);
        }
        // Just far enough apart is fine.
        load(Map.of(), Map.of("ticker.flushMillis", "250", "ticker.heartbeatMillis", "1000", "ticker.pingMillis", "1000",
                "ticker.pongTimeoutMillis", "1000", "ticker.sendTimeoutMillis", "1000", "ticker.subscribeTimeoutMillis", "1000"),
                Map.of());
    }

    @Test
    void aValueOutOfRangeNamesTheKeyAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("ticker.flushMillis", "1"), Map.of(), Map.of()));
        assertEquals("invalid setting ticker.flushMillis='1' (from context-param ticker.flushMillis in web.xml):"
                + " must be in [5, 10000]: 1", e.getMessage());
        IllegalArgumentException market = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(), Map.of("ticker.updatesPerSecond", "-2"), Map.of()));
        assertTrue(market.getMessage().startsWith("invalid setting ticker.updatesPerSecond='-2' (from system property"),
                market.getMessage());
        assertThrows(IllegalArgumentException.class, () -> load(Map.of(), Map.of("ticker.timeScale", "NaN"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> load(Map.of(), Map.of("ticker.symbols", "99999999999"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> load(Map.of(), Map.of("ticker.maxMessageBytes", "100000"), Map.of()));
    }

    @Test
    void allowedOriginsAreValidatedAndNormalized() {
        Settings settings = load(Map.of("ticker.allowedOrigins", " HTTPS://Trader.Example.com:443 , http://10.0.0.5:8080,*"),
                Map.of(), Map.of());
        assertEquals(List.of("https://trader.example.com", "http://10.0.0.5:8080", "*"), settings.allowedOrigins());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("ticker.allowedOrigins", "trader.example.com"), Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("ticker.allowedOrigins"), e.getMessage());
    }

    @Test
    void anAuthTokenIsCheckedAndNeverEchoed() {
        assertFalse(load(Map.of(), Map.of(), Map.of()).authRequired());
        Settings settings = load(Map.of(), Map.of(), Map.of("TICKER_AUTH_TOKEN", "s3cret-token-0123456"));
        assertTrue(settings.authRequired());
        assertFalse(settings.toString().contains("s3cret"), settings::toString);
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(), Map.of(), Map.of("TICKER_AUTH_TOKEN", "short-secret")));
        assertFalse(tooShort.getMessage().contains("short-secret"), tooShort::getMessage);
        assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(), Map.of(), Map.of("TICKER_AUTH_TOKEN", "has spaces in the token")));
    }

    @Test
    void webXmlDeclaresEveryKeyWithTheDefaultTheCodeUses() throws Exception {
        String webXml = Files.readString(Path.of("webapp/WEB-INF/web.xml"));
        Matcher param = Pattern.compile("<param-name>([^<]+)</param-name><param-value>([^<]*)</param-value>").matcher(webXml);
        Map<String, String> declared = new LinkedHashMap<>();
        while (param.find()) {
            if (param.group(1).startsWith("ticker.")) {       // the others are the containers' own
                declared.put(param.group(1), param.group(2));
            }
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        Settings.KEYS.forEach((key, value) -> defaults.put(key, value[0]));
        assertEquals(defaults, declared);
    }

    @Test
    void readmeDocumentsEveryKey() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (String key : Settings.KEYS.keySet()) {
            assertTrue(readme.contains("`" + key + "`"), () -> "README.md does not document " + key);
            assertTrue(readme.contains("`" + Settings.envName(key) + "`"), () -> "README.md does not name " + Settings.envName(key));
        }
    }

    @Test
    void withoutABrokerThereIsNoClusterAndWithOneItsSettingsAreRead() {
        assertTrue(load(Map.of(), Map.of(), Map.of()).cluster().isEmpty());
        Settings settings = load(Map.of(), Map.of(), Map.of("TICKER_BROKER", "redis://ticker:s3cret@redis.internal:6380/2",
                "TICKER_NODE", "n1", "TICKER_LEASE_MILLIS", "2000"));
        var cluster = settings.cluster().orElseThrow();
        assertEquals("redis.internal", cluster.broker().getHost());
        assertEquals("n1", cluster.node());
        assertEquals("ticker", cluster.cluster());
        assertEquals(2000, cluster.leaseMillis());
        assertEquals("redis://ticker:***@redis.internal:6380/2", cluster.brokerForLog());
        assertFalse(settings.toString().contains("s3cret"), settings.toString());
        assertEquals(java.util.Set.of("ticker.broker", "ticker.node", "ticker.leaseMillis"), settings.given());
    }

    @Test
    void aBadBrokerFailsWithoutEchoingItsPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(), Map.of(), Map.of("TICKER_BROKER", "http://user:s3cret@host:6379")));
        assertTrue(e.getMessage().startsWith("invalid setting ticker.broker (from environment variable TICKER_BROKER)"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        IllegalArgumentException lease = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(), Map.of(), Map.of("TICKER_BROKER", "redis://host:6379", "TICKER_LEASE_MILLIS", "10")));
        assertTrue(lease.getMessage().startsWith("invalid setting ticker.leaseMillis='10'"), lease.getMessage());
    }

    @Test
    void theShippedWebXmlDefaultsAndEmptyValuesAreNotSettingsGiven() {
        Settings defaults = load(Map.of("ticker.symbols", "30", "ticker.seed", "", "ticker.timeScale", "60"), Map.of(), Map.of());
        assertEquals(java.util.Set.of(), defaults.given());
        Settings changed = load(Map.of("ticker.symbols", "50"), Map.of("ticker.timeScale", "60"), Map.of());
        assertEquals(java.util.Set.of("ticker.symbols", "ticker.timeScale"), changed.given());
    }
}
