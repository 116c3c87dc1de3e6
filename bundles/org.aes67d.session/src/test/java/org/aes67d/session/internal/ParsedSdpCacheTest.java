package org.aes67d.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ParsedSdpCacheTest {
    private static final String SDP = SessionManagerImplTest.REMOTE;

    @Test
    void theSameTextUnderTheSameKeyIsParsedOnce() {
        ParsedSdpCache c = new ParsedSdpCache();
        ParsedSdpCache.Parsed first = c.get("sink 0", SDP);
        assertEquals("- 8323328 10.18.0.5", first.origin());
        c.endPass();
        // a new String with the same text, as a browser hands out on every call
        assertSame(first, c.get("sink 0", new String(SDP.toCharArray())));
        c.endPass();
        assertSame(first, c.get("sink 0", SDP));
        assertEquals(1, c.parses());
    }

    @Test
    void aChangedTextIsParsedAgain() {
        ParsedSdpCache c = new ParsedSdpCache();
        c.get("browsed SAP a", SDP);
        c.endPass();
        String v2 = SDP.replace("o=- 8323328 1 ", "o=- 8323329 2 ");
        assertEquals("- 8323329 10.18.0.5", c.get("browsed SAP a", v2).origin());
        assertEquals(2, c.parses());
        assertNull(c.get("browsed SAP b", "not an SDP").origin());
        assertEquals(3, c.parses());
    }

    @Test
    void aKeyNotAskedForDuringAPassIsForgotten() {
        ParsedSdpCache c = new ParsedSdpCache();
        c.get("sink 1", SDP);
        c.endPass();
        c.endPass(); // "sink 1" is gone: its sink was deleted
        c.get("sink 1", SDP);
        assertEquals(2, c.parses());
    }

    @Test
    void theTrustVerdictIsRememberedPerAnnouncer() {
        ParsedSdpCache c = new ParsedSdpCache();
        ParsedSdpCache.Parsed p = c.get("browsed SAP a", SDP.replace("\n", "\r\n"));
        assertNull(p.refusal("10.18.0.5", "127.0.0.1"));
        assertEquals(TrustedSdp.refusal(p.sdp(), "10.18.0.9", "127.0.0.1"), p.refusal("10.18.0.9", "127.0.0.1"));
        assertNull(p.refusal("10.18.0.5", "127.0.0.1"));
    }
}
