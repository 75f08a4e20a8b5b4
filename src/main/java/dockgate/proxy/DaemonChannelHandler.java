package dockgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every daemon connection: passes what the connection does to the call that currently
 * holds it. Pooled connections outlive calls, so the call is bound on acquire and unbound on release.
 * Only touched on the connection's event loop.
 */
final class DaemonChannelHandler extends ChannelInboundHandlerAdapter {

    /** What a call needs to hear from its daemon connection. */
    interface Call {
        void onDaemonMessage(HttpObject message);

        void onReadComplete();

        void onWritable();

        void onDaemonClosed(Throwable cause);
    }

    private static final Logger log = LoggerFactory.getLogger(DaemonChannelHandler.class);

    private Call call;
    private Throwable failure;

    void bind(Call call) {
        this.call = call;
        this.failure = null;
    }

    void unbind() {
        this.call = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (call != null && msg instanceof HttpObject object) {
            call.onDaemonMessage(object);
            return;
        }
        // Bytes on an idle connection belong to no call: the connection can no longer be trusted.
        ReferenceCountUtil.release(msg);
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (call != null) {
            call.onReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (call != null && ctx.channel().isWritable()) {
            call.onWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (call != null) {
            Call closed = call;
            call = null;
            closed.onDaemonClosed(failure);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("daemon connection failed", cause);
        failure = cause;
        ctx.close();
    }
}
