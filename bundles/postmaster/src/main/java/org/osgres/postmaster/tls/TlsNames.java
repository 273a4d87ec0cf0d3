package org.osgres.postmaster.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

/**
 * How PostgreSQL, through OpenSSL, names what a TLS session negotiated (PostgreSQL:
 * be_tls_get_cipher, be_tls_get_cipher_bits, X509_NAME_to_cstring and
 * be_tls_get_certificate_hash in libpq/be-secure-openssl.c): OpenSSL's cipher names
 * ("ECDHE-RSA-AES256-GCM-SHA384" where the JDK says "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
 * the cipher's secret bits, distinguished names as "/CN=alice/O=Example\, Inc." and the
 * tls-server-end-point channel-binding hash (RFC 5929).
 */
public final class TlsNames {
    /** OpenSSL's short names of the usual name attributes (OBJ_nid2sn). */
    private static final Map<String, String> ATTRIBUTE_NAMES = Map.ofEntries(
            Map.entry("2.5.4.3", "CN"), Map.entry("2.5.4.6", "C"), Map.entry("2.5.4.7", "L"),
            Map.entry("2.5.4.8", "ST"), Map.entry("2.5.4.9", "street"), Map.entry("2.5.4.10", "O"),
            Map.entry("2.5.4.11", "OU"), Map.entry("2.5.4.5", "serialNumber"), Map.entry("2.5.4.4", "SN"),
            Map.entry("2.5.4.42", "GN"), Map.entry("2.5.4.12", "title"), Map.entry("2.5.4.43", "initials"),
            Map.entry("2.5.4.46", "dnQualifier"), Map.entry("2.5.4.65", "pseudonym"),
            Map.entry("2.5.4.17", "postalCode"), Map.entry("1.2.840.113549.1.9.1", "emailAddress"),
            Map.entry("0.9.2342.19200300.100.1.25", "DC"), Map.entry("0.9.2342.19200300.100.1.1", "UID"));

    private TlsNames() {
    }

    /** OpenSSL's name of a cipher suite; TLS 1.3 suites have the same name in both. */
    public static String opensslCipherName(String jdkName) {
        int with = jdkName.indexOf("_WITH_");
        if (!jdkName.startsWith("TLS_") || with < 0) {
            return jdkName;
        }
        String kx = jdkName.substring(4, with);
        String cipher = jdkName.substring(with + 6)
                .replace("AES_128", "AES128").replace("AES_256", "AES256")
                .replace("CAMELLIA_128", "CAMELLIA128").replace("CAMELLIA_256", "CAMELLIA256")
                .replace("ARIA_128", "ARIA128").replace("ARIA_256", "ARIA256")
                .replace("3DES_EDE_CBC", "DES-CBC3")
                .replace("_CBC", "");
        if (cipher.startsWith("CHACHA20_POLY1305")) {
            cipher = "CHACHA20_POLY1305";
        }
        String prefix = kx.equals("RSA") ? "" : kx + "_"; // plain RSA key exchange goes unnamed
        return (prefix + cipher).replace('_', '-');
    }

    /** The number of secret bits of the suite's bulk cipher (SSL_get_cipher_bits). */
    public static int cipherBits(String jdkName) {
        String n = jdkName.toUpperCase(Locale.ROOT);
        if (n.contains("AES_256") || n.contains("CHACHA20") || n.contains("CAMELLIA_256") || n.contains("ARIA_256")) {
            return 256;
        }
        if (n.contains("AES_128") || n.contains("CAMELLIA_128") || n.contains("ARIA_128")) {
            return 128;
        }
        if (n.contains("3DES")) {
            return 112;
        }
        return 0;
    }

    /**
     * A distinguished name as pg_stat_ssl shows it: each attribute in the certificate's order as
     * "/short-name=value", values escaped as RFC 2253 escapes them.
     */
    public static String distinguishedName(X500Principal principal) {
        StringBuilder sb = new StringBuilder();
        try {
            for (Der.Element rdn : Der.parse(principal.getEncoded()).children()) {
                for (Der.Element atv : rdn.children()) {
                    var parts = atv.children();
                    String oid = parts.get(0).oid();
                    sb.append('/').append(ATTRIBUTE_NAMES.getOrDefault(oid, oid)).append('=');
                    escape(sb, stringValue(parts.get(1)));
                }
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return principal.getName(X500Principal.RFC2253);
        }
        return sb.toString();
    }

    private static String stringValue(Der.Element value) {
        byte[] bytes = value.contents();
        return switch (value.tag()) {
            case 0x1e -> new String(bytes, StandardCharsets.UTF_16BE); // BMPString
            case 0x1c -> new String(bytes, java.nio.charset.Charset.forName("UTF-32BE")); // UniversalString
            case 0x14 -> new String(bytes, StandardCharsets.ISO_8859_1); // T61String, as OpenSSL shows it
            default -> new String(bytes, StandardCharsets.UTF_8); // UTF8String, PrintableString, IA5String
        };
    }

    private static void escape(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean special = ",+\"\\<>;".indexOf(c) >= 0
                    || (i == 0 && (c == '#' || c == ' '))
                    || (i == v.length() - 1 && c == ' ');
            if (special) {
                sb.append('\\');
            }
            sb.append(c);
        }
    }

    /**
     * tls-server-end-point data (RFC 5929 section 4.1): the hash of the server certificate's
     * DER, with the hash of its signature algorithm, SHA-256 where that is MD5 or SHA-1; null
     * when the signature algorithm names no single hash (Ed25519, for one).
     */
    public static byte[] serverEndPoint(X509Certificate certificate) {
        String sigAlg = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
        String hash;
        if (sigAlg.startsWith("MD5") || sigAlg.startsWith("SHA1")) {
            hash = "SHA-256";
        } else if (sigAlg.startsWith("SHA224")) {
            hash = "SHA-224";
        } else if (sigAlg.startsWith("SHA256")) {
            hash = "SHA-256";
        } else if (sigAlg.startsWith("SHA384")) {
            hash = "SHA-384";
        } else if (sigAlg.startsWith("SHA512")) {
            hash = "SHA-512";
        } else {
            return null;
        }
        try {
            return MessageDigest.getInstance(hash).digest(certificate.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return null;
        }
    }
}
