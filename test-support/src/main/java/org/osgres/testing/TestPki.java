package org.osgres.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test certificate authority made with the openssl command-line tool: a CA, a server
 * certificate for localhost and 127.0.0.1, and a client certificate, each with its key, in a
 * directory of the test's own.
 */
public final class TestPki {
    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** CA "osgres test CA", server.crt/server.key (CN=localhost), client.crt/client.key (CN=alice). */
    public static TestPki create(Path dir) throws Exception {
        TestPki pki = new TestPki(dir);
        pki.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "30", "-subj", "/CN=osgres test CA");
        pki.issue("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        pki.issue("client", "/CN=alice/O=Osgres Test, Inc./C=DE", null);
        return pki;
    }

    /** A key and a certificate signed by the CA: NAME.key (PKCS#8) and NAME.crt. */
    public void issue(String name, String subject, String extension) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
        List<String> args = new ArrayList<>(List.of("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey",
                "ca.key", "-CAcreateserial", "-out", name + ".crt", "-days", "30"));
        if (extension != null) {
            Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
            args.addAll(List.of("-extfile", name + ".ext"));
        }
        openssl(args.toArray(new String[0]));
        Files.setPosixFilePermissions(dir.resolve(name + ".key"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Runs openssl in the directory; fails the test when it fails. */
    public String openssl(String... args) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add("openssl");
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
