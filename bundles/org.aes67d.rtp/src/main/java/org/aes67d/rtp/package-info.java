/**
 * RTP for AES67 audio: the RFC 3550 fixed header, the L16/L24/AM824 sample codecs and a playout buffer.
 * Pure code with no sockets, threads or allocation on the per-packet path.
 */
@Export
@Version("1.0.0")
package org.aes67d.rtp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
