/**
 * RTSP/1.0 (RFC 2326) message codec and a DESCRIBE client: pure request and response parsing and encoding, with
 * the limits a server exposed to the network needs, and the client the mDNS browser and sinks with {@code rtsp://}
 * URLs use to fetch an SDP.
 */
@Export
@Version("1.0.0")
package org.aes67d.rtsp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
