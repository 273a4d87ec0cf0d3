/** The SQL engine a backend runs statements through: parse, prepare, bind, execute. */
@Export
@Version("1.2.0")
package org.osgres.api.sql;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
