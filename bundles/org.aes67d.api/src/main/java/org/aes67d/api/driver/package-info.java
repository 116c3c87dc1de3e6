@Export
@Version("1.4.0")
package org.aes67d.api.driver;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
