/** Errors as PostgreSQL reports them: SQLSTATE, severity, message, detail, hint, position. */
@Export
@Version("1.2.0")
package org.osgres.api.error;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
