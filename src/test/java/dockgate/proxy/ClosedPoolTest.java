package dockgate.proxy;

import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A connection asked of a pool that is closed, as the start-up probe can be when a start fails at once, is
 * refused to its waiter: Netty alone would log an error and never answer it.
 */
class ClosedPoolTest {

    @TempDir
    Path dir;

    @Test
    void aConnectAfterCloseIsFailedToItsWaiter() throws Exception {
        DaemonPool pool = new DaemonPool(dir.resolve("docker.sock"), 1, 1);
        pool.close();
        CompletableFuture<String> told = new CompletableFuture<>();
        pool.connect(new DaemonPool.Waiter() {
            @Override
            public void connected(Channel channel, boolean reused) {
                channel.close();
                told.complete("connected");
            }

            @Override
            public void failed(Throwable cause) {
                told.complete(cause.getMessage());
            }
        });
        assertEquals("the gateway is closing", told.get(10, TimeUnit.SECONDS));
    }
}
