package dockgate;

import dockgate.access.ClientGate;
import dockgate.admin.Metrics;
import dockgate.server.Limits;
import dockgate.server.ParserRefusals;
import dockgate.unix.UnixClientNames;
import dockgate.unix.UnixListener;
import io.netty.channel.EventLoopGroup;
import io.undertow.UndertowOptions;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.OpenListener;
import io.undertow.server.protocol.http.HttpOpenListener;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The listeners of a gateway, opened one by one and closed together: Undertow's HTTP/1.1 listener on TCP
 * (plain or TLS, behind the {@code --allow-from} gate), on Unix sockets, and on the admin address, all on
 * one XNIO worker.
 *
 * <p>They are assembled by hand rather than with Undertow's builder so that a client outside
 * {@code --allow-from} is turned away as it connects, before anything of its request is read, and so that
 * Unix socket listeners (which Undertow cannot open itself) feed the same handlers.
 */
final class Listeners {

    private final Xnio xnio;
    private final XnioWorker worker;
    private final Config config;
    private final Metrics metrics;
    private final DefaultByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024);
    /** The Unix listeners' event loops: the daemon side's, closed with it. */
    private final EventLoopGroup unixLoops;
    private final List<AcceptingChannel<? extends StreamConnection>> tcp = new ArrayList<>();
    private final List<UnixListener> unix = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private AcceptingChannel<? extends StreamConnection> admin;
    /** Made from the TLS files once, for every TCP listener: the files are read and checked once. */
    private UndertowXnioSsl ssl;

    /**
     * {@code unixLoops} are the daemon side's event loops: a Unix client's bytes and the daemon's then move on
     * the same threads, and the gateway has no more busy threads than cores (with a group of their own, /_ping
     * over a Unix socket took 94-103 us of CPU a call on two cores, with the daemon side's 78-89 us).
     */
    Listeners(Xnio xnio, XnioWorker worker, Config config, Metrics metrics, EventLoopGroup unixLoops) {
        this.xnio = xnio;
        this.worker = worker;
        this.config = config;
        this.metrics = metrics;
        this.unixLoops = unixLoops;
    }

    /** Opens one API listener serving {@code root}; a TCP one takes connections only once {@link #resumeAccepts()}. */
    void openApi(ListenSpec listener, HttpHandler root) throws IOException {
        Limits limits = config.limits();
        if (listener.isUnix()) {
            // The socket file's mode and group decide who may connect; --allow-from is for addresses.
            UnixClientNames names = new UnixClientNames(listener.path());
            unix.add(UnixListener.open(listener.path(), listener.mode(), listener.group(), unixLoops, worker,
                    http(limits, names.naming(root), names::name)));
            addresses.add(listener.toString());
            return;
        }
        AcceptingChannel<? extends StreamConnection> channel =
                listenTcp(listener, http(limits, root, ParserRefusals::peerAddress));
        tcp.add(channel);
        int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        addresses.add((config.tls() == null ? "" : "https://") + ListenSpec.tcp(listener.host(), port));
    }

    /**
     * The admin listener: plain HTTP on its own address, on the same worker. No --allow-from: monitoring
     * usually comes from elsewhere than the API's clients, and nothing here can reach the daemon.
     */
    void openAdmin(ListenAddress address, HttpHandler handler) throws IOException {
        Limits limits = config.limits();
        HttpOpenListener http = new HttpOpenListener(buffers, OptionMap.builder()
                .set(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) limits.headTimeout().toMillis())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.idleTimeout().toMillis())
                .getMap());
        http.setRootHandler(handler);
        try {
            admin = worker.createStreamConnectionServer(
                    new InetSocketAddress(address.host(), address.port()), ChannelListeners.openListenerAdapter(http),
                    OptionMap.builder().set(Options.TCP_NODELAY, true).set(Options.REUSE_ADDRESSES, true).getMap());
            admin.resumeAccepts();
        } catch (IOException e) {
            throw new IOException("admin listener " + address + ": " + e.getMessage(), e);
        }
    }

    /** The TCP API listeners start taking connections. */
    void resumeAccepts() {
        tcp.forEach(AcceptingChannel::resumeAccepts);
    }

    /** Undertow's HTTP/1.1 listener, under which every request its parser refuses gets dockgate's answer. */
    private OpenListener http(Limits limits, HttpHandler root, Function<StreamConnection, String> clientName) {
        HttpOpenListener http = new HttpOpenListener(buffers, OptionMap.builder()
                // The raw path is canonicalised by us, once; Undertow must not decode it first.
                .set(UndertowOptions.DECODE_URL, false)
                // The daemon's own Date header passes through; a second one would be wrong.
                .set(UndertowOptions.ALWAYS_SET_DATE, false)
                // Hard ceilings: the parser closes the connection beyond them. Below them the handler
                // answers 414/431/413 with a message, so they sit well above the configured limits.
                .set(UndertowOptions.MAX_HEADER_SIZE, Math.max(64 * 1024, 4 * (limits.maxTargetLength() + limits.maxHeaderBytes())))
                .set(UndertowOptions.MAX_HEADERS, 2 * limits.maxHeaders())
                .set(UndertowOptions.MAX_ENTITY_SIZE, limits.maxBodyBytes())
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) limits.headTimeout().toMillis())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.idleTimeout().toMillis())
                .getMap());
        http.setRootHandler(root);
        return new ParserRefusals(http, metrics, clientName);
    }

    private AcceptingChannel<? extends StreamConnection> listenTcp(ListenSpec listener, OpenListener http)
            throws IOException {
        ChannelListener<AcceptingChannel<StreamConnection>> accept =
                ChannelListeners.openListenerAdapter(new ClientGate(config.allowFrom(), http));
        OptionMap socketOptions = OptionMap.builder()
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BACKLOG, 1024)
                .getMap();
        InetSocketAddress address = new InetSocketAddress(listener.host(), listener.port());
        if (config.tls() == null) {
            return worker.createStreamConnectionServer(address, accept, socketOptions);
        }
        if (ssl == null) {
            ssl = new UndertowXnioSsl(xnio, OptionMap.EMPTY, config.tls().context());
        }
        OptionMap tlsOptions = OptionMap.builder().addAll(socketOptions)
                .set(Options.SSL_CLIENT_AUTH_MODE, config.tls().requiresClientCertificates()
                        ? SslClientAuthMode.REQUIRED : SslClientAuthMode.NOT_REQUESTED)
                .getMap();
        @SuppressWarnings({"unchecked", "rawtypes"})
        ChannelListener tlsAccept = accept;
        return ssl.createSslConnectionServer(worker, address, tlsAccept, tlsOptions);
    }

    /** The port of the first TCP listener (the one it got, for port 0). */
    int port() {
        if (tcp.isEmpty()) {
            throw new IllegalStateException("no TCP listener");
        }
        return ((InetSocketAddress) tcp.get(0).getLocalAddress()).getPort();
    }

    /** The admin listener's port, or -1 when there is none. */
    int adminPort() {
        return admin == null ? -1 : ((InetSocketAddress) admin.getLocalAddress()).getPort();
    }

    /** Where the API listeners listen, as the user would write it. */
    List<String> addresses() {
        return List.copyOf(addresses);
    }

    /** Stops taking connections on every listener. */
    void close() {
        tcp.forEach(IoUtils::safeClose);
        unix.forEach(UnixListener::close);
        IoUtils.safeClose(admin);
    }

    /** Ends the Unix socket clients' connections, which no XNIO worker owns; once the worker has stopped. */
    void closeUnixClients() {
        unix.forEach(UnixListener::closeClients);
    }

}
