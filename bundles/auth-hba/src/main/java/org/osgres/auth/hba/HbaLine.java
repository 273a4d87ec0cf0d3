package org.osgres.auth.hba;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One parsed pg_hba.conf record (PostgreSQL: HbaLine in hba.h).
 *
 * @param file       the file it came from
 * @param lineNumber its first line
 * @param rawLine    the text, continuation lines joined
 * @param connType   local, host, hostssl, ...
 * @param databases  the database field's tokens
 * @param roles      the user field's tokens
 * @param ipCmp      how the client address is compared (null for local)
 * @param address    the address of an ADDRESS line (null for a host name)
 * @param mask       its netmask
 * @param hostname   the host name of a host-name line, else null
 * @param method     the authentication method as written
 * @param options    the name=value options after the method, in order
 */
public record HbaLine(Path file, int lineNumber, String rawLine, ConnType connType, List<HbaToken> databases,
        List<HbaToken> roles, IpCompare ipCmp, InetAddress address, InetAddress mask, String hostname,
        String method, Map<String, String> options) {

    /** The connection types (ConnType). */
    public enum ConnType {
        LOCAL("local"), HOST("host"), HOSTSSL("hostssl"), HOSTNOSSL("hostnossl"),
        HOSTGSSENC("hostgssenc"), HOSTNOGSSENC("hostnogssenc");

        private final String keyword;

        ConnType(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** How the address field is compared (IPCompareMethod). */
    public enum IpCompare { ADDRESS, ALL, SAMEHOST, SAMENET }
}
