/** The daemon's HTTP request policy as a service, for servers outside the HTTP whiteboard (docs/security.md). */
@Export
@Version("1.0.0")
package org.aes67d.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
