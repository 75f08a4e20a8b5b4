package dockgate.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a process holds, read from /proc and from {@code ss}: its open files and its Unix-socket connections
 * to the daemon socket.
 */
final class ProcProbe {
    private ProcProbe() {}

    /** Entries in /proc/PID/fd. */
    static int openFiles(long pid) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            int n = 0;
            for (Path ignored : fds) n++;
            return n;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/" + pid + "/fd", e);
        }
    }

    /** Inodes of the sockets the process has open. */
    static Set<Long> socketInodes(long pid) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/" + pid + "/fd", e);
        }
        return inodes;
    }

    /**
     * Inodes of the process's end of each connection to the Unix socket at {@code path}: the peers of the
     * daemon-side sockets bound to that path, as {@code ss -xn} shows them, that the process holds.
     */
    static Set<Long> connectionsTo(long pid, Path path) {
        Set<Long> peers = new HashSet<>();
        String socket = path.toString();
        for (String line : ss().split("\n")) {
            // u_str ESTAB 0 0 /tmp/x/docker.sock 122665 * 122916
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[0].equals("u_str") && f[4].equals(socket)) {
                try {
                    peers.add(Long.parseLong(f[7]));
                } catch (NumberFormatException e) {
                    // not a connection line
                }
            }
        }
        peers.retainAll(socketInodes(pid));
        return peers;
    }

    private static String ss() {
        try {
            Process p = new ProcessBuilder("ss", "-xn").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out;
            try (InputStream stdout = p.getInputStream()) {
                out = stdout.readAllBytes();
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("ss -xn did not finish");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ss -xn (iproute2)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** VmRSS of the process in kB. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return -1;
    }
}
