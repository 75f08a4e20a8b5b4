package dockgate.proxy;

import dockgate.http.ContinueThenRead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSourceChannel;

import java.io.IOException;
import java.util.function.Consumer;
import java.nio.ByteBuffer;

/**
 * Streams a client's request body to the daemon as it arrives, on the exchange's IO thread. Reading stops
 * while the daemon connection cannot take more, so a large upload never piles up in the gateway.
 */
final class RequestBodyPump implements ChannelListener<StreamSourceChannel> {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyPump.class);
    private static final int CHUNK = 16 * 1024;

    private final HttpServerExchange exchange;
    private final Channel target;
    private final Traffic traffic;
    private final Runnable onSent;
    /** Called with the answer to give when the client's body breaks off; the client may be gone already. */
    private final Consumer<ResponseWriter.Failure> onClientFailed;
    private StreamSourceChannel source;

    RequestBodyPump(HttpServerExchange exchange, Channel target, Traffic traffic, Runnable onSent,
                    Consumer<ResponseWriter.Failure> onClientFailed) {
        this.exchange = exchange;
        this.target = target;
        this.traffic = traffic;
        this.onSent = onSent;
        this.onClientFailed = onClientFailed;
    }

    void start() {
        ContinueThenRead.start(exchange, this::begin, () -> onClientFailed.accept(
                new ResponseWriter.Failure(400, "the client went away before sending its request body")));
    }

    private void begin() {
        source = exchange.getRequestChannel();
        source.getReadSetter().set(this);
        handleEvent(source);
    }

    /** IO thread: the daemon connection has room again. */
    void resume() {
        if (source != null && source.isOpen()) {
            source.resumeReads();
        }
    }

    @Override
    public void handleEvent(StreamSourceChannel channel) {
        try {
            while (true) {
                ByteBuf buffer = target.alloc().buffer(CHUNK);
                ByteBuffer window = buffer.internalNioBuffer(0, CHUNK);
                int read = channel.read(window);
                if (read <= 0) {
                    buffer.release();
                    if (read == -1) {
                        channel.suspendReads();
                        target.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
                            if (f.isSuccess()) {
                                onSent.run();
                            }
                        });
                    } else {
                        target.flush();
                        channel.resumeReads();
                    }
                    return;
                }
                buffer.writerIndex(read);
                traffic.fromClient.add(read);
                target.write(new DefaultHttpContent(buffer));
                if (!target.isWritable()) {
                    target.flush();
                    channel.suspendReads();
                    return;
                }
            }
        } catch (RequestTooBigException e) {
            log.warn("cut off {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage());
            channel.suspendReads();
            onClientFailed.accept(new ResponseWriter.Failure(413, "the request body is larger than the gateway's"
                    + " limit (--max-body-bytes); the call to the daemon was abandoned"));
        } catch (IOException e) {
            log.warn("cut off {} {}: the request body broke off: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
                    e.getMessage());
            channel.suspendReads();
            onClientFailed.accept(new ResponseWriter.Failure(400, "the request body broke off before its end;"
                    + " the call to the daemon was abandoned"));
        }
    }
}
