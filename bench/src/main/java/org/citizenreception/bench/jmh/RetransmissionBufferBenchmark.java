package org.citizenreception.bench.jmh;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import org.citizenreception.media.rtp.RetransmissionBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The NACK path's store: every incoming video packet is inserted (a retained duplicate, evicting
 * the oldest), and a NACK looks a recent one up and releases the duplicate it got.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RetransmissionBufferBenchmark {
    private RetransmissionBuffer buffer;
    private ByteBuf packet;
    private int seq;

    @Setup(Level.Trial)
    public void setUp() {
        // A clock that stands still: entries leave by count only, so lookups hit as they do within 1 s of arrival.
        buffer = RetransmissionBuffer.forVideo(() -> 0L);
        packet = Packets.vp8(0, 0, 0, false);
        for (int i = 0; i < 2048; i++) {
            insert();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buffer.close();
        packet.release();
    }

    @Benchmark
    public void insert() {
        seq = (seq + 1) & 0xffff;
        buffer.insert(seq, packet.retainedDuplicate());
    }

    @Benchmark
    public boolean lookupRecent() {
        ByteBuf found = buffer.get((seq - 100) & 0xffff);
        if (found == null) {
            return false;
        }
        found.release();
        return true;
    }
}
