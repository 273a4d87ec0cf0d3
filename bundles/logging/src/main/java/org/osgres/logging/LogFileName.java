package org.osgres.logging;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * log_filename's strftime escapes (PostgreSQL: logfile_getname in syslogger.c, pg_strftime):
 * %Y %m %d %H %M %S %y %j %a %A %b %B %p %Z %s %%; an unknown escape is kept as written.
 */
final class LogFileName {
    private LogFileName() {
    }

    static String format(String pattern, ZonedDateTime t) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 >= pattern.length()) {
                b.append(c);
                continue;
            }
            char e = pattern.charAt(++i);
            switch (e) {
                case 'Y' -> b.append(String.format(Locale.ROOT, "%04d", t.getYear()));
                case 'y' -> b.append(String.format(Locale.ROOT, "%02d", t.getYear() % 100));
                case 'm' -> b.append(String.format(Locale.ROOT, "%02d", t.getMonthValue()));
                case 'd' -> b.append(String.format(Locale.ROOT, "%02d", t.getDayOfMonth()));
                case 'H' -> b.append(String.format(Locale.ROOT, "%02d", t.getHour()));
                case 'M' -> b.append(String.format(Locale.ROOT, "%02d", t.getMinute()));
                case 'S' -> b.append(String.format(Locale.ROOT, "%02d", t.getSecond()));
                case 'j' -> b.append(String.format(Locale.ROOT, "%03d", t.getDayOfYear()));
                case 'a' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'A' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT));
                case 'b', 'h' -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'B' -> b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT));
                case 'p' -> b.append(t.getHour() < 12 ? "AM" : "PM");
                case 'Z' -> b.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 's' -> b.append(t.toEpochSecond());
                case '%' -> b.append('%');
                default -> b.append('%').append(e);
            }
        }
        return b.toString();
    }
}
