@Export
@Version("1.4.0")
package org.aes67d.api.session;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
