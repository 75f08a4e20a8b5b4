package dockgate.proxy;

import io.netty.buffer.ByteBuf;

import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The parts of one response on their way from the daemon side's event loop, which adds them, to the client's
 * IO thread, which takes them: a head, chunks, then the end or a failure. It counts the bytes of the chunks not
 * yet written out, which is what holds the daemon side back.
 *
 * <p>One thread adds and one takes. A part added while the taker looks at the head is left for its next look,
 * never taken for something it is not: a chunk taken as if it were the end would be lost to the client and
 * stay counted, stalling the response for good.
 */
final class ResponseParts {

    private final Queue<Object> parts;
    private final AtomicInteger bytes = new AtomicInteger();

    ResponseParts() {
        this(new ConcurrentLinkedQueue<>());
    }

    /** On a queue of the caller's: a test's, which can add a part at the moment the taker looks. */
    ResponseParts(Queue<Object> parts) {
        this.parts = parts;
    }

    /** Daemon side: queues a part; a {@link ByteBuf} chunk's ownership passes. */
    void add(Object part) {
        if (part instanceof ByteBuf chunk) {
            bytes.addAndGet(chunk.readableBytes());
        }
        parts.add(part);
    }

    boolean isEmpty() {
        return parts.isEmpty();
    }

    /** IO thread: whether the next part is a chunk, to be taken with {@link #takeChunks}. */
    boolean chunkNext() {
        return parts.peek() instanceof ByteBuf;
    }

    /**
     * IO thread: takes the next part if it is not a chunk (a head, the end, a failure, an upgrade); null if
     * there is none or a chunk is next. The part taken is the one looked at: only this thread takes.
     */
    Object takeOther() {
        Object head = parts.peek();
        if (head == null || head instanceof ByteBuf) {
            return null;
        }
        return parts.poll();
    }

    /** IO thread: takes the chunks at the head, in order, up to the next part that is not one. */
    void takeChunks(Collection<ByteBuf> into) {
        while (parts.peek() instanceof ByteBuf chunk) {
            parts.poll();
            into.add(chunk);
        }
    }

    /** IO thread: takes whatever is next, to drop it; null when nothing is queued. */
    Object takeAny() {
        return parts.poll();
    }

    /** IO thread: this many bytes of the chunks taken have left the gateway. */
    void written(int count) {
        bytes.addAndGet(-count);
    }

    /** Any thread: whether fewer than {@code window} bytes of chunks are queued or being written. */
    boolean below(int window) {
        return bytes.get() < window;
    }
}
