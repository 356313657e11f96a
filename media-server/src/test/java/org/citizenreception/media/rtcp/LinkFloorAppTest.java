package org.citizenreception.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The floor's APP packet reads back as written, walks as RTCP, and is told from other APP packets. */
class LinkFloorAppTest {
    @Test
    void aStateAndARequestReadBackAsWrittenInOneCompound() {
        ByteBuf compound = Unpooled.buffer();
        LinkFloorApp.write(compound, 0x1234, LinkFloorApp.STATE, true);
        LinkFloorApp.write(compound, 0x1234, LinkFloorApp.REQUEST, false);
        RtcpCompoundCursor cursor = new RtcpCompoundCursor().reset(compound);

        assertThat(cursor.next()).isTrue();
        assertThat(LinkFloorApp.isLinkFloor(compound, cursor.offset(), cursor.length())).isTrue();
        assertThat(LinkFloorApp.subtype(compound, cursor.offset())).isEqualTo(LinkFloorApp.STATE);
        assertThat(LinkFloorApp.yours(compound, cursor.offset())).isTrue();
        assertThat(cursor.next()).isTrue();
        assertThat(LinkFloorApp.subtype(compound, cursor.offset())).isEqualTo(LinkFloorApp.REQUEST);
        assertThat(LinkFloorApp.yours(compound, cursor.offset())).isFalse();
        assertThat(cursor.next()).isFalse();
        assertThat(cursor.isMalformed()).isFalse();
        compound.release();
    }

    @Test
    void anotherApplicationsPacketIsNotAFloorSignal() {
        ByteBuf other = Unpooled.buffer();
        LinkFloorApp.write(other, 1, LinkFloorApp.STATE, true);
        other.setInt(8, ('X' << 24) | ('Y' << 16) | ('Z' << 8) | 'W');
        assertThat(LinkFloorApp.isLinkFloor(other, 0, other.readableBytes())).isFalse();
        other.release();
    }
}
