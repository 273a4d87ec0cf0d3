/*
 * HbaRules: the parsed pg_hba.conf and the search for the first line that matches a connection
 * (PostgreSQL: check_hba(), check_db(), check_role(), check_ip(), check_hostname() and
 * check_same_host_or_net() in libpq/hba.c).
 *
 * Lines are tried in order; the first whose connection type, address, database and user all
 * match decides. An encrypted (SSL) connection matches host and hostssl, an unencrypted one host
 * and hostnossl; GSSAPI encryption does not exist in osgres, so hostgssenc never matches and
 * hostnogssenc always can.
 *
 * Entry points: match().
 */
package org.osgres.auth.hba;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.osgres.api.auth.AuthRequest;

public final class HbaRules {
    private final List<HbaLine> lines;

    public HbaRules(List<HbaLine> lines) {
        this.lines = List.copyOf(lines);
    }

    public List<HbaLine> lines() {
        return lines;
    }

    /** The first matching line, or empty (an implicit reject). */
    public Optional<HbaLine> match(AuthRequest request, RoleMembership roles) {
        InetAddress client = request.origin().isLocal() ? null : request.origin().remote().getAddress();
        boolean ssl = request.origin().ssl();
        for (HbaLine hba : lines) {
            if (hba.connType() == HbaLine.ConnType.LOCAL) {
                if (client != null) {
                    continue;
                }
            } else {
                if (client == null) {
                    continue;
                }
                if (ssl ? hba.connType() == HbaLine.ConnType.HOSTNOSSL : hba.connType() == HbaLine.ConnType.HOSTSSL) {
                    continue;
                }
                if (hba.connType() == HbaLine.ConnType.HOSTGSSENC) {
                    continue;
                }
                boolean addressOk = switch (hba.ipCmp()) {
                    case ALL -> true;
                    case ADDRESS -> hba.hostname() != null ? checkHostname(client, hba.hostname())
                            : checkIp(client, hba.address(), hba.mask());
                    case SAMEHOST -> sameHostOrNet(client, false);
                    case SAMENET -> sameHostOrNet(client, true);
                };
                if (!addressOk) {
                    continue;
                }
            }
            if (!checkDb(request.database(), request.user(), hba.databases(), roles)) {
                continue;
            }
            if (!checkRole(request.user(), hba.roles(), roles)) {
                continue;
            }
            return Optional.of(hba);
        }
        return Optional.empty();
    }

    /** check_db(). Replication connections (walsenders) are not in the api yet: never matched. */
    static boolean checkDb(String dbname, String role, List<HbaToken> tokens, RoleMembership roles) {
        for (HbaToken tok : tokens) {
            if (tok.isKeyword("all")) {
                return true;
            } else if (tok.isKeyword("sameuser")) {
                if (dbname.equals(role)) {
                    return true;
                }
            } else if (tok.isKeyword("samegroup") || tok.isKeyword("samerole")) {
                if (roles.isMember(role, dbname)) {
                    return true;
                }
            } else if (tok.isKeyword("replication")) {
                continue;
            } else if (tok.matches(dbname)) {
                return true;
            }
        }
        return false;
    }

    /** check_role(). */
    static boolean checkRole(String role, List<HbaToken> tokens, RoleMembership roles) {
        for (HbaToken tok : tokens) {
            if (!tok.quoted() && tok.string().startsWith("+")) {
                if (roles.isMember(role, tok.string().substring(1))) {
                    return true;
                }
            } else if (tok.matches(role) || tok.isKeyword("all")) {
                return true;
            }
        }
        return false;
    }

    /** check_ip(): same family and equal under the mask. */
    static boolean checkIp(InetAddress client, InetAddress address, InetAddress mask) {
        byte[] c = client.getAddress();
        byte[] a = address.getAddress();
        byte[] m = mask.getAddress();
        if (c.length != a.length || m.length != a.length) {
            return false;
        }
        for (int i = 0; i < c.length; i++) {
            if (((c[i] ^ a[i]) & m[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** check_hostname(): reverse lookup, name compare (".suffix" matches a domain), forward confirm. */
    static boolean checkHostname(InetAddress client, String hostname) {
        String remote;
        try {
            remote = InetAddress.getByAddress(client.getAddress()).getCanonicalHostName();
        } catch (UnknownHostException e) {
            return false;
        }
        String r = remote.toLowerCase(Locale.ROOT);
        String h = hostname.toLowerCase(Locale.ROOT);
        boolean nameOk = h.startsWith(".") ? r.endsWith(h) : r.equals(h);
        if (!nameOk) {
            return false;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(remote)) {
                if (a.equals(client)) {
                    return true;
                }
            }
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }

    /** check_same_host_or_net(): an address of this machine, or in the network of one. */
    static boolean sameHostOrNet(InetAddress client, boolean net) {
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                    InetAddress local = ia.getAddress();
                    if (local.getAddress().length != client.getAddress().length) {
                        continue;
                    }
                    InetAddress mask = net ? HbaParser.cidrMask(Short.toString(ia.getNetworkPrefixLength()), local)
                            : HbaParser.cidrMask(Integer.toString(local.getAddress().length * 8), local);
                    if (mask != null && checkIp(client, local, mask)) {
                        return true;
                    }
                }
            }
        } catch (SocketException e) {
            return false;
        }
        return false;
    }
}
