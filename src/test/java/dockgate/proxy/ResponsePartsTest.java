package dockgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue between the daemon side and the client's IO thread: a chunk the daemon side adds while the IO
 * thread looks at an empty queue must be written and counted off, not taken for the end of the response.
 * Taking it as something else lost 64 KiB of a 64 MiB answer and stalled the rest for good, in about one
 * run in three hundred under load.
 */
class ResponsePartsTest {

    private static final int WINDOW = 64 * 1024;

    /** A queue whose first look at its empty head lets the daemon side add a chunk right after. */
    private static final class AddsWhileLooked extends ConcurrentLinkedQueue<Object> {
        ResponseParts parts;
        Object arriving;

        @Override
        public Object peek() {
            Object head = super.peek();
            if (head == null && arriving != null) {
                Object part = arriving;
                arriving = null;
                parts.add(part);
            }
            return head;
        }
    }

    @Test
    void aChunkAddedWhileTheQueueIsLookedAtIsNotTakenForAnotherPart() {
        AddsWhileLooked queue = new AddsWhileLooked();
        ResponseParts parts = new ResponseParts(queue);
        queue.parts = parts;
        ByteBuf chunk = Unpooled.wrappedBuffer(new byte[WINDOW]);
        queue.arriving = chunk;

        assertNull(parts.takeOther(), "nothing was queued when the IO thread looked");
        assertTrue(parts.chunkNext(), "the chunk that arrived meanwhile is next");
        assertFalse(parts.below(WINDOW), "it counts against the window until written");
        List<ByteBuf> taken = new ArrayList<>();
        parts.takeChunks(taken);
        assertEquals(List.of(chunk), taken);
        parts.written(chunk.readableBytes());
        assertTrue(parts.below(WINDOW), "written, it no longer holds the daemon side back");
        assertTrue(parts.isEmpty());
        chunk.release();
    }

    @Test
    void partsComeOutInOrderAndOnlyChunksCountAgainstTheWindow() {
        ResponseParts parts = new ResponseParts();
        Object head = new Object();
        ByteBuf first = Unpooled.wrappedBuffer(new byte[WINDOW / 2]);
        ByteBuf second = Unpooled.wrappedBuffer(new byte[WINDOW / 2]);
        Object end = new Object();
        parts.add(head);
        parts.add(first);
        parts.add(second);
        parts.add(end);

        assertFalse(parts.below(WINDOW));
        assertFalse(parts.chunkNext());
        assertSame(head, parts.takeOther());
        assertTrue(parts.chunkNext());
        assertNull(parts.takeOther(), "a chunk is next: it is taken with the chunks");
        List<ByteBuf> taken = new ArrayList<>();
        parts.takeChunks(taken);
        assertEquals(List.of(first, second), taken);
        parts.written(WINDOW);
        assertTrue(parts.below(WINDOW));
        assertSame(end, parts.takeOther());
        assertNull(parts.takeAny());
        first.release();
        second.release();
    }
}
