package org.citizenreception.client.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.message.Message;
import org.ice4j.message.Request;
import org.junit.jupiter.api.Test;

class StunCodecTest {
    @Test
    void aCheckCarriesTheIceAttributesAndIsSignedWithTheRemotePassword() {
        byte[] tx = StunCodec.newTransactionId();
        byte[] wire = StunCodec.bindingRequest(tx, "remote", "local", "remotepassword", 1234, 99, true);
        Message m = StunCodec.decode(wire, wire.length);
        assertThat(m).isInstanceOf(Request.class);
        assertThat(StunCodec.username(m)).isEqualTo("remote:local");
        assertThat(m.containsAttribute(Attribute.USE_CANDIDATE)).isTrue();
        assertThat(m.containsAttribute(Attribute.ICE_CONTROLLING)).isTrue();
        assertThat(m.containsAttribute(Attribute.PRIORITY)).isTrue();
        assertThat(m.containsAttribute(Attribute.FINGERPRINT)).isTrue();
        assertThat(StunCodec.integrityMatches(wire, wire.length, "remotepassword")).isTrue();
        assertThat(StunCodec.integrityMatches(wire, wire.length, "wrong")).isFalse();
    }

    @Test
    void theResponseToAPeersCheckMirrorsItsAddressAndTransaction() {
        byte[] tx = StunCodec.newTransactionId();
        byte[] wire = StunCodec.bindingRequest(tx, "us", "them", "ourpassword", 1, 2, false);
        Request request = (Request) StunCodec.decode(wire, wire.length);
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 5555);
        byte[] response = StunCodec.bindingSuccess(request, from, "ourpassword");
        Message decoded = StunCodec.decode(response, response.length);
        assertThat(decoded.getTransactionID()).isEqualTo(tx);
        assertThat(StunCodec.xorMapped(decoded)).isEqualTo(from);
        assertThat(StunCodec.integrityMatches(response, response.length, "ourpassword")).isTrue();
    }
}
