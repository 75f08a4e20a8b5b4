package dockgate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code --listen} and {@code DOCKGATE_LISTEN}: several listeners, Unix sockets and their options. */
class ListenSpecsTest {

    private static CommandLine parse(Map<String, String> env, String... args) throws UsageException {
        return CommandLine.parse(args, env);
    }

    @Test
    void repeatedFlagsGiveSeveralListenersInOrder() throws UsageException {
        CommandLine line = parse(Map.of(), "--listen", "unix:/run/dockgate/docker.sock,mode=0660,group=root",
                "--listen=127.0.0.1:2375", "--listen", "[::1]:2376,profile=readonly");
        assertEquals(List.of(
                ListenSpec.unix(Path.of("/run/dockgate/docker.sock"), 0660, "root"),
                ListenSpec.tcp("127.0.0.1", 2375),
                ListenSpec.tcp("::1", 2376).withProfile("readonly")), line.listeners());
    }

    @Test
    void aUnixSocketIsOwnerOnlyUnlessToldOtherwise() throws UsageException {
        ListenSpec listener = parse(Map.of(), "--listen=unix:/run/d.sock").listeners().get(0);
        assertEquals(0600, listener.mode());
        assertEquals(null, listener.group());
        assertEquals("unix:/run/d.sock", listener.toString());
        assertEquals(0640, parse(Map.of(), "--listen=unix:/run/d.sock,mode=640,group=0").listeners().get(0).mode());
    }

    @Test
    void theEnvironmentTakesSeveralSeparatedBySpacesAndFlagsReplaceThemAll() throws UsageException {
        Map<String, String> env = Map.of("DOCKGATE_LISTEN", "  unix:/run/a.sock,mode=0660 \n 127.0.0.1:2375 ");
        assertEquals(List.of(ListenSpec.unix(Path.of("/run/a.sock"), 0660, null), ListenSpec.tcp("127.0.0.1", 2375)),
                parse(env).listeners());
        assertEquals(List.of(ListenSpec.tcp("127.0.0.1", 9)), parse(env, "--listen=127.0.0.1:9").listeners());
    }

    @Test
    void allowFromDefaultsToLoopbackOnlyWhenEveryTcpListenerIsLoopback() throws UsageException {
        assertEquals("127.0.0.0/8,::1/128",
                parse(Map.of(), "--listen=unix:/run/a.sock", "--listen=127.0.0.1:2375").allowFrom().toString());
        assertEquals("anyone",
                parse(Map.of(), "--listen=127.0.0.1:2375", "--listen=0.0.0.0:2376").allowFrom().toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--listen=unix:                            | --listen unix:: the path is empty",
            "--listen=unix:run/d.sock                  | --listen unix:run/d.sock: the path must be absolute",
            "--listen=unix:/run/d.sock,mode=0800       | --listen unix:/run/d.sock: mode must be octal 0000 to 0777, got '0800'",
            "--listen=unix:/run/d.sock,mode=1777       | --listen unix:/run/d.sock: mode must be octal 0000 to 0777, got '1777'",
            "--listen=unix:/run/d.sock,mode=rw         | --listen unix:/run/d.sock: mode must be octal 0000 to 0777, got 'rw'",
            "--listen=unix:/run/d.sock,group=nosuchgrp | --listen unix:/run/d.sock: no group 'nosuchgrp' on this system",
            "--listen=unix:/run/d.sock,owner=root      | --listen unix:/run/d.sock: unknown option 'owner' (mode=, group= and profile= are known)",
            "--listen=unix:/run/d.sock,mode            | --listen unix:/run/d.sock: expected KEY=VALUE after the comma, got 'mode'",
            "--listen=unix:/run/d.sock,mode=0600,mode=0660 | --listen unix:/run/d.sock: mode= is given twice",
            "--listen=unix:/run/d.sock,profile=a/b     | --listen unix:/run/d.sock: profile name 'a/b' must be letters, digits, '_', '.' or '-'",
            "--listen=127.0.0.1:2375,mode=0660         | --listen 127.0.0.1:2375: mode= applies to unix: listeners only",
            "--listen=127.0.0.1:2375,group=root        | --listen 127.0.0.1:2375: group= applies to unix: listeners only",
            "--listen=unix:/run/d.sock --listen=unix:/run/./d.sock | --listen: unix:/run/./d.sock is given twice",
            "--listen=127.0.0.1:2375 --listen=127.0.0.1:2375 | --listen: 127.0.0.1:2375 is given twice",
            "--listen=unix:/run/d.sock --allow-from=10.0.0.0/8 | --allow-from applies to TCP listeners only; a unix: socket's access is its mode and group",
            "--listen=unix:/run/d.sock --tls-cert=c --tls-key=k | --tls-cert applies to TCP listeners only; a unix: socket is served as plain HTTP",
    })
    void badListenersNameThemselves(String args, String message) {
        UsageException e = assertThrows(UsageException.class, () -> parse(Map.of(), args.split(" ")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void pathsTooLongForASocketAreRefusedWithTheirLength() {
        String dir = "/" + "d".repeat(60);
        UsageException whole = assertThrows(UsageException.class,
                () -> parse(Map.of(), "--listen=unix:" + dir + "/" + "s".repeat(50)));
        assertEquals("--listen unix:" + dir + "/" + "s".repeat(50)
                + ": the path is 112 bytes long; a Unix socket path may have at most 107", whole.getMessage());
        String longDir = "/" + "d".repeat(99);
        UsageException inDir = assertThrows(UsageException.class,
                () -> parse(Map.of(), "--listen=unix:" + longDir + "/s"));
        assertEquals("--listen unix:" + longDir + "/s: its directory's path is 100 bytes long; at most 95"
                + " (the socket is first made in a private directory inside it)", inDir.getMessage());
    }
}
