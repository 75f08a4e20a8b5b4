package dockgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second real dockerd of this test's own, side by side with the shared one, so a test
 * may stop, restart and SIGKILL it. Started and stopped through {@code scripts/dev-daemon} with its own
 * short {@code DOCKGATE_DEV_DIR}; only ever signals the dockerd it started (by the PID from its own
 * pidfile, checked against that PID's command line) and, when cleaning up, processes whose command line
 * names its private directory (its containerd).
 */
final class ExtraDaemon implements AutoCloseable {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;

    private ExtraDaemon(Path dir) {
        this.dir = dir;
    }

    /** A new private directory (short: Unix socket paths are capped at 108 bytes) and a daemon started in it. */
    static ExtraDaemon start() throws IOException, InterruptedException {
        ExtraDaemon d = new ExtraDaemon(Files.createTempDirectory(Path.of("/tmp"), "dgf"));
        try {
            d.startAgain();
        } catch (RuntimeException | Error | IOException | InterruptedException e) {
            d.close();
            throw e;
        }
        return d;
    }

    Path dir() {
        return dir;
    }

    Path socket() {
        return dir.resolve("docker.sock");
    }

    /** Starts (again) on the same directory, so on the same socket path; returns once /_ping answers. */
    void startAgain() throws IOException, InterruptedException {
        String out = devDaemon("start").trim();
        assertEquals(socket().toString(), out, "scripts/dev-daemon start printed an unexpected socket path");
    }

    /** Stops the daemon the way an operator does: SIGTERM through scripts/dev-daemon, waiting for the exit. */
    void stop() throws IOException, InterruptedException {
        devDaemon("stop");
    }

    /** The PID of our dockerd, verified against its command line (a recycled PID is not ours). */
    Optional<ProcessHandle> dockerd() {
        try {
            String pid = Files.readString(dir.resolve("docker.pid")).trim();
            Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(pid));
            if (p.isEmpty()) return Optional.empty();
            String cmd = cmdline(p.get().pid());
            return cmd.contains("dockerd") && cmd.contains("unix://" + socket()) ? p : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SIGKILL to our dockerd; returns once it is gone. */
    void kill() throws InterruptedException {
        ProcessHandle p = dockerd().orElseThrow(() -> new AssertionError("our extra dockerd is not running"));
        p.destroyForcibly(); // SIGKILL
        if (!It.await(Duration.ofSeconds(10), () -> gone(p.pid()))) {
            fail("dockerd pid " + p.pid() + " still alive 10 s after SIGKILL");
        }
    }

    /** Exited: no such process, or a zombie (dockerd is not our child; whoever reaps it may take a while). */
    static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    private String devDaemon(String action) throws IOException, InterruptedException {
        Path out = Files.createTempFile("dgf-dev-daemon", ".out");
        Path err = Files.createTempFile("dgf-dev-daemon", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder("scripts/dev-daemon", action)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().put("DOCKGATE_DEV_DIR", dir.toString());
            Process p = pb.start();
            if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                fail("scripts/dev-daemon " + action + " did not finish within " + SCRIPT_TIMEOUT + ": "
                        + Files.readString(err));
            }
            if (p.exitValue() != 0) {
                fail("scripts/dev-daemon " + action + " (DOCKGATE_DEV_DIR=" + dir + ") exited " + p.exitValue() + ":\n"
                        + Files.readString(err));
            }
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Leaves nothing behind: SIGKILL to our dockerd if it still runs (it has no containers), then to any
     * process whose command line names our private directory (containerd normally dies with dockerd), then
     * unmounts what dockerd mounted inside the directory and deletes it.
     */
    @Override
    public void close() throws InterruptedException {
        dockerd().ifPresent(p -> {
            p.destroyForcibly();
            It.await(Duration.ofSeconds(10), () -> gone(p.pid()));
        });
        List<ProcessHandle> leftovers = ours();
        leftovers.forEach(ProcessHandle::destroyForcibly);
        It.await(Duration.ofSeconds(10), () -> leftovers.stream().allMatch(p -> gone(p.pid())));
        try {
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String mountPoint = line.split(" ")[4];
                if (mountPoint.startsWith(dir + "/")) mounts.add(mountPoint);
            }
            mounts.sort(Comparator.reverseOrder()); // deepest first
            for (String m : mounts) {
                Process p = new ProcessBuilder("umount", m).redirectErrorStream(true).start();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            System.err.println("FaultsIT: could not fully remove " + dir + ": " + e);
        }
    }

    /** Live processes whose command line names our private directory. */
    private List<ProcessHandle> ours() {
        String needle = dir + "/";
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && cmdline(p.pid()).contains(needle))
                .toList();
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
