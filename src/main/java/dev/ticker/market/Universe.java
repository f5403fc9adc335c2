package dev.ticker.market;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The ordered, immutable set of instruments a market trades. The order is the index every other
 * part of the app uses to keep per-symbol state in arrays rather than maps.
 */
public final class Universe {

    /** Upper bound on the universe size, to keep per-connection state bounded. */
    public static final int MAX_SIZE = 10_000;

    // Well-known names so the page reads like a market; the prices are invented at deploy time.
    private static final Object[][] BUILT_IN = {
        {"AAPL", "Apple", 189_50L, 0.26}, {"MSFT", "Microsoft", 415_20L, 0.24},
        {"NVDA", "NVIDIA", 121_40L, 0.52}, {"AMZN", "Amazon", 182_75L, 0.32},
        {"GOOGL", "Alphabet A", 171_30L, 0.29}, {"META", "Meta Platforms", 502_10L, 0.38},
        {"TSLA", "Tesla", 178_60L, 0.58}, {"BRK.B", "Berkshire Hathaway B", 408_90L, 0.16},
        {"JPM", "JPMorgan Chase", 198_45L, 0.22}, {"V", "Visa", 274_80L, 0.19},
        {"UNH", "UnitedHealth", 492_30L, 0.23}, {"XOM", "Exxon Mobil", 113_65L, 0.25},
        {"JNJ", "Johnson & Johnson", 152_10L, 0.15}, {"WMT", "Walmart", 60_25L, 0.17},
        {"MA", "Mastercard", 455_70L, 0.20}, {"PG", "Procter & Gamble", 164_90L, 0.14},
        {"HD", "Home Depot", 341_55L, 0.22}, {"CVX", "Chevron", 156_40L, 0.24},
        {"LLY", "Eli Lilly", 768_20L, 0.31}, {"ABBV", "AbbVie", 166_85L, 0.21},
        {"KO", "Coca-Cola", 62_35L, 0.13}, {"PEP", "PepsiCo", 172_60L, 0.15},
        {"COST", "Costco", 732_15L, 0.19}, {"AVGO", "Broadcom", 1_321_00L, 0.41},
        {"ADBE", "Adobe", 481_90L, 0.33}, {"CSCO", "Cisco", 48_70L, 0.20},
        {"NFLX", "Netflix", 611_25L, 0.39}, {"AMD", "Advanced Micro Devices", 158_45L, 0.50},
        {"INTC", "Intel", 30_85L, 0.37}, {"DIS", "Walt Disney", 101_60L, 0.27},
    };

    private final List<Instrument> instruments;
    private final List<String> symbols;
    private final Map<String, Integer> indexBySymbol;

    /** A universe of exactly these instruments, in this order; symbols must be unique. */
    public Universe(List<Instrument> instruments) {
        if (instruments.isEmpty() || instruments.size() > MAX_SIZE) {
            throw new IllegalArgumentException("a universe holds 1 to " + MAX_SIZE + " instruments");
        }
        this.instruments = List.copyOf(instruments);
        Map<String, Integer> index = new HashMap<>();
        List<String> names = new ArrayList<>(instruments.size());
        for (int i = 0; i < this.instruments.size(); i++) {
            String symbol = this.instruments.get(i).symbol();
            if (index.putIfAbsent(symbol, i) != null) {
                throw new IllegalArgumentException("duplicate symbol " + symbol);
            }
            names.add(symbol);
        }
        this.indexBySymbol = Map.copyOf(index);
        this.symbols = Collections.unmodifiableList(names);
    }

    /**
     * The standard universe of {@code size} symbols: the 30 built-in names first, then generated
     * ones ({@code SYN031}, {@code SYN032}, ...) whose prices and volatilities are drawn from
     * {@code seed}, so two deployments with the same settings trade the same universe.
     */
    public static Universe standard(int size, long seed) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be in [1, " + MAX_SIZE + "]: " + size);
        }
        List<Instrument> list = new ArrayList<>(size);
        for (int i = 0; i < Math.min(size, BUILT_IN.length); i++) {
            Object[] row = BUILT_IN[i];
            list.add(new Instrument((String) row[0], (String) row[1], (Long) row[2], (Double) row[3], 0.07));
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EED_0F_5EA5L);
        for (int i = BUILT_IN.length; i < size; i++) {
            String symbol = String.format("SYN%03d", i + 1);
            long price = Math.round(Math.exp(random.nextDouble(Math.log(5), Math.log(900))) * 100);
            double volatility = random.nextDouble(0.12, 0.6);
            double drift = random.nextDouble(-0.05, 0.15);
            list.add(new Instrument(symbol, "Synthetic " + (i + 1), price, volatility, drift));
        }
        return new Universe(list);
    }

    public int size() {
        return instruments.size();
    }

    public Instrument get(int index) {
        return instruments.get(index);
    }

    /** The instruments in index order; unmodifiable. */
    public List<Instrument> instruments() {
        return instruments;
    }

    /** The symbols in index order; unmodifiable. */
    public List<String> symbols() {
        return symbols;
    }

    /** The index of {@code symbol}, or -1 if the universe does not trade it. */
    public int indexOf(String symbol) {
        Integer index = indexBySymbol.get(symbol);
        return index == null ? -1 : index;
    }
}
