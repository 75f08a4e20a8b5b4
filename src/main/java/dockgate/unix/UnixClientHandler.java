package dockgate.unix;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import org.xnio.XnioIoThread;

import java.util.concurrent.TimeUnit;

/**
 * The Netty side of a Unix socket client: hands what its channel sees to its {@link UnixClientConnection}, as
 * tasks on the connection's XNIO IO thread, in the order they happened. Runs on the channel's event loop.
 */
final class UnixClientHandler extends ChannelInboundHandlerAdapter {

    /** How long a client that got its whole answer may go on sending before its socket is closed. */
    private static final long LINGER_SECONDS = 2;

    private final XnioIoThread io;
    private final UnixClientConnection connection;
    private ChannelHandlerContext context;
    /** The answer is out and the client told so; what it still sends is dropped until it closes. */
    private boolean lingering;

    UnixClientHandler(XnioIoThread io, UnixClientConnection connection) {
        this.io = io;
        this.connection = connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        if (lingering || !onIo(() -> connection.received(bytes))) {
            bytes.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            if (lingering) {
                ctx.close();
            } else {
                onIo(connection::inputEnded);
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        onIo(connection::clientGone);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client that resets its connection is as gone as one that closes it.
        ctx.close();
    }

    /**
     * Undertow closed the connection and its last bytes were written; on the event loop. Closing a socket
     * with bytes unread makes the kernel reset it, which can cost the client the answer before it reads it (the
     * body of a refused upload), so a client still sending is told the end of the answer instead, and what it
     * sends is drained for a little while (a "lingering close", as web servers do).
     */
    void answered() {
        DuplexChannel client = (DuplexChannel) context.channel();
        if (!client.isActive()) {
            return;
        }
        if (client.isInputShutdown()) {
            client.close();
            return;
        }
        lingering = true;
        client.config().setAutoRead(true);
        client.shutdownOutput();
        client.eventLoop().schedule(() -> client.close(), LINGER_SECONDS, TimeUnit.SECONDS);
    }

    private boolean onIo(Runnable task) {
        return UnixClientConnection.onIo(io, (DuplexChannel) context.channel(), task);
    }
}
