package org.osgres.auth.hba;

/**
 * One token of a pg_hba.conf field (PostgreSQL: AuthToken in hba.h).
 *
 * @param string the text, with double quotes removed
 * @param quoted true when it started with a double quote: then it is never a keyword
 */
public record HbaToken(String string, boolean quoted) {

    /** token_is_keyword(): unquoted and equal to the keyword. */
    public boolean isKeyword(String keyword) {
        return !quoted && string.equals(keyword);
    }

    /** token_matches(): the text equals the name (case-sensitive). */
    public boolean matches(String name) {
        return string.equals(name);
    }
}
