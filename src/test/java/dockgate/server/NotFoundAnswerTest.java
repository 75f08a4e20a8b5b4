package dockgate.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The daemon's words for a missing object, per single-object read, and no answer for anything else. */
class NotFoundAnswerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            GET  | /v1.41/containers/local/busybox:test/json | No such container: local/busybox:test
            HEAD | /containers/abc/json                      | No such container: abc
            GET  | /v1.41/images/alpine/json                 | no such image: alpine: No such image: alpine:latest
            GET  | /v1.41/images/local/busybox:x/json        | no such image: local/busybox:x: No such image: local/busybox:x
            GET  | /v1.41/plugins/nosuch/json                | plugin "nosuch" not found
            GET  | /v1.41/networks/n1                        | network n1 not found
            GET  | /v1.41/volumes/v1                         | get v1: no such volume
            GET  | /v1.41/services/s1                        | service s1 not found
            GET  | /v1.41/secrets/s1                         | secret s1 not found
            GET  | /v1.41/exec/e1/json                       | No such exec instance: e1
            POST | /v1.41/containers/abc/json                | -
            GET  | /v1.41/containers/abc/logs                | -
            GET  | /v1.41/containers/json                    | -
            GET  | /v1.41/networks/n1/extra                  | -
            GET  | /v1.41/v1.41/containers/abc/json          | -
            """)
    void theDaemonsWords(String method, String path, String expected) {
        assertEquals(expected, NotFoundAnswer.forRead(method, path));
    }
}
