package org.aes67d.config.internal;

import org.aes67d.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** The Web Console password: configured, or generated once into a file only its owner can read. */
final class ConsolePassword {
    static final String FILE_NAME = "webconsole.password";

    private ConsolePassword() {
    }

    /** The configured password, else the one in {@code file}, created with a random password if missing. */
    static String resolve(String configured, Path file) throws IOException {
        if (!configured.isEmpty()) {
            return configured;
        }
        if (Files.isRegularFile(file)) {
            String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!stored.isEmpty()) {
                return stored;
            }
        }
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        AtomicFiles.write(file, (password + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing more we can do
        }
        return password;
    }

    /** The form the Felix Web Console stores: {sha-256} + base64 of the hash; already hashed values pass through. */
    static String hashed(String password) {
        if (password.startsWith("{")) {
            return password;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return "{sha-256}" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
