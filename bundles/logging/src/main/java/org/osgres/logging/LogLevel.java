package org.osgres.logging;

import java.util.Locale;

/**
 * PostgreSQL's message levels (utils/elog.h) in the order log_min_messages ranks them: LOG sits
 * between ERROR and FATAL for the server log (PostgreSQL: is_log_level_output).
 */
enum LogLevel {
    DEBUG5, DEBUG4, DEBUG3, DEBUG2, DEBUG1, INFO, NOTICE, WARNING, ERROR, LOG, FATAL, PANIC;

    /** The level a log_min_messages value names ("warning" -> WARNING). */
    static LogLevel ofSetting(String value) {
        if (value == null) {
            return WARNING;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return WARNING;
        }
    }

    /**
     * The level a message opens with ("FATAL:  ..."), as code that writes PostgreSQL's level into
     * the message text does; null when it opens with none.
     */
    static LogLevel ofMessagePrefix(String message) {
        int colon = message.indexOf(":  ");
        if (colon < 3 || colon > 7) {
            return null;
        }
        String word = message.substring(0, colon);
        for (LogLevel l : values()) {
            if (l.name().equals(word)) {
                return l;
            }
        }
        return null;
    }
}
