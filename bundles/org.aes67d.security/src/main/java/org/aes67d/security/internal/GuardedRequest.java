package org.aes67d.security.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request as servlets see it: {@code HEAD} looks like {@code GET}, and the body stops at the size limit.
 * A read that fails because the client's framing is broken (a bad chunk) or the body is too large is remembered,
 * so the guard can answer 400 or 413 for it instead of the servlet's 500.
 */
final class GuardedRequest extends HttpServletRequestWrapper {
    /** Why the body could not be read. */
    record BodyProblem(boolean tooLarge, String reason) {
    }

    private final long maxBody;
    private final String user;
    private volatile BodyProblem problem;
    private ServletInputStream in;
    private BufferedReader reader;

    GuardedRequest(HttpServletRequest request, long maxBody, String user) {
        super(request);
        this.maxBody = maxBody;
        this.user = user;
    }

    /** Who the request's credentials prove it comes from, or null (the servlets' way to ask). */
    @Override
    public String getRemoteUser() {
        return user;
    }

    @Override
    public String getAuthType() {
        return user == null ? null : Credentials.TOKEN_USER.equals(user) ? "Bearer" : BASIC_AUTH;
    }

    BodyProblem problem() {
        return problem;
    }

    @Override
    public String getMethod() {
        String m = super.getMethod();
        return m.equals("HEAD") ? "GET" : m;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (in == null) {
            in = new Limited(super.getInputStream());
        }
        return in;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (reader == null) {
            String enc = getCharacterEncoding();
            Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
            reader = new BufferedReader(new InputStreamReader(getInputStream(), cs));
        }
        return reader;
    }

    private IOException fail(BodyProblem p) {
        problem = p;
        return new IOException(p.reason());
    }

    /** Counts what is read; converts the container's framing errors into a remembered problem. */
    private final class Limited extends ServletInputStream {
        private final ServletInputStream delegate;
        private long count;

        Limited(ServletInputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (problem != null) {
                throw new IOException(problem.reason());
            }
            int n;
            try {
                n = delegate.read(b, off, len);
            } catch (IOException e) {
                // rethrown as it is: Jetty's own framing errors carry their 400 to its error handling
                problem = new BodyProblem(false, describe(e));
                throw e;
            } catch (RuntimeException e) {
                problem = new BodyProblem(false, describe(e));
                throw new IOException(problem.reason(), e);
            }
            if (n > 0) {
                count += n;
                if (count > maxBody) {
                    throw fail(new BodyProblem(true, "body over " + maxBody + " bytes"));
                }
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }

    /** The container's reason, on one short line (it is sent back as text). */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.replaceAll("[\\r\\n\\t]+", " ").strip();
        return "cannot read the body: " + (m.length() > 120 ? m.substring(0, 120) : m);
    }
}
