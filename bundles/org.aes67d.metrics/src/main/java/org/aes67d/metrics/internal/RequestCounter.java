package org.aes67d.metrics.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Counts REST requests by method and status code, as a whiteboard filter in front of {@code /api}: no servlet
 * knows about it. The label set is bounded (known methods, else "other"; the status code), so a client sending
 * made-up methods cannot grow it.
 */
@Component(service = { Filter.class, RequestCounter.class })
@HttpWhiteboardFilterPattern("/api/*")
public final class RequestCounter implements Filter {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");

    /** A method and a status code. */
    record Key(String method, int status) {
    }

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } finally {
            if (request instanceof HttpServletRequest req && response instanceof HttpServletResponse resp) {
                String method = METHODS.contains(req.getMethod()) ? req.getMethod() : "other";
                counts.computeIfAbsent(new Key(method, resp.getStatus()), k -> new LongAdder()).increment();
            }
        }
    }

    /** The counts so far (a live view; values only grow). */
    Map<Key, LongAdder> counts() {
        return counts;
    }
}
