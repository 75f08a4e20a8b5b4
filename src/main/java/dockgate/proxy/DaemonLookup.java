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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code GET} the gateway asks the daemon itself: the inspect of an object whose labels a scope must see,
 * on a pooled connection, before a call is decided; or the {@code /_ping} of a health check. The answer is read whole, up to a bound, and never
 * reaches a client. It never fails: a daemon that cannot be asked gives an answer that says so.
 */
final class DaemonLookup implements DaemonPool.Waiter, DaemonChannelHandler.Call {

    /** Far above any inspect answer; a lookup is never a stream. */
    static final int MAX_ANSWER = 4 * 1024 * 1024;

    private final DaemonPool daemon;
    private final String target;
    private final CompletableFuture<LookupAnswer> answer = new CompletableFuture<>();
    private final WholeBody body = new WholeBody(MAX_ANSWER);
    private volatile Channel channel;
    private boolean reused;
    private boolean retried;
    private boolean headReceived;
    private int status;
    private String apiVersion;
    private boolean keepAlive;

    private DaemonLookup(DaemonPool daemon, String target) {
        this.daemon = daemon;
        this.target = target;
    }

    /**
     * @param fresh on a new connection, left in the pool afterwards (a health check must find out whether
     *              the daemon accepts connections); else on a pooled one
     */
    static CompletableFuture<LookupAnswer> start(DaemonPool daemon, String target, Duration timeout, boolean fresh) {
        DaemonLookup lookup = new DaemonLookup(daemon, target);
        LookupAnswer silent = new LookupAnswer(0, new byte[0], null,
                "no answer to " + target + " within " + timeout.toMillis() + " ms");
        lookup.answer.completeOnTimeout(silent, timeout.toMillis(), TimeUnit.MILLISECONDS).thenAccept(done -> {
            Channel current = lookup.channel;
            if (done == silent && current != null) {
                current.close();
            }
        });
        if (fresh) {
            daemon.connect(lookup);
        } else {
            daemon.acquire(lookup);
        }
        return lookup.answer;
    }

    @Override
    public void connected(Channel connected, boolean reused) {
        channel = connected;
        this.reused = reused;
        if (answer.isDone()) {
            connected.close();
            return;
        }
        connected.pipeline().get(DaemonChannelHandler.class).bind(this);
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
        request.headers().set(HttpHeaderNames.HOST, DaemonProxy.DAEMON_HOST);
        connected.writeAndFlush(request);
        connected.read();
    }

    @Override
    public void failed(Throwable cause) {
        answer.complete(new LookupAnswer(0, new byte[0], null, daemon.describe(cause)));
    }

    @Override
    public void onDaemonMessage(HttpObject message) {
        if (message instanceof HttpResponse head) {
            headReceived = true;
            status = head.status().code();
            apiVersion = head.headers().get("Api-Version");
            keepAlive = HttpUtil.isKeepAlive(head) && head.decoderResult().isSuccess();
        }
        if (message instanceof HttpContent content && !body.add(content.content())) {
            finish(false, new LookupAnswer(0, new byte[0], null, "its answer to " + target + " is over "
                    + MAX_ANSWER + " bytes"));
            return;
        }
        if (message instanceof LastHttpContent) {
            finish(keepAlive, new LookupAnswer(status, body.toByteArray(), apiVersion, null));
        }
    }

    private void finish(boolean reusable, LookupAnswer done) {
        channel.pipeline().get(DaemonChannelHandler.class).unbind();
        if (reusable && !answer.isDone()) {
            daemon.release(channel);
        } else {
            channel.close();
        }
        answer.complete(done);
    }

    @Override
    public void onReadComplete() {
        if (!answer.isDone()) {
            channel.read();
        }
    }

    @Override
    public void onWritable() {
    }

    @Override
    public void onDaemonClosed(Throwable cause) {
        if (!headReceived && reused && !retried && !answer.isDone()) {
            // A pooled connection the daemon had closed: the GET changes nothing, so asking again is safe.
            retried = true;
            daemon.connect(this);
            return;
        }
        answer.complete(new LookupAnswer(0, new byte[0], null, "it closed the connection before answering " + target));
    }
}
