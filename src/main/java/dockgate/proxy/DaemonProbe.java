package dockgate.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the daemon {@code GET /_ping} once at start, in the background: the log then says whether the daemon
 * answers and with which API version, the first client's call finds the connection path warmed up, and the
 * connection it used is left in the pool for that call.
 */
final class DaemonProbe implements DaemonConnections.Listener, UpstreamHandler.Call {

    private static final Logger log = LoggerFactory.getLogger(DaemonProbe.class);

    private final DaemonConnections daemon;
    private Channel channel;
    private String apiVersion;
    private boolean keepAlive;

    private DaemonProbe(DaemonConnections daemon) {
        this.daemon = daemon;
    }

    static void start(DaemonConnections daemon) {
        daemon.connect(new DaemonProbe(daemon));
    }

    @Override
    public void connected(Channel connected, boolean reused) {
        channel = connected;
        connected.pipeline().get(UpstreamHandler.class).bind(this);
        DefaultFullHttpRequest ping = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/_ping");
        ping.headers().set(HttpHeaderNames.HOST, DaemonProxy.UPSTREAM_HOST);
        connected.writeAndFlush(ping);
        connected.read();
    }

    @Override
    public void failed(Throwable cause) {
        log.warn("the Docker daemon at {} does not answer yet ({}): calls get 502 until it does", daemon.socket(),
                daemon.describe(cause));
    }

    @Override
    public void onUpstream(HttpObject message) {
        if (message instanceof HttpResponse head) {
            apiVersion = head.headers().get("Api-Version");
            keepAlive = HttpUtil.isKeepAlive(head) && head.decoderResult().isSuccess();
        }
        if (message instanceof HttpContent content) {
            content.release();
        }
        if (message instanceof LastHttpContent) {
            channel.pipeline().get(UpstreamHandler.class).unbind();
            log.info("the Docker daemon at {} answers, API version {}", daemon.socket(), apiVersion);
            if (keepAlive) {
                daemon.release(channel);
            } else {
                channel.close();
            }
        }
    }

    @Override
    public void onReadComplete() {
        channel.read();
    }

    @Override
    public void onWritable() {
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        log.warn("the Docker daemon at {} closed the connection before answering /_ping", daemon.socket());
    }
}
