package org.aes67d.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4Test {
    @Test
    void dottedQuadsParseAndFormatBack() {
        assertEquals(0xEF010203L, Ipv4.parse("239.1.2.3"));
        assertEquals(0L, Ipv4.parse("0.0.0.0"));
        assertEquals(0xFFFFFFFFL, Ipv4.parse("255.255.255.255"));
        assertEquals(0x01020304L, Ipv4.parse("001.2.3.4"), "leading zeros: still at most three digits");
        assertEquals("239.1.2.3", Ipv4.format(Ipv4.parse("239.1.2.3")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "1.2.3", "1.2.3.4.", ".1.2.3", "1..2.3", "1.2.3.4.5", "256.1.1.1",
        "1.2.3.1000", "0001.2.3.4", "+1.2.3.4", "1.2.3.-4", "a.b.c.d", "1.2.3.4 ", " 1.2.3.4", "1.2.3.٤"})
    void anythingElseIsMinusOne(String text) {
        assertEquals(-1, Ipv4.parse(text), text);
    }
}
