package org.osgres.config.file;

import java.nio.file.Path;

/**
 * One "name = value" line of a configuration file (PostgreSQL: ConfigVariable in guc.h).
 *
 * @param name  the name as written
 * @param value the value with quotes and escapes removed
 * @param file  the file it is in
 * @param line  its line number, from 1
 */
public record ConfigItem(String name, String value, Path file, int line) {
}
