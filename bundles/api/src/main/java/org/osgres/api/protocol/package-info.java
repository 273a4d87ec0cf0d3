/** Frontend/backend protocol v3: message framing and the client channel a backend talks through. */
@Export
@Version("1.1.0")
package org.osgres.api.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
