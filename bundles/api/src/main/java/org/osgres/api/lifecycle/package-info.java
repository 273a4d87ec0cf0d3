/** Starting and ending the server process: the contract between the bundles and the launcher. */
@Export
@Version("1.2.0")
package org.osgres.api.lifecycle;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
