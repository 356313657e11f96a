package org.citizenreception.control.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.websocket.WsHandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Javalin server: static web client, route modules, and the one place where exceptions become
 * problem+json responses.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /** HTTPS settings when enabled: the port and the key store holding the certificate. */
    public record Tls(int port, KeyStore keyStore) {
    }

    /**
     * One registered route: method and path template as Javalin holds them. A WebSocket endpoint is
     * listed as {@code GET} (its upgrade request) with {@code websocket} set; the OpenAPI document
     * describes it under the key {@code x-websocket} of its path item.
     */
    public record Route(String method, String path, boolean websocket) {
    }

    private final Javalin javalin;
    private final List<Route> routes;

    private HttpServer(Javalin javalin, List<Route> routes) {
        this.javalin = javalin;
        this.routes = List.copyOf(routes);
    }

    public static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // An unknown field is a client bug or a typo that would otherwise be silently lost.
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    public static HttpServer start(String host, int port, long maxRequestBytes, Optional<Tls> tls,
                                   List<RouteModule> modules, MeterRegistry meters) {
        return start(host, port, maxRequestBytes, tls, modules, meters, ConnectionLimits.DEFAULT);
    }

    /**
     * What one client may hold of the server's connections and threads: without a minimum data rate
     * a client sending its body a byte every 20 s holds a request (and a thread) for ever; without a
     * connection limit, enough idle sockets exhaust file descriptors.
     *
     * @param idleTimeout            a connection silent this long, mid-request or between requests, is closed
     * @param minRequestBytesPerSecond a body read slower than this is abandoned (408)
     * @param maxConnections         beyond this many open connections new ones wait in the kernel's accept queue
     * @param refusals               counts the requests cut off for their data rate
     */
    public record ConnectionLimits(java.time.Duration idleTimeout, long minRequestBytesPerSecond, int maxConnections,
                                   org.citizenreception.control.limits.LimitRefusals refusals) {
        public static final ConnectionLimits DEFAULT = new ConnectionLimits(java.time.Duration.ofSeconds(30), 100, 2000,
                org.citizenreception.control.limits.LimitRefusals.unregistered());
    }

    public static HttpServer start(String host, int port, long maxRequestBytes, Optional<Tls> tls,
                                   List<RouteModule> modules, MeterRegistry meters, ConnectionLimits limits) {
        List<Route> registered = new java.util.concurrent.CopyOnWriteArrayList<>();
        RequestObserver observer = new RequestObserver(meters);
        java.util.concurrent.atomic.AtomicReference<HttpServer> started = new java.util.concurrent.atomic.AtomicReference<>();
        SecurityHeaders securityHeaders = new SecurityHeaders(() -> tls.isEmpty() || started.get() == null
                ? Optional.empty() : started.get().httpsPort());
        Javalin javalin = Javalin.create(config -> {
            config.events.handlerAdded(h -> {
                if (h.getHttpMethod().isHttpMethod()) {
                    registered.add(new Route(h.getHttpMethod().name(), h.getPath(), false));
                }
            });
            config.events.wsHandlerAdded(h -> {
                if (h.getHandlerType() == WsHandlerType.WEBSOCKET) {
                    registered.add(new Route("GET", h.getPath(), true));
                }
            });
            config.requestLogger.http(observer::requestFinished);
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = maxRequestBytes;
            config.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(limits.idleTimeout().toMillis());
                http.setMinRequestDataRate(limits.minRequestBytesPerSecond());
            });
            config.jetty.modifyServer(server -> {
                org.eclipse.jetty.server.ConnectionLimit connectionLimit =
                        new org.eclipse.jetty.server.ConnectionLimit(limits.maxConnections(), server);
                server.addBean(connectionLimit);
                // at the limit new connections wait in the kernel's queue, uncounted: the open count shows it is reached
                io.micrometer.core.instrument.Gauge.builder("reception_api_http_connections", connectionLimit,
                                org.eclipse.jetty.server.ConnectionLimit::getConnections)
                        .description("open HTTP(S) connections; at limits.http-max-connections new ones wait")
                        .strongReference(true).register(meters);
                // the connectors exist only once the server starts (Javalin adds its default one late)
                server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                        for (org.eclipse.jetty.server.Connector c : server.getConnectors()) {
                            if (c instanceof org.eclipse.jetty.server.AbstractConnector connector) {
                                connector.setIdleTimeout(limits.idleTimeout().toMillis());
                            }
                        }
                    }
                });
            });
            config.jsonMapper(new JavalinJackson(objectMapper(), false));
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
            });
            tls.ifPresent(t -> addTlsConnector(config, host, port, t));
            config.routes.before(securityHeaders::apply);
            modules.forEach(m -> m.register(config.routes));
            ErrorMapping.register(config.routes, limits.refusals());
        });
        javalin.start(host, port);
        HttpServer server = new HttpServer(javalin, registered);
        log.info("http listening on {}:{}", host, server.port());
        started.set(server);
        return server;
    }

    /**
     * Adds the plain HTTP connector (first: Javalin adds its default one only when there is none,
     * and plain HTTP must keep answering, if only with a redirect to HTTPS) and the HTTPS one.
     */
    private static void addTlsConnector(JavalinConfig config, String host, int plainPort, Tls tls) {
        config.jetty.addConnector((server, httpConfig) -> {
            ServerConnector plain = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
            plain.setHost(host);
            plain.setPort(plainPort);
            return plain;
        });
        config.jetty.addConnector((server, httpConfig) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(tls.keyStore());
            ssl.setKeyStorePassword(new String(TlsCertificates.KEYSTORE_PASSWORD));
            HttpConfiguration httpsConfig = new HttpConfiguration(httpConfig);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // A self-signed certificate names localhost only; rooms reach the server by IP.
            secure.setSniHostCheck(false);
            httpsConfig.addCustomizer(secure);
            ServerConnector connector = new ServerConnector(server,
                    new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(httpsConfig));
            connector.setHost(host);
            connector.setPort(tls.port());
            return connector;
        });
    }

    /** Every HTTP route registered, in registration order (the OpenAPI test compares against it). */
    public List<Route> routes() {
        return routes;
    }

    /** The HTTP port actually bound (differs from the configured one when that was 0). */
    public int port() {
        // javalin.port() names the first connector, which is the HTTPS one when both are on.
        return java.util.Arrays.stream(javalin.jettyServer().server().getConnectors())
                .filter(c -> c.getConnectionFactory(SslConnectionFactory.class) == null)
                .map(c -> ((ServerConnector) c).getLocalPort())
                .findFirst().orElseGet(javalin::port);
    }

    /** The HTTPS port actually bound, when HTTPS is on. */
    public Optional<Integer> httpsPort() {
        return java.util.Arrays.stream(javalin.jettyServer().server().getConnectors())
                .filter(c -> c.getConnectionFactory(SslConnectionFactory.class) != null)
                .map(c -> ((ServerConnector) c).getLocalPort())
                .findFirst();
    }

    static void problem(Context ctx, Problem problem) {
        ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).json(problem);
        ctx.contentType(Problem.CONTENT_TYPE);
    }

    /** Stops accepting, lets requests in flight finish, then closes the connectors. */
    @Override
    public void close() {
        javalin.stop();
    }
}
