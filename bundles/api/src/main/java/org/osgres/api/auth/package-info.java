/** Client authentication: pg_hba.conf matching and the AuthMethod plug-in point. */
@Export
@Version("1.1.0")
package org.osgres.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
