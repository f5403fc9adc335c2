package dev.ticker.reference;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's second reference: protocol v1 on Netty, a JVM WebSocket stack that is not a
 * Jakarta container. Same market, same frames, same conflation and one-frame-in-flight rule as the
 * Node reference (bench/reference/server.mjs), and the same JVM settings as the WAR's servers, so
 * that the gap between it and the WAR on a container is what the container and its API cost.
 *
 * <pre>
 *   java -jar ticker-netty-reference.jar --port 18480 --symbols 500 --updates-per-second 1 --flush-millis 50
 * </pre>
 *
 * <p>One event loop thread does everything (accepts, reads, the market, the flushes), as Node's one
 * thread does: the benchmark pins a server to one CPU. {@code GET /health} answers as the Node
 * reference does; the benchmark reads the heap with {@code jcmd}, as for every JVM server.
 */
public final class NettyReference {

    static final String PATH = "/ticker/ws/quotes";
    static final String TEXT = "ticker.v1";
    static final String BINARY = "ticker.v1.binary";
    private static final AttributeKey<Client> CLIENT = AttributeKey.valueOf("ticker.client");

    private NettyReference() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                System.err.println("usage: java -jar ticker-netty-reference.jar [--port 18480] [--symbols 500]"
                        + " [--updates-per-second 4] [--flush-millis 50] [--heartbeat-millis 10000]"
                        + " [--send-timeout-millis 10000] [--max-symbols N] [--permessage-deflate false] [--seed 1]");
                System.exit(2);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Running running = start(options);
        System.out.printf("Netty reference on ws://localhost:%d%s: %s%n", running.port(), PATH, options);
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop));
        running.server().closeFuture().sync();
    }

    /** A started reference: its listening channel, the port it took, and its one event loop. */
    record Running(Channel server, int port, EventLoopGroup group, Broadcast broadcast) {

        /** Tells every client 1001, as the other servers do on shutdown, and stops. */
        void stop() {
            try {
                group.next().submit(broadcast::closeAll).get(1, TimeUnit.SECONDS);
                server.close().await(1, TimeUnit.SECONDS);
                group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).await(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Starts the reference with {@code options} (the command line's, without their dashes); port 0 takes a free one. */
    static Running start(Map<String, String> options) throws InterruptedException {
        int port = Integer.parseInt(options.getOrDefault("port", "18480"));
        int symbols = Integer.parseInt(options.getOrDefault("symbols", "500"));
        double updatesPerSecond = Double.parseDouble(options.getOrDefault("updates-per-second", "4"));
        int flushMillis = Integer.parseInt(options.getOrDefault("flush-millis", "50"));
        int heartbeatMillis = Integer.parseInt(options.getOrDefault("heartbeat-millis", "10000"));
        int sendTimeoutMillis = Integer.parseInt(options.getOrDefault("send-timeout-millis", "10000"));
        int maxSymbols = Integer.parseInt(options.getOrDefault("max-symbols", String.valueOf(symbols)));
        boolean deflate = Boolean.parseBoolean(options.getOrDefault("permessage-deflate", "false"));
        int seed = Integer.parseInt(options.getOrDefault("seed", "1"));

        EventLoopGroup group = new NioEventLoopGroup(1);
        EventLoop loop = group.next();
        Broadcast broadcast = new Broadcast(loop, new Market(symbols, updatesPerSecond, seed), flushMillis,
                heartbeatMillis, sendTimeoutMillis, maxSymbols);
        loop.execute(broadcast::start);
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(PATH)
                .subprotocols(TEXT + "," + BINARY)
                .maxFramePayloadLength(Broadcast.MAX_MESSAGE_BYTES)
                .allowExtensions(deflate)
                .checkStartsWith(true)          // a query string after the path, as ws allows
                .build();
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(8192));
                        if (deflate) {
                            pipeline.addLast(new WebSocketServerCompressionHandler(0));
                        }
                        pipeline.addLast(new WebSocketServerProtocolHandler(config),
                                new WebSocketFrameAggregator(Broadcast.MAX_MESSAGE_BYTES), new Stream(broadcast));
                    }
                })
                .bind(port).sync().channel();
        return new Running(server, ((InetSocketAddress) server.localAddress()).getPort(), group, broadcast);
    }

    /** The connection's handler: the health page, the handshake's outcome, requests, and the close. */
    private static final class Stream extends SimpleChannelInboundHandler<Object> {

        private final Broadcast broadcast;

        Stream(Broadcast broadcast) {
            this.broadcast = broadcast;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object message) {
            if (message instanceof FullHttpRequest request) {
                http(ctx, request);
            } else if (message instanceof TextWebSocketFrame text) {
                Client client = ctx.channel().attr(CLIENT).get();
                if (client != null) {
                    broadcast.request(client, text.text());
                }
            } else if (message instanceof BinaryWebSocketFrame) {
                ctx.writeAndFlush(new CloseWebSocketFrame(1003, "binary frames are not accepted"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
                ctx.channel().attr(CLIENT).set(broadcast.open(ctx.channel(), BINARY.equals(handshake.selectedSubprotocol())));
            } else {
                super.userEventTriggered(ctx, event);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            Client client = ctx.channel().attr(CLIENT).getAndSet(null);
            if (client != null) {
                broadcast.closed(client);
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();                 // a reset connection: the client went
        }

        private void http(ChannelHandlerContext ctx, FullHttpRequest request) {
            String uri = request.uri();
            FullHttpResponse response;
            if (uri.equals("/health")) {
                ByteBuf body = Unpooled.copiedBuffer(broadcast.health(), StandardCharsets.UTF_8);
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            } else {
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
            }
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response);
        }
    }
}
