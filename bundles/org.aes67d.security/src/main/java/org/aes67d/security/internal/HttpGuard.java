package org.aes67d.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.aes67d.api.limits.Refusals;
import org.aes67d.util.log.RateLimitedLog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The daemon's HTTP policy, as a whiteboard {@link Preprocessor}: it sees every request of every HTTP whiteboard
 * runtime (the REST API, the console, and any later API on another port, e.g. NMOS) before any servlet or
 * context security handler. In order:
 * <ol>
 * <li>at most {@code http_max_requests} at once, more are 503 at once (a flood cannot queue without bound);</li>
 * <li>a body declared larger than {@code http_max_body_bytes} is 413 before it is read; a chunked one is cut
 * there too;</li>
 * <li>a state-changing request from a page of another origin than the daemon (and not allowed) is 403;</li>
 * <li>with {@code http_auth}, a request without the console user's credentials or a bearer token is 401 (the
 * console's own pages are left to the console, which asks for the same user);</li>
 * <li>CORS headers that servlets set reach only allowed origins;</li>
 * <li>{@code HEAD} is answered as {@code GET} without the body;</li>
 * <li>a body whose framing is broken (a bad chunk size) is 400, not 500.</li>
 * </ol>
 * Refusals are {@code text/plain} with the reason, change nothing, and are counted and logged once a minute.
 */
@Component(service = {Preprocessor.class, Refusals.class}, configurationPid = HttpGuard.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SecurityConfig.class)
public final class HttpGuard implements Preprocessor, Refusals {
    static final String PID = "org.aes67d.security";
    /** The Web Console's realm: a browser logged in to the console answers the API's challenge by itself. */
    static final String REALM = "OSGi Management Console";
    /** A property of our own record: present once the config bridge has fed it. */
    static final String CONFIGURED_PROPERTY = "http.auth";
    private static final String CONSOLE_PATH = "/system/console";
    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    /** One configuration's settings, swapped as a whole so a request sees one consistent set. */
    private record Settings(OriginPolicy origins, boolean auth, Credentials credentials, long maxBody,
            int maxRequests) {
    }

    private final RateLimitedLog crossSite = new RateLimitedLog(LOG, LOG_INTERVAL);
    private final RateLimitedLog unauthorized = new RateLimitedLog(LOG, LOG_INTERVAL);
    private final RateLimitedLog tooLarge = new RateLimitedLog(LOG, LOG_INTERVAL);
    private final RateLimitedLog overloaded = new RateLimitedLog(LOG, LOG_INTERVAL);
    private final RateLimitedLog malformed = new RateLimitedLog(LOG, LOG_INTERVAL);
    private volatile Settings settings;
    /** Requests inside the guard now; kept across reconfiguration so that a new limit counts the held ones. */
    private final AtomicInteger inFlight = new AtomicInteger();

    @Activate
    @Modified
    void configure(SecurityConfig c, Map<String, Object> properties) {
        if (!properties.containsKey(CONFIGURED_PROPERTY)) {
            // started before the config bridge fed our record: refuse everything rather than guess the settings
            settings = null;
            LOG.debug("HTTP: waiting for the {} record; requests are answered 503 until then", PID);
            return;
        }
        OriginPolicy origins;
        Credentials credentials;
        try {
            origins = OriginPolicy.parse(c.http_allowed_origins());
        } catch (IllegalArgumentException e) {
            // the config bundle checks the key; a record written around it gets the safe default, loudly
            LOG.error("http_allowed_origins: {}; no other origin is allowed", e.getMessage());
            origins = OriginPolicy.parse("");
        }
        try {
            credentials = Credentials.of(c.console_user(), c.console_password(), c.http_tokens());
        } catch (IllegalArgumentException e) {
            LOG.error("http_tokens: {}; no token is accepted", e.getMessage());
            credentials = Credentials.of(c.console_user(), c.console_password(), "");
        }
        int maxRequests = Math.max(1, c.http_max_requests());
        settings = new Settings(origins, c.http_auth(), credentials, Math.max(0, c.http_max_body_bytes()),
                maxRequests);
        LOG.info("HTTP: {}, authentication {}, bodies up to {} bytes, {} requests at once",
                origins.anyOrigin() ? "every origin trusted (http_allowed_origins *)"
                        : "cross-site changes refused", c.http_auth() ? "required" : "off (http_auth false)",
                c.http_max_body_bytes(), c.http_max_requests());
    }

    @Override
    public String subsystem() {
        return "http";
    }

    @Override
    public Map<String, Long> counts() {
        return Map.of("cross_site", crossSite.total(), "unauthorized", unauthorized.total(), "too_large",
                tooLarge.total(), "busy", overloaded.total(), "malformed", malformed.total());
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse resp)) {
            chain.doFilter(request, response);
            return;
        }
        Settings s = settings;
        if (s == null) {
            resp.setHeader("Retry-After", "1");
            refuse(resp, 503, "starting : (daemon) the HTTP security settings are not loaded yet");
            return;
        }
        if (inFlight.incrementAndGet() > s.maxRequests()) {
            inFlight.decrementAndGet();
            overloaded.warn("HTTP: more than {} requests at once; {} {} from {} answered 503 ({} so far)",
                    s.maxRequests(), req.getMethod(), req.getRequestURI(), req.getRemoteAddr(),
                    overloaded.total() + 1);
            resp.setHeader("Retry-After", "1");
            refuse(resp, 503, "server busy : (daemon) too many requests at once, try again");
            return;
        }
        try {
            guarded(req, resp, chain, s);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void guarded(HttpServletRequest req, HttpServletResponse resp, FilterChain chain, Settings s)
            throws IOException, ServletException {
        String method = req.getMethod();
        if (req.isSecure()) {
            // once a browser has seen the daemon over HTTPS, it never again talks to it in the clear
            resp.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
        long declared = req.getContentLengthLong();
        if (declared > s.maxBody()) {
            tooLarge.warn("HTTP: {} {} from {} declares a body of {} bytes, over http_max_body_bytes {} ({} so far)",
                    method, req.getRequestURI(), req.getRemoteAddr(), declared, s.maxBody(), tooLarge.total() + 1);
            resp.setHeader("Connection", "close");
            refuse(resp, 413, "request body too large : (daemon) " + declared + " bytes, at most " + s.maxBody());
            return;
        }
        String origin = OriginPolicy.requestOrigin(req.getHeader("Origin"), req.getHeader("Referer"));
        String own = OriginPolicy.ownOrigin(req.getScheme(), req.getHeader("Host"));
        String refusal = s.origins().refusal(method, origin, own, req.getHeader("Sec-Fetch-Site"));
        if (refusal != null) {
            crossSite.warn("HTTP: refused {} {} from {}: {} ({} so far)", method, req.getRequestURI(),
                    req.getRemoteAddr(), refusal, crossSite.total() + 1);
            refuse(resp, 403, "cross-site request refused : (daemon) " + refusal);
            return;
        }
        // checked even with http_auth off: changes that reach beyond audio need them (OperatorOnlyException)
        String user = s.credentials().userOf(req.getHeader("Authorization"));
        if (s.auth() && !isConsole(req) && !method.equals("OPTIONS") && user == null) {
            unauthorized.warn("HTTP: {} {} from {} without valid credentials answered 401 ({} so far)", method,
                    req.getRequestURI(), req.getRemoteAddr(), unauthorized.total() + 1);
            resp.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
            refuse(resp, 401, "authentication required : (daemon) send the Web Console user's credentials "
                    + "(HTTP Basic) or a bearer token");
            return;
        }
        // "*" keeps the servlets' CORS headers as they are (the C++ daemon's behaviour); otherwise only a trusted
        // page's origin gets them, named, and everybody else none
        String cors = s.origins().anyOrigin() ? GuardedResponse.AS_SET
                : origin != null && s.origins().trusted(origin, own) ? origin : GuardedResponse.NONE;
        GuardedRequest wrappedReq = new GuardedRequest(req, s.maxBody(), user);
        GuardedResponse wrappedResp = new GuardedResponse(resp, method.equals("HEAD"), cors,
                () -> wrappedReq.problem() != null);
        try {
            chain.doFilter(wrappedReq, wrappedResp);
        } catch (IOException | RuntimeException e) {
            GuardedRequest.BodyProblem problem = wrappedReq.problem();
            if (problem == null || !answerBodyProblem(req, resp, problem, s)) {
                throw e;
            }
            return;
        }
        GuardedRequest.BodyProblem problem = wrappedReq.problem();
        if (problem != null) {
            // the servlet or the container caught the failed read (their 500 was held back): the client's fault
            answerBodyProblem(req, resp, problem, s);
        }
    }

    /** Answers 400 or 413 for a body that could not be read; false when the answer has already gone out. */
    private boolean answerBodyProblem(HttpServletRequest req, HttpServletResponse resp, GuardedRequest.BodyProblem p,
            Settings s) throws IOException {
        try {
            resp.reset();
        } catch (IllegalStateException e) {
            // Jetty has taken the failed read over (its bad chunk error) and answers it itself, as a 400
            malformed.warn("HTTP: {} {} from {}: malformed body: {} ({} so far)", req.getMethod(),
                    req.getRequestURI(), req.getRemoteAddr(), p.reason(), malformed.total() + 1);
            return false;
        }
        resp.setHeader("Connection", "close");
        if (p.tooLarge()) {
            tooLarge.warn("HTTP: {} {} from {}: body over http_max_body_bytes {} ({} so far)", req.getMethod(),
                    req.getRequestURI(), req.getRemoteAddr(), s.maxBody(), tooLarge.total() + 1);
            refuse(resp, 413, "request body too large : (daemon) at most " + s.maxBody() + " bytes");
        } else {
            malformed.warn("HTTP: {} {} from {}: malformed body: {} ({} so far)", req.getMethod(),
                    req.getRequestURI(), req.getRemoteAddr(), p.reason(), malformed.total() + 1);
            refuse(resp, 400, "malformed request : (daemon) " + p.reason());
        }
        return true;
    }

    private static boolean isConsole(HttpServletRequest req) {
        String uri = req.getRequestURI();
        return uri != null && (uri.equals(CONSOLE_PATH) || uri.startsWith(CONSOLE_PATH + "/"));
    }

    static void refuse(HttpServletResponse resp, int status, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("text/plain; charset=utf-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
