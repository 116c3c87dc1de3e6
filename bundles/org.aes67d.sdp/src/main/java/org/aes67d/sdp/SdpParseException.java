package org.aes67d.sdp;

/** The text is not an SDP we can use; the message is one line, e.g. {@code line 5: bad m= line "..."}. */
public final class SdpParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public SdpParseException(String reason) {
        super(reason);
    }
}
