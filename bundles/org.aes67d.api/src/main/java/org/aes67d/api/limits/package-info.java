/** Counters of what the daemon refused of outside input (docs/security.md). */
@Export
@Version("1.0.0")
package org.aes67d.api.limits;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
