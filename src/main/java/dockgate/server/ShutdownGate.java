package dockgate.server;

import dockgate.http.JsonError;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls in flight so a shutdown can wait for them, and once it has begun turns new calls away
 * with a Docker-style 503 on a connection that is then closed, so clients go and look elsewhere.
 */
public final class ShutdownGate implements HttpHandler {

    private final HttpHandler next;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;

    public ShutdownGate(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        // Counted before the check: a call that slips in as closing begins is either refused or waited for.
        inFlight.incrementAndGet();
        if (closing) {
            finished();
            long start = System.nanoTime();
            exchange.setPersistent(false);
            exchange.addExchangeCompleteListener((ex, nextListener) -> {
                AccessLog.record(ex, "shutdown", start);
                nextListener.proceed();
            });
            JsonError.sendOwn(exchange, 503, "the gateway is shutting down");
            return;
        }
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            finished();
            nextListener.proceed();
        });
        // Undertow answers an exception it caught with an empty 500: the client gets an error of dockgate's own.
        exchange.addDefaultResponseListener(ex -> {
            if (ex.getStatusCode() != 500 || !ex.getConnection().isOpen()) {
                return false;
            }
            JsonError.sendOwn(ex, 500, "internal error; the gateway's log says more");
            return true;
        });
        next.handleRequest(exchange);
    }

    private void finished() {
        if (inFlight.decrementAndGet() == 0 && closing) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Refuses new calls from now on. */
    public void close() {
        closing = true;
    }

    /** Waits until no call is in flight or the time is up; true if none is left. */
    public synchronized boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (inFlight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return inFlight.get() == 0;
    }
}
