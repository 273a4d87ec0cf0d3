/*
 * SslServerContext: the server's TLS configuration, loaded from the ssl_* settings (PostgreSQL:
 * be_tls_init in libpq/be-secure-openssl.c).
 *
 * load() reads ssl_cert_file (the chain, the server's certificate first), ssl_key_file (PKCS#8,
 * PKCS#1 or SEC1 PEM, checked for its permissions as PostgreSQL checks them, and against the
 * certificate), ssl_ca_file (when set, a client certificate is requested, not required, and
 * verified against it), ssl_crl_file and ssl_crl_dir, ssl_min_protocol_version,
 * ssl_max_protocol_version, ssl_ciphers and ssl_prefer_server_ciphers. Relative file names are
 * resolved against the data directory, as PostgreSQL resolves them from its working directory.
 * A bad file is a PgException with PostgreSQL's message: FATAL at server start, LOG on reload.
 *
 * Not mapped (ignored): ssl_ecdh_curve, ssl_dh_params_file, ssl_passphrase_command (an encrypted
 * key cannot be loaded), and OpenSSL cipher-string keywords in ssl_ciphers (HIGH, MEDIUM, !aNULL,
 * ...): only explicit OpenSSL cipher names restrict the TLS 1.2 suites; TLS 1.3 suites, which
 * ssl_ciphers does not govern in PostgreSQL either, stay the JDK's.
 *
 * Entry points: load(), newEngine(), serverEndPoint().
 * See also: PemFiles -- PEM parsing; TlsTransport -- one connection's SSLEngine;
 * ServerTls -- the context in force, reloaded on SIGHUP.
 */
package org.osgres.postmaster.tls;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;

public final class SslServerContext {
    /** PostgreSQL's protocol version labels, oldest first, as the JDK names them too. */
    private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final char[] NO_PASSWORD = new char[0];
    /** OpenSSL cipher-string words that select groups of ciphers; osgres leaves those to the JDK. */
    private static final Set<String> CIPHER_KEYWORDS = Set.of("ALL", "DEFAULT", "HIGH", "MEDIUM", "LOW",
            "COMPLEMENTOFALL", "COMPLEMENTOFDEFAULT", "aNULL", "eNULL", "NULL", "kRSA", "aRSA", "RSA", "kECDHE",
            "ECDHE", "EECDH", "kEECDH", "aECDSA", "ECDSA", "kDHE", "DHE", "EDH", "kEDH", "AES", "AES128", "AES256",
            "AESGCM", "CHACHA20", "CAMELLIA", "ARIA", "SEED", "IDEA", "3DES", "DES", "RC4", "MD5", "SHA", "SHA1",
            "SHA256", "SHA384", "PSK", "SRP", "TLSv1.2", "TLSv1", "SSLv3", "SUITEB128", "SUITEB192", "aPSK");

    private final SSLContext context;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final boolean requestClientCertificate;
    private final boolean preferServerCiphers;
    private final byte[] serverEndPoint;

    private SslServerContext(SSLContext context, String[] protocols, String[] cipherSuites,
            boolean requestClientCertificate, boolean preferServerCiphers, byte[] serverEndPoint) {
        this.context = context;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.requestClientCertificate = requestClientCertificate;
        this.preferServerCiphers = preferServerCiphers;
        this.serverEndPoint = serverEndPoint;
    }

    /**
     * Builds the context from the settings.
     *
     * @param serverStart true at server start (errors are FATAL), false on reload (LOG)
     * @throws PgException with PostgreSQL's message when a file or setting is bad
     */
    public static SslServerContext load(Settings settings, boolean serverStart) {
        Severity severity = serverStart ? Severity.FATAL : Severity.LOG;
        Path dataDir = settings.dataDirectory();
        String certName = settings.get("ssl_cert_file");
        String keyName = settings.get("ssl_key_file");

        List<X509Certificate> chain;
        try {
            chain = PemFiles.certificates(readFile(dataDir, certName));
        } catch (IOException | PemFiles.PemException e) {
            throw error(severity, "could not load server certificate file \"%s\": %s", certName, reason(e));
        }
        checkKeyFilePermissions(dataDir, keyName, severity);
        PrivateKey key;
        try {
            key = PemFiles.privateKey(readFile(dataDir, keyName));
        } catch (IOException | PemFiles.PemException e) {
            throw error(severity, "could not load private key file \"%s\": %s", keyName, reason(e));
        }
        if (!keyMatches(key, chain.get(0))) {
            throw error(severity, "could not load private key file \"%s\": %s", keyName, "key values mismatch");
        }

        String[] protocols = protocolRange(settings, severity);
        boolean preferServerCiphers = settings.getBool("ssl_prefer_server_ciphers");

        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, NO_PASSWORD);
            TrustManager[] trust = trustManagers(settings, dataDir, severity);
            ctx.init(kmf.getKeyManagers(), trust, new SecureRandom());
            String[] suites = cipherSuites(ctx, settings.get("ssl_ciphers"), severity);
            return new SslServerContext(ctx, protocols, suites, trust != null, preferServerCiphers,
                    TlsNames.serverEndPoint(chain.get(0)));
        } catch (GeneralSecurityException | IOException e) {
            throw error(severity, "could not create SSL context: %s", e.getMessage());
        }
    }

    /** A server-side engine for one connection. */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(protocols);
        if (cipherSuites != null) {
            p.setCipherSuites(cipherSuites);
        }
        p.setUseCipherSuitesOrder(preferServerCiphers);
        if (requestClientCertificate) {
            p.setWantClientAuth(true);
        }
        engine.setSSLParameters(p);
        return engine;
    }

    /** tls-server-end-point channel-binding data of the server's certificate, or null. */
    public byte[] serverEndPoint() {
        return serverEndPoint == null ? null : serverEndPoint.clone();
    }

    static byte[] readFile(Path dataDir, String name) throws IOException {
        return Files.readAllBytes(dataDir.resolve(name));
    }

    /** OpenSSL's or the C library's reason text for a failure, as PostgreSQL prints it. */
    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof IOException && e.getMessage() != null && e.getMessage().contains("Is a directory")) {
            return "Is a directory";
        }
        return e.getMessage();
    }

    private static PgException error(Severity severity, String format, Object... args) {
        return new PgException(SqlState.CONFIG_FILE_ERROR, String.format(format, args)).withSeverity(severity);
    }

    /** PostgreSQL: check_ssl_key_file_permissions in libpq/be-secure-common.c. */
    private static void checkKeyFilePermissions(Path dataDir, String keyName, Severity severity) {
        Path file = dataDir.resolve(keyName);
        int ownerUid;
        int ourUid;
        Set<PosixFilePermission> perms;
        try {
            if (!Files.isRegularFile(file) && Files.exists(file)) {
                throw error(severity, "private key file \"%s\" is not a regular file", keyName);
            }
            ownerUid = (Integer) Files.getAttribute(file, "unix:uid");
            ourUid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
            perms = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            throw error(severity, "could not access private key file \"%s\": %s", keyName, "No such file or directory");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return; // no POSIX attributes here: nothing PostgreSQL could check either
        }
        if (ownerUid != ourUid && ownerUid != 0) {
            throw error(severity, "private key file \"%s\" must be owned by the database user or root", keyName);
        }
        boolean groupOrWorld = ownerUid == ourUid
                ? perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))
                : perms.stream().anyMatch(p -> p == PosixFilePermission.GROUP_WRITE
                        || p == PosixFilePermission.GROUP_EXECUTE || p.name().startsWith("OTHERS"));
        if (groupOrWorld) {
            throw error(severity, "private key file \"%s\" has group or world access", keyName)
                    .withDetail("File must have permissions u=rw (0600) or less if owned by the database user, "
                            + "or permissions u=rw,g=r (0640) or less if owned by root.");
        }
    }

    /** Whether the key is the private half of the certificate's public key (SSL_CTX_check_private_key). */
    static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            case "RSASSA-PSS" -> null;
            default -> null;
        };
        if (algorithm == null) {
            return true; // nothing to test with; the handshake will tell
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String[] protocolRange(Settings settings, Severity severity) {
        int min = protocolIndex(settings.get("ssl_min_protocol_version"), 0);
        int max = protocolIndex(settings.get("ssl_max_protocol_version"), PROTOCOLS.size() - 1);
        if (min > max) {
            throw error(severity, "could not set SSL protocol version range")
                    .withDetail("\"ssl_min_protocol_version\" cannot be higher than \"ssl_max_protocol_version\"");
        }
        return PROTOCOLS.subList(min, max + 1).toArray(new String[0]);
    }

    private static int protocolIndex(String value, int whenEmpty) {
        if (value == null || value.isEmpty()) {
            return whenEmpty;
        }
        for (int i = 0; i < PROTOCOLS.size(); i++) {
            if (PROTOCOLS.get(i).equalsIgnoreCase(value)) {
                return i;
            }
        }
        return whenEmpty;
    }

    /**
     * The TLS 1.2 suites named in ssl_ciphers, plus every TLS 1.3 suite; null (the JDK's
     * defaults) when the list selects by keyword only.
     */
    static String[] cipherSuites(SSLContext ctx, String sslCiphers, Severity severity) {
        String[] supported = ctx.getSupportedSSLParameters().getCipherSuites();
        String[] defaults = ctx.getDefaultSSLParameters().getCipherSuites();
        Set<String> named = new LinkedHashSet<>();
        boolean keyword = false;
        for (String item : sslCiphers.split("[:, ]+")) {
            if (item.isEmpty() || item.startsWith("!") || item.startsWith("-") || item.startsWith("@")) {
                continue;
            }
            String word = item.startsWith("+") ? item.substring(1) : item;
            boolean matched = false;
            for (String suite : supported) {
                if (TlsNames.opensslCipherName(suite).equals(word) || suite.equals(word)) {
                    named.add(suite);
                    matched = true;
                }
            }
            if (!matched && (CIPHER_KEYWORDS.contains(word) || word.contains("+"))) {
                keyword = !item.startsWith("+") || keyword;
                matched = true;
            }
        }
        if (named.isEmpty() && !keyword) {
            throw error(severity, "could not set the cipher list (no valid ciphers available)");
        }
        if (keyword || named.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>(named);
        for (String suite : defaults) {
            if (!suite.contains("_WITH_") && !out.contains(suite) && suite.startsWith("TLS_")
                    && !suite.equals("TLS_EMPTY_RENEGOTIATION_INFO_SCSV")) {
                out.add(suite); // TLS 1.3 suites
            }
        }
        return out.toArray(new String[0]);
    }

    /** Trust managers for client certificates, or null when ssl_ca_file is empty. */
    private static TrustManager[] trustManagers(Settings settings, Path dataDir, Severity severity)
            throws GeneralSecurityException, IOException {
        String caName = settings.get("ssl_ca_file");
        if (caName == null || caName.isEmpty()) {
            return null;
        }
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        List<X509CRL> crls = new ArrayList<>();
        try {
            int n = 0;
            for (Object o : PemFiles.certificatesAndCrls(readFile(dataDir, caName))) {
                if (o instanceof X509Certificate c) {
                    roots.setCertificateEntry("ca" + n++, c);
                } else {
                    crls.add((X509CRL) o);
                }
            }
        } catch (IOException | PemFiles.PemException e) {
            throw error(severity, "could not load root certificate file \"%s\": %s", caName, reason(e));
        }
        String crlName = settings.get("ssl_crl_file");
        if (crlName != null && !crlName.isEmpty()) {
            try {
                addCrls(crls, PemFiles.certificatesAndCrls(readFile(dataDir, crlName)));
            } catch (IOException | PemFiles.PemException e) {
                throw error(severity, "could not load SSL certificate revocation list file \"%s\": %s", crlName, reason(e));
            }
        }
        String crlDir = settings.get("ssl_crl_dir");
        if (crlDir != null && !crlDir.isEmpty()) {
            try (var files = Files.list(dataDir.resolve(crlDir))) {
                for (Path f : files.sorted().toList()) {
                    try {
                        addCrls(crls, PemFiles.certificatesAndCrls(Files.readAllBytes(f)));
                    } catch (PemFiles.PemException e) {
                        // OpenSSL's hashed-directory lookup skips files that are not CRLs
                    }
                }
            } catch (IOException e) {
                throw error(severity, "could not load SSL certificate revocation list directory \"%s\": %s", crlDir,
                        reason(e));
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        if (crls.isEmpty()) {
            tmf.init(roots);
        } else {
            PKIXBuilderParameters params = new PKIXBuilderParameters(roots, new X509CertSelector());
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            PKIXRevocationChecker checker = (PKIXRevocationChecker) CertPathValidator.getInstance("PKIX").getRevocationChecker();
            checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
            params.addCertPathChecker(checker);
            params.setRevocationEnabled(true);
            tmf.init(new CertPathTrustManagerParameters(params));
        }
        return tmf.getTrustManagers();
    }

    private static void addCrls(List<X509CRL> crls, List<Object> items) {
        for (Object o : items) {
            if (o instanceof X509CRL crl) {
                crls.add(crl);
            }
        }
    }

    @Override
    public String toString() {
        return "SslServerContext" + List.of(protocols).toString().toLowerCase(Locale.ROOT);
    }
}
