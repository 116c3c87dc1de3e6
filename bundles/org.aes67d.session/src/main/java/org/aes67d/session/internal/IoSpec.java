package org.aes67d.session.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aes67d.api.session.SessionException;

/**
 * Where a stream's audio comes from or goes to ({@code io}). {@code file:} and {@code pipe:} paths are confined to
 * {@code media_dir}: the REST API must never let a caller read or overwrite any other file.
 */
final class IoSpec {
    static final String DEVICE = "Audio Device";
    private static final Pattern TONE = Pattern.compile("tone:(\\d{1,6}(?:\\.\\d{1,3})?)(?:@(-?\\d{1,3}(?:\\.\\d{1,2})?))?");
    private static final Pattern OTHER_SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*:.*");

    private IoSpec() {
    }

    /**
     * Checks {@code io} and returns it as the driver gets it: file and pipe paths made absolute. Other schemes
     * ({@code jack:}, ...) pass unchanged; the driver rejects those it has no backend for.
     */
    static String resolve(String io, Path mediaDir, boolean source, int sampleRate) throws SessionException {
        if (io.equals(DEVICE)) {
            return io;
        }
        if (io.startsWith("file:") || io.startsWith("pipe:")) {
            String scheme = io.substring(0, 5);
            Path path = confine(io.substring(5), mediaDir);
            if (source && scheme.equals("file:") && !Files.isRegularFile(path)) {
                throw Validation.invalid("invalid io: no file " + io.substring(5) + " in media_dir");
            }
            return scheme + path;
        }
        if (io.startsWith("tone:")) {
            if (!source) {
                throw Validation.invalid("invalid io: tone: is for sources only");
            }
            Matcher m = TONE.matcher(io);
            if (!m.matches()) {
                throw Validation.invalid("invalid io: expected tone:<hz>[@<dBFS>], e.g. tone:1000@-18");
            }
            double hz = Double.parseDouble(m.group(1));
            if (hz <= 0 || hz >= sampleRate / 2.0) {
                throw Validation.invalid("invalid io: tone frequency must be above 0 and below " + sampleRate / 2 + " Hz");
            }
            if (m.group(2) != null && Double.parseDouble(m.group(2)) > 0) {
                throw Validation.invalid("invalid io: tone level must be at most 0 dBFS");
            }
            return io;
        }
        if (OTHER_SCHEME.matcher(io).matches()) {
            return io;
        }
        throw Validation.invalid("invalid io \"" + io + "\" (Audio Device, file:<path>, pipe:<path>, tone:<hz>[@<dBFS>])");
    }

    /** The path inside media_dir, after resolving links of every existing part of it; anything else is a 400. */
    static Path confine(String text, Path mediaDir) throws SessionException {
        if (text.isEmpty()) {
            throw Validation.invalid("invalid io: empty path");
        }
        Path root;
        try {
            root = mediaDir.toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            throw Validation.invalid("invalid io: media_dir " + mediaDir + " does not exist");
        }
        Path candidate;
        try {
            Path p = Path.of(text);
            candidate = (p.isAbsolute() ? p : root.resolve(p)).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw Validation.invalid("invalid io: bad path");
        }
        // Resolve links in the longest existing prefix; what does not exist yet (a file a sink will record)
        // cannot be a link.
        Path existing = candidate;
        Path rest = existing.getFileSystem().getPath("");
        while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        Path real;
        try {
            real = existing == null ? candidate : existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            throw Validation.invalid("invalid io: cannot resolve path");
        }
        if (!real.startsWith(root) || real.equals(root)) {
            throw Validation.invalid("invalid io: path outside media_dir");
        }
        return real;
    }
}
