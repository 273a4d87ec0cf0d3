/** The hand-over from postmaster to backend: startup parameters, BackendKeyData, per-session signals. */
@Export
@Version("2.1.0")
package org.osgres.api.session;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
