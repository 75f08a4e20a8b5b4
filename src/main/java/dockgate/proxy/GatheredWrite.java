package dockgate.proxy;

import io.netty.buffer.ByteBuf;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The chunks at the head of a response's queue, written to the client together: what the daemon side read
 * in one go leaves in one system call. IO thread only.
 */
final class GatheredWrite {

    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private ByteBuffer[] buffers;
    private long left;

    /** Whether a write was started and the client has not taken all of it yet. */
    boolean pending() {
        return buffers != null;
    }

    /** Takes every chunk at the head of the queue, up to its next part that is not a chunk. */
    void take(ResponseParts parts) {
        parts.takeChunks(chunks);
        buffers = new ByteBuffer[chunks.size()];
        left = 0;
        int i = 0;
        for (ByteBuf chunk : chunks) {
            buffers[i++] = chunk.nioBuffer();
            left += chunk.readableBytes();
        }
    }

    /** Writes what is left; false if the client cannot take more now. */
    boolean writeTo(StreamSinkChannel sink) throws IOException {
        while (left > 0) {
            long written = sink.write(buffers, 0, buffers.length);
            if (written == 0) {
                return false;
            }
            left -= written;
        }
        return true;
    }

    /** Releases the chunks once all are written and gives their size. */
    int finish() {
        buffers = null;
        int bytes = 0;
        ByteBuf chunk;
        while ((chunk = chunks.poll()) != null) {
            bytes += chunk.readableBytes();
            chunk.release();
        }
        return bytes;
    }

    /** Drops whatever was not written: the client has gone or the response failed. */
    void discard() {
        finish();
    }
}
