package org.aes67d.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aes67d.config.internal.ConfigDocument;
import org.aes67d.launcher.Main.StartupException;

/**
 * HTTPS on {@code https_port} (0 = off): Jetty's TLS connector, TLS 1.2 and 1.3 only, with the user's certificate
 * ({@code https_keystore}: PKCS#12, or PEM with an unencrypted PKCS#8 key and the certificate chain) or, when none is
 * given, a self-signed one generated on first start next to the config file ({@code https.p12}, mode 0600, its
 * password in {@code https.p12.password}, 0600) and reused afterwards. The certificate's SHA-256 fingerprint is
 * printed at every start, so that a client can pin it.
 */
final class HttpsSetup {
    static final String GENERATED = "https.p12";
    /** A PEM pair is turned into this PKCS#12 (0600) at every start, because Jetty reads key stores only. */
    static final String FROM_PEM = "https-from-pem.p12";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private HttpsSetup() {
    }

    /** Framework properties for Felix HTTP's TLS connector; empty when {@code https_port} is 0. */
    static Map<String, String> properties(ConfigDocument doc, Path configDir, String host) throws StartupException {
        int port = doc.getInt("https_port");
        Map<String, String> p = new LinkedHashMap<>();
        if (port == 0) {
            return p;
        }
        String given = doc.getString("https_keystore");
        Path store;
        String password;
        try {
            if (given.isEmpty()) {
                store = configDir.resolve(GENERATED);
                password = generatedStore(store, host);
            } else {
                Path file = configDir.resolve(given);
                if (!Files.isRegularFile(file)) {
                    throw new StartupException("https_keystore: no file " + file);
                }
                if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pem")) {
                    password = randomPassword();
                    store = configDir.resolve(FROM_PEM);
                    writePrivately(store, pkcs12FromPem(Files.readString(file, StandardCharsets.US_ASCII), password));
                } else {
                    store = file;
                    password = doc.getString("https_keystore_password");
                }
            }
            System.out.println("aes67-daemon: HTTPS on " + host + ":" + port + ", certificate SHA-256 "
                    + fingerprint(store, password));
        } catch (IOException | GeneralSecurityException e) {
            throw new StartupException("https_keystore: " + e.getMessage());
        }
        p.put("org.apache.felix.https.enable", "true");
        p.put("org.osgi.service.http.port.secure", Integer.toString(port));
        p.put("org.apache.felix.https.keystore", store.toString());
        p.put("org.apache.felix.https.keystore.type", "PKCS12");
        p.put("org.apache.felix.https.keystore.password", password);
        p.put("org.apache.felix.https.keystore.key.password", password);
        // BCP-003-01: TLS 1.2 required, 1.3 recommended, nothing older
        p.put("org.apache.felix.https.jetty.protocols.included", "TLSv1.3,TLSv1.2");
        p.put("org.apache.felix.https.jetty.protocols.excluded", "SSLv2Hello,SSLv3,TLSv1,TLSv1.1");
        return p;
    }

    /**
     * Names the generated certificate is valid for: localhost, 127.0.0.1, and the bind address, or every IPv4
     * address of the machine when binding all of them. Jetty refuses (400 "Invalid SNI") a request whose Host is
     * not in the certificate, and clients reach a daemon by its address.
     */
    static String subjectAltNames(String host) {
        Set<String> names = new LinkedHashSet<>(List.of("dns:localhost", "ip:127.0.0.1"));
        if (host.matches("[0-9.]+") && !host.equals("0.0.0.0")) {
            names.add("ip:" + host);
        } else {
            try {
                for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                        if (a instanceof Inet4Address) {
                            names.add("ip:" + a.getHostAddress());
                        }
                    }
                }
            } catch (SocketException e) {
                // localhost and 127.0.0.1 still work
            }
        }
        return String.join(",", names);
    }

    /** The password of the generated store, made (with the store) on first start. */
    private static String generatedStore(Path store, String host) throws IOException, StartupException {
        Path passwordFile = store.resolveSibling(GENERATED + ".password");
        if (Files.isRegularFile(store) && Files.isRegularFile(passwordFile)) {
            return Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
        }
        String password = randomPassword();
        String san = subjectAltNames(host);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        // made in a folder only we can enter (createTempDirectory: 0700), so the key is never readable by others
        Path tmpDir = Files.createTempDirectory(store.getParent(), ".https-");
        Path tmp = tmpDir.resolve(GENERATED);
        try {
            ProcessBuilder pb = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "aes67d", "-keyalg",
                    "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "3650", "-dname",
                    "CN=aes67d", "-ext", "SAN=" + san, "-storetype", "PKCS12", "-keystore", tmp.toString(),
                    "-storepass:env", "AES67D_STOREPASS");
            // the password goes through the environment, never a command line other users can read
            pb.environment().put("AES67D_STOREPASS", password);
            Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new StartupException("https: " + keytool + " could not make a self-signed certificate");
            }
            restrict(tmp);
            Files.move(tmp, store, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("https: interrupted while making a certificate");
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(tmpDir);
        }
        writePrivately(passwordFile, (password + "\n").getBytes(StandardCharsets.UTF_8));
        return password;
    }

    /** PKCS#12 bytes holding the PEM text's private key (PKCS#8, RSA or EC) and its certificate chain. */
    static byte[] pkcs12FromPem(String pem, String password) throws GeneralSecurityException, IOException {
        PrivateKey key = null;
        List<Certificate> chain = new ArrayList<>();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "CERTIFICATE" -> chain.add(cf.generateCertificate(new ByteArrayInputStream(der)));
                case "PRIVATE KEY" -> key = privateKey(der);
                default -> throw new GeneralSecurityException("PEM block " + m.group(1)
                        + " is not supported: give an unencrypted PKCS#8 \"PRIVATE KEY\" (openssl pkcs8 -topk8 -nocrypt)");
            }
        }
        if (key == null || chain.isEmpty()) {
            throw new GeneralSecurityException("a PEM file needs a PRIVATE KEY and at least one CERTIFICATE");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("aes67d", key, password.toCharArray(), chain.toArray(new Certificate[0]));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ks.store(out, password.toCharArray());
        return out.toByteArray();
    }

    private static PrivateKey privateKey(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("cannot read the private key: " + last.getMessage());
    }

    /** SHA-256 of the store's first certificate, as AB:CD:... (what openssl x509 -fingerprint -sha256 prints). */
    static String fingerprint(Path store, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password.toCharArray());
        }
        for (var aliases = ks.aliases(); aliases.hasMoreElements();) {
            Certificate c = ks.getCertificate(aliases.nextElement());
            if (c != null) {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
                return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
            }
        }
        throw new GeneralSecurityException("no certificate in " + store);
    }

    private static String randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void writePrivately(Path file, byte[] bytes) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        restrict(file);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing more we can do
        }
    }
}
