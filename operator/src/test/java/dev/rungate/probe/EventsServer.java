package dev.rungate.probe;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket server (Netty) that answers the first text message like the chat backend of the
 * incident: /ws/events sends the five agent events; /ws/fail sends two, then closes with 1011;
 * /ws/closenow closes with 1011 right after the upgrade. Any other path answers HTTP 404.
 */
public final class EventsServer implements AutoCloseable {
  public static final List<String> EVENTS =
      List.of(
          "agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed");
  private static final AttributeKey<String> PATH = AttributeKey.valueOf("path");
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  public EventsServer() throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpObjectAggregator(65536),
                            new WebSocketServerProtocolHandler(
                                "/ws", null, false, 65536, false, true),
                            new Conversation(),
                            new NotFound());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
  }

  public String url(String path) {
    return "ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + path;
  }

  public String httpBase() {
    return "http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Conversation extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hs) {
        ctx.channel().attr(PATH).set(hs.requestUri());
        if (hs.requestUri().endsWith("/closenow")) {
          ctx.writeAndFlush(new CloseWebSocketFrame(1011, "startup validation failed"))
              .addListener(ChannelFutureListener.CLOSE);
        }
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      String path = ctx.channel().attr(PATH).get();
      int count = path.endsWith("/fail") ? 2 : EVENTS.size();
      for (int i = 0; i < count; i++) {
        String json = "{\"type\":\"" + EVENTS.get(i) + "\",\"seq\":" + i + "}";
        ctx.executor()
            .schedule(
                () -> ctx.writeAndFlush(new TextWebSocketFrame(json)),
                20L * (i + 1),
                TimeUnit.MILLISECONDS);
      }
      if (path.endsWith("/fail")) {
        ctx.executor()
            .schedule(
                () ->
                    ctx.writeAndFlush(new CloseWebSocketFrame(1011, "redis not ready"))
                        .addListener(ChannelFutureListener.CLOSE),
                20L * (count + 1),
                TimeUnit.MILLISECONDS);
      }
    }
  }

  private static final class NotFound extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      DefaultFullHttpResponse res =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.NOT_FOUND,
              Unpooled.copiedBuffer("not found", StandardCharsets.UTF_8));
      res.headers().set("content-length", res.content().readableBytes());
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
