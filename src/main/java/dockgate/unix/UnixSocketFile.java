package dockgate.unix;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The file of a Unix socket listener: made with exactly the asked mode and group, and removed again.
 *
 * <p>Binding creates the socket file with the process umask, so for a moment it could be more open than
 * asked, and a client could connect in that moment. So the socket is bound inside a fresh private
 * directory (mode 0700, nobody else can reach anything inside), given its mode and group there, and only
 * then hard-linked to its real path. A link never replaces an existing file, so something that appeared at
 * the path meanwhile is not clobbered either. The private directory is removed at once.
 *
 * <p>What is already at the path decides whether dockgate may start: nothing is fine; a socket nobody
 * listens on (left by a crashed run) is removed; a socket someone serves, or anything that is not a
 * socket, is left alone and dockgate refuses to start.
 */
public final class UnixSocketFile {

    private static final Logger log = LoggerFactory.getLogger(UnixSocketFile.class);

    /** sun_path holds 108 bytes on Linux, including the terminating NUL. */
    private static final int MAX_PATH_BYTES = 107;
    /** "/.dgXXXXXX/s": what the private directory adds to the path's directory while binding. */
    private static final int PRIVATE_SUFFIX_BYTES = 12;
    private static final int TYPE_MASK = 0170000;
    private static final int TYPE_SOCKET = 0140000;

    private final Path path;
    private final int mode;
    private final String group;
    private final Path privateDir;
    private Object fileKey;

    private UnixSocketFile(Path path, int mode, String group, Path privateDir) {
        this.path = path;
        this.mode = mode;
        this.group = group;
        this.privateDir = privateDir;
    }

    /** Null when a socket can be made at this path, else why not. */
    public static String checkLength(Path path) {
        int bytes = bytes(path);
        if (bytes > MAX_PATH_BYTES) {
            return "the path is " + bytes + " bytes long; a Unix socket path may have at most " + MAX_PATH_BYTES;
        }
        int dirBytes = bytes(path.getParent());
        if (dirBytes + PRIVATE_SUFFIX_BYTES > MAX_PATH_BYTES) {
            return "its directory's path is " + dirBytes + " bytes long; at most " + (MAX_PATH_BYTES - PRIVATE_SUFFIX_BYTES)
                    + " (the socket is first made in a private directory inside it)";
        }
        return null;
    }

    private static int bytes(Path path) {
        return path.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Clears the way for a socket at {@code path} (removing a stale one) and makes the private directory to
     * bind in; the message of a failure says what is in the way.
     */
    public static UnixSocketFile prepare(Path path, int mode, String group) throws IOException {
        removeIfStale(path);
        Path dir = path.resolveSibling(".dg" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2));
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (NoSuchFileException e) {
            throw new IOException("the directory " + path.getParent() + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IOException("no permission to make a socket in " + path.getParent(), e);
        }
        return new UnixSocketFile(path, mode, group, dir);
    }

    private static void removeIfStale(Path path) throws IOException {
        int fileMode;
        try {
            fileMode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException absent) {
            return;
        }
        if ((fileMode & TYPE_MASK) != TYPE_SOCKET) {
            throw new IOException(path + " exists and is not a socket; dockgate leaves it alone");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // Non-blocking: a live server with a full backlog must not hold up the start.
            probe.configureBlocking(false);
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (ConnectException refused) {
            Files.deleteIfExists(path);
            log.info("removed stale socket {}: nothing listened on it", path);
            return;
        }
        throw new IOException("another process is serving " + path + "; stop it or choose another path");
    }

    /** Where to bind: inside the private directory. */
    public Path bindPath() {
        return privateDir.resolve("s");
    }

    /** Gives the bound socket its mode and group, then puts it at its path. */
    public void publish() throws IOException {
        Path bound = bindPath();
        Files.setPosixFilePermissions(bound, permissions(mode));
        if (group != null) {
            PosixFileAttributeView view = Files.getFileAttributeView(bound, PosixFileAttributeView.class);
            try {
                view.setGroup(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(group));
            } catch (IOException e) {
                throw new IOException("cannot give " + path + " the group " + group + ": " + e.getMessage(), e);
            }
        }
        try {
            Files.createLink(path, bound);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(path + " appeared while dockgate was starting; dockgate leaves it alone", e);
        }
        fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        removePrivateDir();
    }

    /** Removes the socket file, unless something else has taken its place since. */
    public void remove() {
        removePrivateDir();
        if (fileKey == null) {
            return;
        }
        try {
            if (fileKey.equals(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey())) {
                Files.delete(path);
            }
        } catch (NoSuchFileException gone) {
            // someone removed it already
        } catch (IOException e) {
            log.warn("could not remove socket {}: {}", path, e.toString());
        }
    }

    private void removePrivateDir() {
        try {
            Files.deleteIfExists(bindPath());
            Files.deleteIfExists(privateDir);
        } catch (IOException e) {
            log.warn("could not remove {}: {}", privateDir, e.toString());
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }
}
