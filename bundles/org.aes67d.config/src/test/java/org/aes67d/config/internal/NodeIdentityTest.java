package org.aes67d.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.SocketException;

import org.junit.jupiter.api.Test;

class NodeIdentityTest {

    @Test
    void nodeIdUsesAddressBytesInTheOrderBADC() {
        assertEquals("Daemon 007f0100", NodeIdentity.derivedNodeId("127.0.0.1"));
        assertEquals("Daemon a8c00a01", NodeIdentity.derivedNodeId("192.168.1.10"));
    }

    @Test
    void loopbackHasNoMacAndItsOwnAddress() throws SocketException {
        NodeIdentity id = NodeIdentity.of("lo", "", "");
        assertEquals("127.0.0.1", id.ipAddr());
        assertEquals("00:00:00:00:00:00", id.macAddr());
        assertEquals("Daemon 007f0100", id.nodeId());
    }

    @Test
    void customNodeIdWinsAndAForeignPreferredAddressIsIgnored() throws SocketException {
        NodeIdentity id = NodeIdentity.of("lo,lo", "10.9.9.9", "Studio A");
        assertEquals("Studio A", id.nodeId());
        assertEquals("127.0.0.1", id.ipAddr());
    }

    @Test
    void missingInterfaceIsAnError() {
        SocketException e = assertThrows(SocketException.class, () -> NodeIdentity.of("nosuch0", "", ""));
        assertEquals("no network interface named 'nosuch0'", e.getMessage());
    }

    @Test
    void missingSecondaryInterfaceIsAnError() {
        SocketException e = assertThrows(SocketException.class, () -> NodeIdentity.of("lo,nosuch1", "", ""));
        assertEquals("no network interface named 'nosuch1' (the secondary, ST 2022-7)", e.getMessage());
        e = assertThrows(SocketException.class, () -> NodeIdentity.of("lo,", "", ""));
        assertEquals("no network interface named '' (the secondary, ST 2022-7)", e.getMessage());
    }
}
