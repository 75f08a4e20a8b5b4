package dockgate.proxy;

import dockgate.http.PingAnswer;
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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks the daemon {@code GET /_ping} on a new connection: at start (so the log says whether the daemon answers
 * and the first call finds the connection path warmed up) and for health checks. A connection that answered
 * is left in the pool for the next call.
 */
final class DaemonProbe implements DaemonPool.Waiter, DaemonChannelHandler.Call {

    private final DaemonPool daemon;
    private final CompletableFuture<PingAnswer> answer = new CompletableFuture<>();
    private volatile Channel channel;
    private int status;
    private String apiVersion;
    private boolean keepAlive;

    private DaemonProbe(DaemonPool daemon) {
        this.daemon = daemon;
    }

    /** Never fails: a daemon that has not answered within the timeout counts as not answering. */
    static CompletableFuture<PingAnswer> start(DaemonPool daemon, Duration timeout) {
        DaemonProbe probe = new DaemonProbe(daemon);
        PingAnswer silent = PingAnswer.failed("no answer to /_ping within " + timeout.toMillis() + " ms");
        probe.answer.completeOnTimeout(silent, timeout.toMillis(), TimeUnit.MILLISECONDS).thenAccept(answer -> {
            Channel current = probe.channel;
            if (answer == silent && current != null) {
                current.close();
            }
        });
        daemon.connect(probe);
        return probe.answer;
    }

    @Override
    public void connected(Channel connected, boolean reused) {
        channel = connected;
        if (answer.isDone()) {
            connected.close();
            return;
        }
        connected.pipeline().get(DaemonChannelHandler.class).bind(this);
        DefaultFullHttpRequest ping = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/_ping");
        ping.headers().set(HttpHeaderNames.HOST, DaemonProxy.DAEMON_HOST);
        connected.writeAndFlush(ping);
        connected.read();
    }

    @Override
    public void failed(Throwable cause) {
        answer.complete(PingAnswer.failed(daemon.describe(cause)));
    }

    @Override
    public void onDaemonMessage(HttpObject message) {
        if (message instanceof HttpResponse head) {
            status = head.status().code();
            apiVersion = head.headers().get("Api-Version");
            keepAlive = HttpUtil.isKeepAlive(head) && head.decoderResult().isSuccess();
        }
        if (message instanceof HttpContent content) {
            content.release();
        }
        if (message instanceof LastHttpContent) {
            channel.pipeline().get(DaemonChannelHandler.class).unbind();
            if (keepAlive && !answer.isDone()) {
                daemon.release(channel);
            } else {
                channel.close();
            }
            if (status == 200) {
                answer.complete(new PingAnswer(apiVersion, null));
            } else {
                answer.complete(PingAnswer.failed("it answered /_ping with status " + status));
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
    public void onDaemonClosed(Throwable cause) {
        answer.complete(PingAnswer.failed("it closed the connection before answering /_ping"));
    }
}
