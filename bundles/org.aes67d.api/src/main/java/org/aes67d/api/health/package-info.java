/** Liveness of the daemon's real-time threads, for the service manager's watchdog. */
@Export
@Version("1.0.0")
package org.aes67d.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
