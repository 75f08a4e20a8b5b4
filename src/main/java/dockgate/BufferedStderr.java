package dockgate;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Standard error behind a buffer that is flushed a few times a second and at exit.
 *
 * <p>slf4j-simple prints every line with its own write to an unbuffered stderr; with an access line per
 * request that write cost a third of the gateway's throughput. Batching costs at most a quarter second of
 * delay before a line shows, and nothing at a normal exit.
 */
final class BufferedStderr {

    private static final long FLUSH_MILLIS = 250;

    private BufferedStderr() {
    }

    /** Returns the buffered stream, to be flushed once more at the very end. */
    static PrintStream install() {
        PrintStream buffered = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 64 * 1024),
                false, Charset.defaultCharset());
        System.setErr(buffered);
        Thread flusher = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(FLUSH_MILLIS);
                    buffered.flush();
                }
            } catch (InterruptedException e) {
                buffered.flush();
            }
        }, "dockgate-log-flush");
        flusher.setDaemon(true);
        flusher.start();
        return buffered;
    }
}
