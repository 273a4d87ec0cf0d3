/*
 * SaslPrep: the SASLprep profile of stringprep (RFC 4013, RFC 3454) for SCRAM passwords
 * (PostgreSQL: src/common/saslprep.c).
 *
 * Steps as pg_saslprep(): ASCII input is returned as it is; otherwise map non-ASCII spaces to
 * space and delete the characters "commonly mapped to nothing" (B.1), normalise to NFKC, then
 * refuse prohibited characters (C.1.2, C.2.1 to C.9) and strings that break the bidi rules. A
 * refused password is not an error: as PostgreSQL, the caller then uses the raw bytes.
 *
 * Difference from PostgreSQL: "unassigned code points" (A.1) are those unassigned in the JDK's
 * Unicode version, not in Unicode 3.2, so characters assigned after 3.2 are accepted here.
 *
 * Entry points: prepare().
 */
package org.osgres.auth.hba.crypt;

import java.text.Normalizer;

public final class SaslPrep {
    private SaslPrep() {
    }

    /**
     * The prepared password, or null when SASLprep refuses it (PostgreSQL: SASLPREP_PROHIBITED);
     * the caller then uses the password unchanged.
     */
    public static String prepare(String password) {
        if (password.chars().allMatch(c -> c < 0x80)) {
            return password;
        }
        StringBuilder mapped = new StringBuilder(password.length());
        password.codePoints().forEach(cp -> {
            if (isNonAsciiSpace(cp)) {
                mapped.append(' ');
            } else if (!isMappedToNothing(cp)) {
                mapped.appendCodePoint(cp);
            }
        });
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        if (normalized.isEmpty()) {
            return "";
        }
        boolean randAl = false;
        boolean l = false;
        int[] cps = normalized.codePoints().toArray();
        for (int cp : cps) {
            if (isProhibited(cp)) {
                return null;
            }
            byte dir = Character.getDirectionality(cp);
            if (dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT || dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
                randAl = true;
            } else if (dir == Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
                l = true;
            }
        }
        if (randAl) {
            if (l || !isRandAl(cps[0]) || !isRandAl(cps[cps.length - 1])) {
                return null;
            }
        }
        return normalized;
    }

    private static boolean isRandAl(int cp) {
        byte dir = Character.getDirectionality(cp);
        return dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT || dir == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** C.1.2 non-ASCII space characters. */
    static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** B.1 commonly mapped to nothing. */
    static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
    }

    /** C.1.2, C.2.1, C.2.2, C.3 to C.9 and A.1. */
    static boolean isProhibited(int cp) {
        return isNonAsciiSpace(cp)
                || cp < 0x20 || cp == 0x7F                                                     // C.2.1
                || (cp >= 0x80 && cp <= 0x9F) || cp == 0x06DD || cp == 0x070F || cp == 0x180E   // C.2.2
                || cp == 0x200C || cp == 0x200D || cp == 0x2028 || cp == 0x2029
                || (cp >= 0x2060 && cp <= 0x2063) || (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF
                || (cp >= 0xFFF9 && cp <= 0xFFFC) || (cp >= 0x1D173 && cp <= 0x1D17A)
                || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD)           // C.3
                || (cp >= 0x100000 && cp <= 0x10FFFD)
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE                     // C.4
                || (cp >= 0xD800 && cp <= 0xDFFF)                                                // C.5
                || (cp >= 0xFFF9 && cp <= 0xFFFD)                                                // C.6
                || (cp >= 0x2FF0 && cp <= 0x2FFB)                                                // C.7
                || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F                  // C.8
                || (cp >= 0x202A && cp <= 0x202E)
                || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F)                             // C.9
                || Character.getType(cp) == Character.UNASSIGNED;                                // A.1
    }
}
