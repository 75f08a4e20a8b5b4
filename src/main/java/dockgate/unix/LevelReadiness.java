package dockgate.unix;

import io.netty.channel.socket.DuplexChannel;
import org.xnio.XnioIoThread;

/**
 * When the handler of one side of a Unix client's conduits is called: level-triggered, as XNIO's readiness of a
 * socket is. While the side is resumed and ready, its handler is called again and again, each time from a task
 * of its own on the IO thread, never from inside the call that resumed it. IO thread only.
 */
final class LevelReadiness {

    private final XnioIoThread thread;
    private final DuplexChannel client;
    private final Runnable call;
    private boolean resumed;
    private boolean queued;

    /** {@code call} calls the side's handler if it still has one to call, and then checks again. */
    LevelReadiness(XnioIoThread thread, DuplexChannel client, Runnable call) {
        this.thread = thread;
        this.client = client;
        this.call = call;
    }

    boolean isResumed() {
        return resumed;
    }

    void resume() {
        resumed = true;
    }

    void suspend() {
        resumed = false;
    }

    /** Has the handler called from a task of its own: once for any number of asks, if still resumed by then. */
    void queue() {
        if (queued) {
            return;
        }
        queued = true;
        UnixClientConnection.onIo(thread, client, () -> {
            queued = false;
            if (resumed) {
                call.run();
            }
        });
    }
}
