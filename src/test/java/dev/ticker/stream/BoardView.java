package dev.ticker.stream;

/** Test access to what a {@link QuoteBoard} holds. */
public final class BoardView {

    private BoardView() {
    }

    /** The latest quote JSON of the symbol at {@code index}, or null before its first. */
    public static String json(QuoteBoard board, int index) {
        QuoteBoard.Entry entry = board.latest(index);
        return entry == null ? null : entry.quote().json();
    }
}
