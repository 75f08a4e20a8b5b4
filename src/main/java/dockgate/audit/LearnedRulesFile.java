package dockgate.audit;

import dockgate.guard.ImagePulls;
import dockgate.guard.Inspection;
import dockgate.policy.Query;
import dockgate.policy.UnreadableQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The learned rules of audit mode, kept on disk: rewritten at most once a second while new calls arrive
 * and once more at close. Each write goes to a temporary file in the same directory that is then renamed
 * over the old one, so the file is always whole and can be used while audit mode runs.
 */
public final class LearnedRulesFile implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LearnedRulesFile.class);
    private static final long WRITE_INTERVAL_MILLIS = 1000;

    private final Path file;
    private final LearnedRules rules = new LearnedRules();
    private final ScheduledExecutorService writer;
    /** {@link LearnedRules#changes()} at the last write; guarded by this. */
    private long written = -1;
    private String lastFailure;

    private LearnedRulesFile(Path file) {
        this.file = file;
        this.writer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dockgate-audit-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Writes the empty file at once, so that a file that cannot be written stops the start rather than
     * a run whose learning is lost, then keeps it up to date.
     *
     * @throws IOException naming the file when it cannot be written
     */
    public static LearnedRulesFile start(Path file) throws IOException {
        LearnedRulesFile learned = new LearnedRulesFile(Objects.requireNonNull(file, "file"));
        try {
            learned.write();
        } catch (IOException e) {
            learned.writer.shutdownNow();
            throw new IOException("cannot write the audit rules file " + file + ": " + e, e);
        }
        learned.writer.scheduleWithFixedDelay(learned::writeIfChanged, WRITE_INTERVAL_MILLIS, WRITE_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        return learned;
    }

    public Path file() {
        return file;
    }

    /** See {@link LearnedRules#record}; a client without an IP address (a Unix socket) is "local". */
    public boolean record(InetSocketAddress client, String method, String canonicalPath, String rawQuery,
                          boolean deniedByRules, boolean hijack) {
        return rules.record(client == null ? "local" : client.getHostString(), method, canonicalPath, rawQuery,
                deniedByRules, hijack);
    }

    /** See {@link LearnedRules#recordRefusedUpgrade}. */
    public void recordRefusedUpgrade(String method, String canonicalPath, String why) {
        rules.recordRefusedUpgrade(method, canonicalPath, why);
    }

    /** See {@link LearnedRules#recordBody}. */
    public void recordBody(Inspection inspection, byte[] body) {
        rules.recordBody(inspection, body);
    }

    /** See {@link LearnedRules#recordPull}; a query that names a parameter twice teaches nothing. */
    public void recordPull(Query query) {
        try {
            List<String> values = query.valuesOnce(ImagePulls.PARAMETERS);
            rules.recordPull(values.get(0), values.get(1), values.get(2));
        } catch (UnreadableQueryException e) {
            // Refused by the pull's checks in any case: there is nothing to learn that could allow it.
        }
    }

    /** What has been learned so far. */
    public LearnedRules rules() {
        return rules;
    }

    /** Writes now if anything new was seen since the last write; a failure is logged, once until it changes. */
    public synchronized void writeIfChanged() {
        if (rules.changes() == written) {
            return;
        }
        try {
            write();
            if (lastFailure != null) {
                log.info("audit rules file {} written again", file);
                lastFailure = null;
            }
        } catch (IOException | RuntimeException e) {
            String failure = e.toString();
            if (!failure.equals(lastFailure)) {
                log.warn("cannot write the audit rules file {}: {} (will retry)", file, failure);
                lastFailure = failure;
            }
        }
    }

    private synchronized void write() throws IOException {
        long changes = rules.changes();
        byte[] text = rules.text().getBytes(StandardCharsets.UTF_8);
        Path absolute = file.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(text);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                // On disk before the rename: a crash must leave the old file or the new one, never an empty one.
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        written = changes;
    }

    /** Stops the periodic writes and writes what was learned one last time. */
    @Override
    public void close() {
        writer.shutdownNow();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeIfChanged();
        log.info("audit: {} learned from {} into {}", rules.size() == 1 ? "1 rule" : rules.size() + " rules",
                rules.calls() == 1 ? "1 call" : rules.calls() + " calls", file);
    }
}
