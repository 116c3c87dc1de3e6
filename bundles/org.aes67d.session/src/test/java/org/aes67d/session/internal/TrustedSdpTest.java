package org.aes67d.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrustedSdpTest {
    private static final String REMOTE = SessionManagerImplTest.REMOTE;

    private static String why(String sdp) {
        return TrustedSdp.refusal(sdp, "10.18.0.5", "127.0.0.1");
    }

    @Test
    void aCompleteSdpFromItsOriginIsTrustedWithLfOrCrlf() {
        assertNull(why(REMOTE));
        assertNull(why(REMOTE.replace("\n", "\r\n")));
    }

    @Test
    void everyGuessIsRefusedWithItsReason() {
        assertTrue(why(REMOTE.replace("IN IP4 10.18.0.5\ns=", "IN IP5 10.18.0.5\ns=")).startsWith("o= is not"));
        assertTrue(why(REMOTE.replace("o=- 8323328 1 ", "o=- 83x3328 1 ")).startsWith("o= is not"));
        assertTrue(why(REMOTE.replace("o=- 8323328 1 IN IP4 10.18.0.5", "o=- 8323328 1 IN IP4 10.18.0.5 x"))
                .startsWith("o= is not"));
        assertTrue(why(REMOTE.replace("10.18.0.5\ns=", "10.18.0.256\ns=")).startsWith("o= is not"));
        assertTrue(why(REMOTE.replace("a=recvonly", "a=recvonly ")).startsWith("line 15"));
        assertTrue(why(REMOTE.replace("a=recvonly", "\na=recvonly")).startsWith("line 15"), "blank line");
        assertTrue(why(REMOTE.replace("a=recvonly", "A=recvonly")).startsWith("line 15"));
        assertTrue(why(REMOTE.replace("t=0 0\n", "")).startsWith("no t="));
        assertTrue(why(REMOTE.replace("v=0\n", "")).startsWith("does not start"));
        assertTrue(why("v=0\ns=x\no=- 1 1 IN IP4 10.18.0.5\nt=0 0\n").startsWith("does not start"));
        assertTrue(why(REMOTE.replace("m=audio 5004", "m=audio 99999")).startsWith("does not parse"));
        assertTrue(why(REMOTE.replace("a=framecount:48", "a=framecount:many")).startsWith("a second or unreadable"));
        assertTrue(why(REMOTE.replace("c=IN IP4 239.1.0.1/15", "c=IN IP6 ff0e::1")).startsWith("no c=IN IP4"));
        assertTrue(why("").startsWith("no SDP"));
    }

    @Test
    void onlyItsOriginMayAnnounceItAndNobodyMaySpeakForUs() {
        assertEquals("announced by 10.18.0.9, not by its origin 10.18.0.5",
                TrustedSdp.refusal(REMOTE, "10.18.0.9", "127.0.0.1"));
        assertEquals("announced by an unknown host, not by its origin 10.18.0.5",
                TrustedSdp.refusal(REMOTE, "", "127.0.0.1"));
        assertTrue(TrustedSdp.refusal(REMOTE, "10.18.0.5", "10.18.0.5").contains("is this daemon"));
    }
}
