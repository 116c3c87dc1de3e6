/**
 * SDP (RFC 4566) for AES67, RAVENNA and SMPTE ST 2110-30 audio streams: an immutable model, a lenient parser for
 * SDP from other vendors, a generic writer and the exact writer of the SDP of a local source.
 */
@Export
@Version("1.1.0")
package org.aes67d.sdp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
