package dockgate.proxy;

import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;

/** A daemon answer's body gathered whole, up to a bound: for a rewrite, or for the gateway's own lookups. */
final class WholeBody {

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    WholeBody(int limit) {
        this.limit = limit;
    }

    /** Takes a chunk (released here); false when the body has grown past the limit, and the chunk is dropped. */
    boolean add(ByteBuf chunk) {
        int n = chunk.readableBytes();
        boolean fits = bytes.size() + (long) n <= limit;
        if (fits) {
            byte[] read = new byte[n];
            chunk.readBytes(read);
            bytes.write(read, 0, n);
        }
        chunk.release();
        return fits;
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
