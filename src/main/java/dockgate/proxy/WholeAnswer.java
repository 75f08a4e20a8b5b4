package dockgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * A chunked answer of a route that answers one document (a list, an inspect), held until it ends so that it
 * goes to the client whole: with its length, in one write, and not as a stream the gateway must watch.
 * Held only up to {@link ResponseWriter#WINDOW}; past that it goes on as the chunked answer it is, nothing
 * lost or reordered. Event loop of the daemon connection.
 */
final class WholeAnswer {

    private final HttpResponse head;
    private final List<ByteBuf> chunks = new ArrayList<>(4);
    private int bytes;

    WholeAnswer(HttpResponse head) {
        this.head = head;
    }

    /** Takes a chunk, whose ownership passes; false once more is held than the window allows. */
    boolean add(ByteBuf chunk) {
        chunks.add(chunk);
        bytes += chunk.readableBytes();
        return bytes <= ResponseWriter.WINDOW;
    }

    /** The answer ended: it goes out with its length. */
    void sendWhole(ResponseWriter response) {
        head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes);
        spill(response);
    }

    /** What is held goes out as it came, head first; the rest follows as it arrives. */
    void spill(ResponseWriter response) {
        response.add(head);
        chunks.forEach(response::add);
        chunks.clear();
    }

    /** The answer will never be sent: its chunks are given back. */
    void discard() {
        chunks.forEach(ByteBuf::release);
        chunks.clear();
    }
}
