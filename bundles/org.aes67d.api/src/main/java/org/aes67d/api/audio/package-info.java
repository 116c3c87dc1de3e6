@Export
@Version("1.1.0")
package org.aes67d.api.audio;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
