package dev.ticker.stream.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ticker.market.Instrument;
import dev.ticker.market.MarketStatus;
import dev.ticker.market.Quote;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every encoder against the JSON its Javadoc and docs/protocol.md promise. */
class EncodersTest {

    private static final Quote QUOTE = new Quote("AAPL", 189_52, 189_50, 189_55, 1200, 800, 300, 1_534_200,
            189_10, 190_02, 188_71, 189_50, 2, 1, 1_763_712_000_123L);

    private static final String QUOTE_JSON = "{\"symbol\":\"AAPL\",\"price\":189.52,\"bid\":189.50,\"ask\":189.55,"
            + "\"bidSize\":1200,\"askSize\":800,\"lastSize\":300,\"volume\":1534200,\"open\":189.10,\"high\":190.02,"
            + "\"low\":188.71,\"prevClose\":189.50,\"change\":0.02,\"changePct\":0.01,\"ts\":1763712000123}";

    @Test
    void quote() {
        assertEquals(QUOTE_JSON, new QuoteEncoder().encode(QUOTE));
    }

    @Test
    void negativeChangesAndSmallPricesKeepTwoDecimals() {
        Quote down = new Quote("X", 5, 4, 6, 100, 100, 100, 100, 10, 10, 5, 10, -5, -5000, 1);
        JsonObject json = parse(QuoteEncoder.toJson(down));
        assertEquals("0.05", json.get("price").toString());
        assertEquals("-0.05", json.get("change").toString());
        assertEquals("-50.00", json.get("changePct").toString());
    }

    @Test
    void welcome() {
        MarketStatus market = new MarketStatus(true, 3, 1000, 391_000, 451_000, 60);
        Welcome welcome = new Welcome(1, 1000, "ticker.v1", 10_000, new Limits(200, 4096, 20, 25, 30_000, 31_000, 9_000, 10_000, 100, 50, 193_536),
                instruments("AAPL", "MSFT"), "", market, new Build("1.0.0", "2aee8a1", false));
        assertEquals("{\"type\":\"welcome\",\"seq\":1,\"ts\":1000,\"protocol\":\"ticker.v1\","
                + "\"build\":{\"version\":\"1.0.0\",\"commit\":\"2aee8a1\",\"dirty\":false},\"heartbeatMs\":10000,"
                + "\"limits\":{\"maxSymbols\":200,\"maxMessageBytes\":4096,\"maxMessagesPerSecond\":20,\"maxMessageBurst\":25,"
                + "\"subscribeTimeoutMs\":30000,\"pingMs\":31000,\"pongTimeoutMs\":9000,\"sendTimeoutMs\":10000,"
                + "\"maxSessionsPerAddress\":100,\"maxPendingReplies\":50,\"maxPendingReplyBytes\":193536},"
                + "\"market\":{\"state\":\"open\",\"session\":3,\"opensAt\":1000,\"closesAt\":391000,\"nextOpensAt\":451000,\"timeScale\":60.0},"
                + "\"symbols\":[\"AAPL\",\"MSFT\"],"
                + "\"instruments\":[{\"symbol\":\"AAPL\",\"name\":\"Name of AAPL\"},{\"symbol\":\"MSFT\",\"name\":\"Name of MSFT\"}],"
                + "\"currency\":\"USD\"}",
                new WelcomeEncoder().encode(welcome));
    }

    @Test
    void notice() {
        Notice notice = new Notice(7, 1000, Notice.DRAINING, 4200, 5000, "this server is going away; connect again");
        assertEquals("{\"type\":\"notice\",\"seq\":7,\"ts\":1000,\"reason\":\"draining\",\"closesAt\":4200,"
                + "\"drainMs\":5000,\"message\":\"this server is going away; connect again\"}", new NoticeEncoder().encode(notice));
        assertEquals(new NoticeEncoder().encode(notice), FrameText.of(notice));
    }

    @Test
    void marketState() {
        MarketState closed = new MarketState(812, 391_000, new MarketStatus(false, 3, 1000, 391_000, 451_000, 60));
        assertEquals("{\"type\":\"market\",\"seq\":812,\"ts\":391000,\"state\":\"closed\",\"session\":3,\"opensAt\":1000,"
                + "\"closesAt\":391000,\"nextOpensAt\":451000,\"timeScale\":60.0}", new MarketStateEncoder().encode(closed));
    }

    private static Instruments instruments(String... symbols) {
        return new Instruments(java.util.Arrays.stream(symbols).map(s -> new Instrument(s, "Name of " + s, 100_00, 0.2, 0.05)).toList());
    }

    @Test
    void welcomeNamesTheNodeInClusterModeOnly() {
        Limits limits = new Limits(200, 4096, 20, 25, 30_000, 31_000, 9_000, 10_000, 100, 50, 193_536);
        String clustered = new WelcomeEncoder().encode(new Welcome(1, 1000, "ticker.v1", 10_000, limits, instruments("AAPL"), "node-2", null, Build.UNKNOWN));
        assertTrue(clustered.startsWith("{\"type\":\"welcome\",\"seq\":1,\"ts\":1000,\"protocol\":\"ticker.v1\",\"node\":\"node-2\",\"build\":"), clustered);
        String standalone = new WelcomeEncoder().encode(new Welcome(1, 1000, "ticker.v1", 10_000, limits, instruments("AAPL"), "", null, Build.UNKNOWN));
        assertFalse(standalone.contains("node"), standalone);
    }

    @Test
    void subscribedWithIdAndRejections() {
        Subscribed event = new Subscribed(Json.createValue(7), 2, 1050, List.of("AAPL"),
                List.of(new Rejection("XYZ", RejectCode.UNKNOWN_SYMBOL)));
        assertEquals("{\"type\":\"subscribed\",\"id\":7,\"seq\":2,\"ts\":1050,\"symbols\":[\"AAPL\"],"
                + "\"rejected\":[{\"symbol\":\"XYZ\",\"code\":\"UNKNOWN_SYMBOL\"}]}", new SubscribedEncoder().encode(event));
    }

    @Test
    void unsubscribedWithoutIdOmitsIt() {
        assertEquals("{\"type\":\"unsubscribed\",\"seq\":9,\"ts\":3000,\"symbols\":[]}",
                new UnsubscribedEncoder().encode(new Unsubscribed(null, 9, 3000, List.of())));
    }

    @Test
    void snapshotAndTicksEmbedTheQuoteJson() {
        EncodedQuote quote = EncodedQuote.of(QUOTE);
        assertEquals("{\"type\":\"snapshot\",\"seq\":3,\"ts\":1051,\"data\":[" + QUOTE_JSON + "]}",
                new SnapshotEncoder().encode(new Snapshot(3, 1051, List.of(quote))));
        String ticks = new TicksEncoder().encode(new Ticks(4, 1100, List.of(quote, quote)));
        assertEquals("{\"type\":\"ticks\",\"seq\":4,\"ts\":1100,\"data\":[" + QUOTE_JSON + "," + QUOTE_JSON + "]}", ticks);
        assertEquals(2, parse(ticks).getJsonArray("data").size(), "valid JSON");
    }

    @Test
    void heartbeatPongAndError() {
        assertEquals("{\"type\":\"heartbeat\",\"seq\":12,\"ts\":5}", new HeartbeatEncoder().encode(new Heartbeat(12, 5)));
        assertEquals("{\"type\":\"pong\",\"id\":\"p\",\"seq\":13,\"ts\":6}",
                new PongEncoder().encode(new Pong(Json.createValue("p"), 13, 6)));
        assertEquals("{\"type\":\"error\",\"id\":5,\"seq\":14,\"ts\":7,\"code\":\"BAD_REQUEST\",\"message\":\"say \\\"why\\\"\"}",
                new ErrorMessageEncoder().encode(new ErrorMessage(Json.createValue(5), 14, 7, ErrorCode.BAD_REQUEST, "say \"why\"")));
    }

    @Test
    void textThatNeedsEscapingStaysValidJson() {
        String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 é ✓ 😀 </script>";
        String json = new ErrorMessageEncoder().encode(new ErrorMessage(null, 1, 2, ErrorCode.BAD_REQUEST, nasty));
        assertEquals(nasty, parse(json).getString("message"));
        String rejected = new SubscribedEncoder().encode(new Subscribed(Json.createValue("ü\""), 1, 2, List.of(),
                List.of(new Rejection("A\"B", RejectCode.UNKNOWN_SYMBOL))));
        assertEquals("A\"B", parse(rejected).getJsonArray("rejected").getJsonObject(0).getString("symbol"));
        assertEquals("ü\"", parse(rejected).getString("id"));
    }

    @Test
    void incompleteEventsCannotBeBuiltSoNeverReachAnEncoder() {
        assertThrows(NullPointerException.class, () -> new ErrorMessage(null, 0, 0, null, "x"));
        assertThrows(NullPointerException.class, () -> new ErrorMessage(null, 0, 0, ErrorCode.BAD_REQUEST, null));
        assertThrows(NullPointerException.class, () -> new Welcome(0, 0, null, 1, new Limits(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), instruments(), "", null, Build.UNKNOWN));
        assertThrows(NullPointerException.class, () -> new Subscribed(null, 0, 0, null, List.of()));
        assertThrows(NullPointerException.class, () -> new Ticks(0, 0, java.util.Arrays.asList((EncodedQuote) null)));
        assertThrows(NullPointerException.class, () -> new Rejection(null, RejectCode.SYMBOL_LIMIT));
    }

    @Test
    void stampingSetsSeqAndTsOnly() {
        Pong pong = new Pong(Json.createValue(1), 0, 0);
        assertEquals(new Pong(Json.createValue(1), 5, 99), pong.stamped(5, 99));
    }

    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }
}
