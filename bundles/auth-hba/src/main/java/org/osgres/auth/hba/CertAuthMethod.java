package org.osgres.auth.hba;

import java.security.cert.X509Certificate;
import java.util.Map;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.AuthMethod;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.session.TlsInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cert method: the client certificate's CN (or its DN with clientname=DN) must be the role,
 * or map to it through pg_ident.conf with map= (PostgreSQL: CheckCertAuth() in libpq/auth.c).
 * HbaAuthentication uses the same check for clientcert=verify-full on lines of other methods.
 * A connection without a client certificate never gets here: "connection requires a valid
 * client certificate". Failure: FATAL 28000 "certificate authentication failed for user".
 */
@Component(service = AuthMethod.class, property = AuthMethod.METHOD_PROPERTY + "=cert")
public final class CertAuthMethod implements AuthMethod {
    private static final Logger LOG = LoggerFactory.getLogger(CertAuthMethod.class);
    private final IdentFile ident;

    @Activate
    public CertAuthMethod(@Reference IdentFile ident) {
        this.ident = ident;
    }

    @Override
    public void authenticate(AuthRequest request, Map<String, String> options, AuthExchange exchange) {
        if (!checkCertAuth(request, options, ident, "cert")) {
            throw HbaAuthentication.authFailed("cert", request.user());
        }
    }

    /** CheckCertAuth(): does the certificate's name match the role (through map= if given)? */
    static boolean checkCertAuth(AuthRequest request, Map<String, String> options, IdentFile ident, String method) {
        TlsInfo tls = request.origin().tls();
        boolean dn = "DN".equals(options.get("clientname"));
        String peerName = null;
        if (tls != null && !tls.peerCertificates().isEmpty()) {
            X509Certificate cert = tls.peerCertificates().get(0);
            peerName = dn ? cert.getSubjectX500Principal().getName(X500Principal.RFC2253) : commonName(cert);
        }
        if (peerName == null || peerName.isEmpty()) {
            LOG.info("LOG:  certificate authentication failed for user \"{}\": client certificate contains no user name",
                    request.user());
            return false;
        }
        if (ident.checkUsermap(options.get("map"), request.user(), peerName, false)) {
            return true;
        }
        if (!"cert".equals(method) && "verify-full".equals(options.get("clientcert"))) {
            LOG.info("LOG:  certificate validation (clientcert=verify-full) failed for user \"{}\": {} mismatch",
                    request.user(), dn ? "DN" : "CN");
        }
        return false;
    }

    /** The subject's CN, or null. */
    static String commonName(X509Certificate cert) {
        try {
            LdapName name = new LdapName(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
