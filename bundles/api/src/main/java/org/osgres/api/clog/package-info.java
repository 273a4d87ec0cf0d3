/** The commit log (PostgreSQL: access/transam/clog.c): the status of every transaction id, kept in pg_xact. */
@Export
@Version("1.1.0")
package org.osgres.api.clog;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
