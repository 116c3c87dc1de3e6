package org.aes67d.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What {@code http_auth} accepts: HTTP Basic with the Web Console's user and password (its record holds the
 * password as {@code {sha-256}<base64>} or in plain), or {@code Authorization: Bearer <token>} whose SHA-256 is one
 * of {@code http_tokens}. Only hashes are kept; comparisons take the same time whatever matches.
 */
final class Credentials {
    static final String SHA256_PREFIX = "{sha-256}";
    /** The remote user of a request that proved itself with a bearer token. */
    static final String TOKEN_USER = "token";

    private final String user;
    private final byte[] passwordHash;
    private final List<byte[]> tokenHashes;

    private Credentials(String user, byte[] passwordHash, List<byte[]> tokenHashes) {
        this.user = user;
        this.passwordHash = passwordHash;
        this.tokenHashes = tokenHashes;
    }

    /**
     * @param consolePassword the console record's password, hashed or plain; empty = Basic never succeeds
     * @param tokens {@code http_tokens}
     * @throws IllegalArgumentException for a token entry that is not {@code {sha-256}<base64 of 32 bytes>}
     */
    static Credentials of(String consoleUser, String consolePassword, String tokens) {
        List<byte[]> hashes = new ArrayList<>();
        String[] entries = tokens.trim().split("[,\\s]+");
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].isEmpty()) {
                continue;
            }
            byte[] h = storedHash(entries[i]);
            if (h == null) {
                // the entry itself is not repeated: it may be a token pasted in by mistake
                throw new IllegalArgumentException("entry " + (i + 1)
                        + " is not {sha-256}<base64 of the token's SHA-256>");
            }
            hashes.add(h);
        }
        byte[] pw = consolePassword.isEmpty() ? null
                : consolePassword.startsWith(SHA256_PREFIX) ? storedHash(consolePassword) : sha256(consolePassword);
        return new Credentials(consoleUser, pw, List.copyOf(hashes));
    }

    /**
     * Whom the {@code Authorization} header proves: the console user (HTTP Basic), {@link #TOKEN_USER} for a known
     * bearer token, or null.
     */
    String userOf(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        int space = a.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String scheme = a.substring(0, space);
        String value = a.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            byte[] h = sha256(value);
            boolean found = false;
            for (byte[] t : tokenHashes) {
                found |= MessageDigest.isEqual(h, t);
            }
            return found ? TOKEN_USER : null;
        }
        if (scheme.equalsIgnoreCase("Basic") && passwordHash != null) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            boolean userOk = MessageDigest.isEqual(sha256(decoded.substring(0, colon)), sha256(user));
            boolean passwordOk = MessageDigest.isEqual(sha256(decoded.substring(colon + 1)), passwordHash);
            return userOk & passwordOk ? user : null;
        }
        return null;
    }

    /** The bytes of {@code {sha-256}<base64>}, or null when the text is not that. */
    static byte[] storedHash(String text) {
        if (!text.startsWith(SHA256_PREFIX)) {
            return null;
        }
        try {
            byte[] h = Base64.getDecoder().decode(text.substring(SHA256_PREFIX.length()));
            return h.length == 32 ? h : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code {sha-256}<base64>} of a token, the form {@code http_tokens} keeps. */
    static String hashed(String token) {
        return SHA256_PREFIX + Base64.getEncoder().encodeToString(sha256(token));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
