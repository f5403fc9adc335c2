package dev.ticker.reference;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

/**
 * One connection's state, touched only on the event loop: its subscriptions, the version of each
 * symbol it was last sent, its {@code seq}, and how many of its frames are still being written
 * (a flush skips it until none is: one frame in flight, as the WAR and the Node reference do).
 */
final class Client implements ChannelFutureListener {

    final Channel channel;
    final boolean binary;
    final boolean[] subscribed;
    final long[] sent;
    int[] list = new int[16];
    int listSize;
    long seq;
    long upToDate = -1;            // the flush after which this client had every quote
    long lastSentAtNanos = System.nanoTime();
    long stuckSinceNanos;          // 0: its last frame left
    int pendingWrites;             // frames handed to the channel and not yet written
    int index = -1;                // its place in Broadcast's list, -1 once removed

    Client(Channel channel, boolean binary, int symbols) {
        this.channel = channel;
        this.binary = binary;
        this.subscribed = new boolean[symbols];
        this.sent = new long[symbols];
    }

    void subscribe(int symbol) {
        subscribed[symbol] = true;
        if (listSize == list.length) {
            list = java.util.Arrays.copyOf(list, list.length * 2);
        }
        list[listSize++] = symbol;
    }

    boolean all() {
        return listSize == subscribed.length;
    }

    /** A frame's write completed (or failed: the channel is then closing). */
    @Override
    public void operationComplete(ChannelFuture future) {
        pendingWrites--;
    }
}
