package org.osgres.api.session;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS parameters of an encrypted connection (pg_stat_ssl, the cert auth method and SCRAM
 * channel binding use them).
 *
 * @param protocol          "TLSv1.3", ...
 * @param cipher            the cipher suite's name
 * @param bits              the cipher's key length in bits
 * @param peerCertificates  the client's certificate chain, client first; empty when it sent none
 * @param serverEndPoint    tls-server-end-point channel binding data (RFC 5929): the hash of the
 *                          server's certificate, or null when the certificate's signature
 *                          algorithm gives none
 */
public record TlsInfo(String protocol, String cipher, int bits, List<X509Certificate> peerCertificates,
        byte[] serverEndPoint) {

    public TlsInfo {
        peerCertificates = List.copyOf(peerCertificates);
    }
}
