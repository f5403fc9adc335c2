package dev.ticker.cluster;

import dev.ticker.market.MarketConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The market a cluster runs, stored once in Redis by the first node and adopted by every node
 * that joins: the same universe, seed and rates everywhere, and the same opening time.
 *
 * @param config the market's settings
 * @param start  when its session opened, epoch ms
 * @param epoch  a random name of this incarnation of the cluster's state: it changes when Redis
 *               loses the state (a restart without persistence) and a new market opens
 */
record MarketSettings(MarketConfig config, long start, String epoch) {

    Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("symbols", Integer.toString(config.symbols()));
        fields.put("seed", Long.toString(config.seed()));
        fields.put("updatesPerSecond", Double.toString(config.updatesPerSecond()));
        fields.put("timeScale", Double.toString(config.timeScale()));
        fields.put("sessionMinutes", Integer.toString(config.sessionMinutes()));
        fields.put("closedMinutes", Integer.toString(config.closedMinutes()));
        fields.put("start", Long.toString(start));
        fields.put("epoch", epoch);
        return fields;
    }

    static MarketSettings fromFields(Map<String, String> fields) {
        try {
            return new MarketSettings(new MarketConfig(Integer.parseInt(fields.get("symbols")),
                    Long.parseLong(fields.get("seed")), Double.parseDouble(fields.get("updatesPerSecond")),
                    Double.parseDouble(fields.get("timeScale")),
                    // Absent in a market stored before sessions existed: it trades the default ones.
                    intOr(fields.get("sessionMinutes"), MarketConfig.DEFAULT_SESSION_MINUTES),
                    intOr(fields.get("closedMinutes"), MarketConfig.DEFAULT_CLOSED_MINUTES)), Long.parseLong(fields.get("start")),
                    requireText(fields.get("epoch")));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the cluster's stored market settings are unreadable: " + fields, e);
        }
    }

    private static int intOr(String value, int otherwise) {
        return value == null ? otherwise : Integer.parseInt(value);
    }

    private static String requireText(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("no epoch");
        }
        return value;
    }
}
