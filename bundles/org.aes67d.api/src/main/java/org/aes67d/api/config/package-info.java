@Export
@Version("1.1.0")
package org.aes67d.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
