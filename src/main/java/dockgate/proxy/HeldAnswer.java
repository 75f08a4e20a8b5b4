package dockgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import dockgate.http.JsonError;

import java.nio.charset.StandardCharsets;

/**
 * A 200 answer held back until it is whole, to be rewritten: its head and body are kept, never posted, so
 * that nothing of the original reaches the client; once whole, the rewritten body goes out with its own
 * length. Event loop of the daemon connection.
 */
final class HeldAnswer {

    private final AnswerRewrite rewrite;
    private final HttpResponse head;
    private final WholeBody body;

    HeldAnswer(AnswerRewrite rewrite, HttpResponse head) {
        this.rewrite = rewrite;
        this.head = head;
        this.body = new WholeBody(rewrite.limit());
    }

    /** Why this answer cannot be rewritten at all, or null: an encoded body is not one dockgate can read. */
    String refusal() {
        String encoding = head.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        return encoding == null || encoding.equalsIgnoreCase("identity") ? null
                : "the Docker daemon's answer is " + encoding + "-encoded, and dockgate rewrites only plain ones";
    }

    /** Takes a chunk (released here); false when the body has grown past the limit. */
    boolean add(ByteBuf chunk) {
        return body.add(chunk);
    }

    /** Rewrites the whole body and posts the new answer; a body that cannot be rewritten is a 502. */
    void release(ResponseWriter response, String description) {
        byte[] rewritten;
        HttpResponseStatus status = head.status();
        String contentType = null;
        try {
            rewritten = rewrite.apply(body.toByteArray());
        } catch (AnswerRewrite.Replaced e) {
            status = HttpResponseStatus.valueOf(e.status());
            rewritten = JsonError.body(e.getMessage()).getBytes(StandardCharsets.UTF_8);
            contentType = "application/json";
        } catch (Exception e) {
            response.post(new ResponseWriter.Failure(502, "cannot rewrite the Docker daemon's answer to "
                    + description + ": " + e.getMessage()));
            return;
        }
        HttpResponse out = new DefaultHttpResponse(head.protocolVersion(), status, head.headers().copy());
        out.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        if (contentType != null) {
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        out.headers().set(HttpHeaderNames.CONTENT_LENGTH, rewritten.length);
        response.post(out);
        if (rewritten.length > 0) {
            response.post(Unpooled.wrappedBuffer(rewritten));
        }
        response.post(ResponseWriter.END);
    }
}
