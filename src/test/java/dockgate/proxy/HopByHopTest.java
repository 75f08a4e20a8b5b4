package dockgate.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HopByHopTest {

    @ParameterizedTest
    @ValueSource(strings = {"Connection", "keep-alive", "Proxy-Authenticate", "PROXY-AUTHORIZATION", "Proxy-Connection",
            "TE", "Trailer", "Trailers", "Transfer-Encoding", "upgrade"})
    void theStandardOnesNeverCrossInAnySpelling(String name) {
        assertTrue(HopByHop.of((String) null).isHopByHop(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Type", "Content-Length", "Api-Version", "X-Registry-Auth", "Host", "Date"})
    void endToEndHeadersCross(String name) {
        assertFalse(HopByHop.of("keep-alive").isHopByHop(name));
    }

    @Test
    void whatTheConnectionHeaderListsNeverCrosses() {
        HopByHop hop = HopByHop.of(" keep-alive ,X-Secret,x-other ");
        assertTrue(hop.isHopByHop("x-secret"));
        assertTrue(hop.isHopByHop("X-Other"));
        assertFalse(hop.isHopByHop("X-Secre"));
    }

    @Test
    void readsTheConnectionHeaderOfAResponse() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "close, X-Daemon-Only");
        assertTrue(HopByHop.of(headers).isHopByHop("X-Daemon-Only"));
        assertFalse(HopByHop.of(new DefaultHttpHeaders()).isHopByHop("X-Daemon-Only"));
    }

    @Test
    void everyConnectionHeaderOfAMessageCounts() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "close").add("Connection", "X-Second");
        assertTrue(HopByHop.of(headers).isHopByHop("X-Second"));
        assertTrue(HopByHop.of(java.util.List.of("keep-alive", "X-A, X-B")).isHopByHop("x-b"));
    }
}
