package org.aes67d.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.aes67d.api.limits.Refusals;
import org.aes67d.api.security.RequestDecision;
import org.aes67d.api.security.RequestPolicy;
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
 * Steps 3 and 4 and the CORS origin are the {@link Policy}, also published as the {@link RequestPolicy} service
 * for the servers outside the whiteboard (the NMOS port).
 */
@Component(service = {Preprocessor.class, Refusals.class, RequestPolicy.class}, configurationPid = HttpGuard.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SecurityConfig.class)
public final class HttpGuard implements Preprocessor, Refusals, RequestPolicy {
    static final String PID = "org.aes67d.security";
    /**
     * Present only once Configuration Admin has handed us our record: the component's own properties already hold
     * every key of SecurityConfig with its default (bnd writes them into the component description), so a key
     * of ours cannot tell "configured" from "started before the config bridge".
     */
    static final String CONFIGURED_PROPERTY = org.osgi.framework.Constants.SERVICE_PID;
    private static final String CONSOLE_PATH = "/system/console";
    private static final String STARTING = "starting : (daemon) the HTTP security settings are not loaded yet";
    private static final Logger LOG = LoggerFactory.getLogger(HttpGuard.class);
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    /** One configuration's settings, swapped as a whole so a request sees one consistent set. */
    private record Settings(Policy policy, long maxBody, int maxRequests) {
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
        Policy policy = Policy.of(c, LOG);
        int maxRequests = Math.max(1, c.http_max_requests());
        settings = new Settings(policy, Math.max(0, c.http_max_body_bytes()), maxRequests);
        LOG.info("HTTP: {}, authentication {}, bodies up to {} bytes, {} requests at once",
                policy.anyOrigin() ? "every origin trusted (http_allowed_origins *)"
                        : "cross-site changes refused", c.http_auth() ? "required" : "off (http_auth false)",
                c.http_max_body_bytes(), c.http_max_requests());
    }

    /** The current configuration's {@link Policy}; 503 for everything until the record is loaded. */
    @Override
    public RequestDecision decide(String method, String scheme, UnaryOperator<String> header) {
        Settings s = settings;
        return s == null ? RequestDecision.refuse(503, STARTING, null, null)
                : s.policy().decide(method, scheme, header);
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
            refuse(resp, 503, STARTING);
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
        RequestDecision d = s.policy().decide(method, req.getScheme(), req::getHeader);
        if (d.status() == 403) {
            String why = d.reason().startsWith(Policy.CROSS_SITE) ? d.reason().substring(Policy.CROSS_SITE.length())
                    : d.reason();
            crossSite.warn("HTTP: refused {} {} from {}: {} ({} so far)", method, req.getRequestURI(),
                    req.getRemoteAddr(), why, crossSite.total() + 1);
            refuse(resp, 403, d.reason());
            return;
        }
        // the console's own pages are left to the console, which asks for the same user
        if (d.status() == 401 && !isConsole(req)) {
            unauthorized.warn("HTTP: {} {} from {} without valid credentials answered 401 ({} so far)", method,
                    req.getRequestURI(), req.getRemoteAddr(), unauthorized.total() + 1);
            resp.setHeader("WWW-Authenticate", d.challenge());
            refuse(resp, 401, d.reason());
            return;
        }
        // "*" keeps the servlets' CORS headers as they are (the C++ daemon's behaviour); otherwise only a trusted
        // page's origin gets them, named, and everybody else none
        String cors = RequestDecision.ANY_ORIGIN.equals(d.corsOrigin()) ? GuardedResponse.AS_SET
                : d.corsOrigin() != null ? d.corsOrigin() : GuardedResponse.NONE;
        String user = d.user();
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
