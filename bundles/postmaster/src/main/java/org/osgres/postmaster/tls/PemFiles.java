package org.osgres.postmaster.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM files as PostgreSQL's server reads them through OpenSSL (PostgreSQL: the
 * SSL_CTX_use_certificate_chain_file, SSL_CTX_use_PrivateKey_file, SSL_CTX_load_verify_locations
 * calls in libpq/be-secure-openssl.c): certificate chains, CRLs and private keys in PKCS#8
 * ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") and SEC1 ("EC PRIVATE KEY") form. PKCS#1 and SEC1
 * keys are rewrapped as PKCS#8 so that the JDK's KeyFactory reads them.
 *
 * <p>Failures are {@link PemException}s whose message is OpenSSL's reason text where PostgreSQL
 * would print one ("no start line", "no certificate or crl found", "unsupported").
 *
 * Entry points: certificates(), crls(), privateKey().
 */
public final class PemFiles {
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";

    /** A PEM file that does not hold what was asked for; the message is OpenSSL's reason. */
    public static final class PemException extends Exception {
        private static final long serialVersionUID = 1L;

        PemException(String reason) {
            super(reason);
        }

        PemException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** One "-----BEGIN label-----" block, decoded. */
    record Block(String label, byte[] der, boolean encrypted) {
    }

    private PemFiles() {
    }

    /** Every PEM block in the text, in order. */
    static List<Block> blocks(String text) throws PemException {
        List<Block> out = new ArrayList<>();
        int pos = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", pos);
            if (begin < 0) {
                return out;
            }
            int labelEnd = text.indexOf("-----", begin + 11);
            if (labelEnd < 0) {
                throw new PemException("bad end line");
            }
            String label = text.substring(begin + 11, labelEnd);
            String endLine = "-----END " + label + "-----";
            int end = text.indexOf(endLine, labelEnd);
            if (end < 0) {
                throw new PemException("bad end line");
            }
            String body = text.substring(labelEnd + 5, end);
            boolean encrypted = body.contains("Proc-Type:") && body.contains("ENCRYPTED");
            StringBuilder base64 = new StringBuilder();
            for (String line : body.split("\r?\n")) {
                if (!line.contains(":")) {
                    base64.append(line.strip());
                }
            }
            try {
                out.add(new Block(label, Base64.getDecoder().decode(base64.toString()), encrypted));
            } catch (IllegalArgumentException e) {
                throw new PemException("bad base64 decode", e);
            }
            pos = end + endLine.length();
        }
    }

    /** The certificates of a chain file, the server's own first (ssl_cert_file). */
    public static List<X509Certificate> certificates(byte[] file) throws PemException {
        List<X509Certificate> out = new ArrayList<>();
        for (Block b : blocks(new String(file, StandardCharsets.ISO_8859_1))) {
            if (b.label().equals("CERTIFICATE") || b.label().equals("TRUSTED CERTIFICATE")
                    || b.label().equals("X509 CERTIFICATE")) {
                out.add(certificate(b.der()));
            }
        }
        if (out.isEmpty()) {
            throw new PemException("no start line");
        }
        return out;
    }

    /**
     * The certificates and CRLs of a CA or CRL file (ssl_ca_file, ssl_crl_file), which OpenSSL
     * reads alike: either kind may stand in either file.
     */
    public static List<Object> certificatesAndCrls(byte[] file) throws PemException {
        List<Object> out = new ArrayList<>();
        for (Block b : blocks(new String(file, StandardCharsets.ISO_8859_1))) {
            switch (b.label()) {
                case "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE" -> out.add(certificate(b.der()));
                case "X509 CRL" -> out.add(crl(b.der()));
                default -> { }
            }
        }
        if (out.isEmpty()) {
            throw new PemException("no certificate or crl found");
        }
        return out;
    }

    private static X509Certificate certificate(byte[] der) throws PemException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new PemException("ASN1 lib", e);
        }
    }

    private static X509CRL crl(byte[] der) throws PemException {
        try {
            CRL crl = CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
            return (X509CRL) crl;
        } catch (GeneralSecurityException e) {
            throw new PemException("ASN1 lib", e);
        }
    }

    /** The private key of a key file (ssl_key_file): the first key block in it. */
    public static PrivateKey privateKey(byte[] file) throws PemException {
        for (Block b : blocks(new String(file, StandardCharsets.ISO_8859_1))) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(b.der());
                }
                case "RSA PRIVATE KEY" -> {
                    checkNotEncrypted(b);
                    return pkcs8(pkcs1ToPkcs8(b.der()));
                }
                case "EC PRIVATE KEY" -> {
                    checkNotEncrypted(b);
                    return pkcs8(sec1ToPkcs8(b.der()));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new PemException("bad decrypt");
                default -> { }
            }
        }
        throw new PemException("unsupported");
    }

    private static void checkNotEncrypted(Block b) throws PemException {
        if (b.encrypted()) {
            throw new PemException("bad decrypt"); // no ssl_passphrase_command in osgres
        }
    }

    /** A PKCS#8 PrivateKeyInfo: the algorithm named inside it decides the key's type. */
    static PrivateKey pkcs8(byte[] der) throws PemException {
        String algorithm;
        try {
            List<Der.Element> info = Der.parse(der).children();
            String oid = info.get(1).children().get(0).oid();
            algorithm = switch (oid) {
                case RSA_ENCRYPTION -> "RSA";
                case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
                case EC_PUBLIC_KEY -> "EC";
                case "1.3.101.112" -> "Ed25519";
                case "1.3.101.113" -> "Ed448";
                default -> throw new PemException("unsupported");
            };
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new PemException("unsupported", e);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new PemException("unsupported", e);
        }
    }

    /** PKCS#1 RSAPrivateKey to PKCS#8: { version 0, { rsaEncryption, NULL }, OCTET STRING key }. */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) throws PemException {
        try {
            Der.parse(pkcs1).expect(Der.SEQUENCE);
        } catch (IllegalArgumentException e) {
            throw new PemException("unsupported", e);
        }
        return Der.encode(Der.SEQUENCE,
                Der.encode(Der.INTEGER, new byte[] {0}),
                Der.encode(Der.SEQUENCE, Der.oid(RSA_ENCRYPTION), Der.encode(Der.NULL)),
                Der.encode(Der.OCTET_STRING, pkcs1));
    }

    /**
     * SEC1 ECPrivateKey ({ version 1, OCTET STRING key, [0] curve OID, [1] public key }) to PKCS#8:
     * the curve moves into the AlgorithmIdentifier, the rest stays as it is.
     */
    static byte[] sec1ToPkcs8(byte[] sec1) throws PemException {
        byte[] curve = null;
        try {
            Der.Element key = Der.parse(sec1);
            key.expect(Der.SEQUENCE);
            for (Der.Element e : key.children()) {
                if (e.tag() == Der.CONTEXT_0) {
                    Der.Element oid = e.children().get(0);
                    oid.expect(Der.OID);
                    curve = Der.encode(Der.OID, oid.contents());
                }
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new PemException("unsupported", e);
        }
        if (curve == null) {
            throw new PemException("unsupported"); // explicit curve parameters are not supported
        }
        return Der.encode(Der.SEQUENCE,
                Der.encode(Der.INTEGER, new byte[] {0}),
                Der.encode(Der.SEQUENCE, Der.oid(EC_PUBLIC_KEY), curve),
                Der.encode(Der.OCTET_STRING, sec1));
    }
}
