package org.citizenreception.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerProbeTest {
    @Test
    void readsCpuTimeAndResidentMemoryOfARealProcess() {
        ServerProbe probe = new ServerProbe(ProcessHandle.current().pid(), null, 100);
        long cpu = probe.cpuMicros();
        long spin = 0;
        long until = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < until) {
            spin += until % 7;
        }
        assertThat(spin).isNotNegative();
        assertThat(probe.cpuMicros()).isGreaterThan(cpu);
        assertThat(probe.rssBytes()).isGreaterThan(10L << 20);
        assertThat(probe.heapBytes()).isEqualTo(-1);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String stat = "42 (java (x) y) S 1 42 42 0 -1 4194560 1 0 0 0 250 50 0 0 20 0 30 0 1 1 1";
        assertThat(ServerProbe.parseCpuMicros(stat, 100)).isEqualTo(3_000_000);
    }

    @Test
    void heapIsTheSumOfTheHeapPoolsInThePrometheusText() {
        String text = String.join("\n",
                "# TYPE jvm_memory_used_bytes gauge",
                "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.0E6",
                "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2000000.0",
                "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 5.0E7");
        assertThat(ServerProbe.parseHeapBytes(text)).isEqualTo(3_000_000);
        assertThat(ServerProbe.parseRssBytes("Name:\tjava\nVmRSS:\t  2048 kB\n")).isEqualTo(2_097_152);
    }

    @Test
    void threadsAndDescriptorsAreReadFromAProcessThatHasThem() throws Exception {
        ServerProbe probe = new ServerProbe(ProcessHandle.current().pid(), null, 100);
        long fds = probe.fileDescriptors();
        try (java.net.DatagramSocket extra = new java.net.DatagramSocket(0)) {
            assertThat(probe.fileDescriptors()).as("one more socket is one more descriptor").isEqualTo(fds + 1);
        }
        assertThat(probe.threads()).as("this JVM's threads").isGreaterThanOrEqualTo(Thread.getAllStackTraces().size() / 2);
        assertThat(ServerProbe.parseThreads("Name:\tjava\nThreads:\t57\nVmRSS:\t1 kB\n")).isEqualTo(57);
        assertThat(ServerProbe.parseGauge("reception_media_active_endpoints_total 9\nreception_media_active_endpoints 101.0\n",
                "reception_media_active_endpoints")).isEqualTo(101);
        assertThat(ServerProbe.parseGauge("other 1\n", "reception_media_active_endpoints")).isEqualTo(-1);
    }

    @Test
    void theServersJoinPhasePercentilesAreThoseOfTheJoinsBetweenTwoScrapesOfItsOwnMetrics() {
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        org.citizenreception.media.stats.MediaMetrics metrics = new org.citizenreception.media.stats.MediaMetrics(registry);
        org.citizenreception.media.stats.JoinPhase server = org.citizenreception.media.stats.JoinPhase.SERVER;
        metrics.joinPhase(server, 5_000_000_000L); // a warm-up join before the storm: not counted
        var before = ServerProbe.parseJoinBuckets(registry.scrape());
        for (int i = 1; i <= 100; i++) {
            metrics.joinPhase(server, i * 1_000_000L); // 1 ms .. 100 ms
        }
        metrics.dtlsHandshake(2_000_000L, 3_000_000L);
        var storm = ServerProbe.percentilesBetween(before, ServerProbe.parseJoinBuckets(registry.scrape()));

        ServerProbe.Percentiles joins = storm.get("join_phase/server");
        assertThat(joins.count()).isEqualTo(100);
        // Micrometer's buckets are about 10 % wide here: the interpolated figures land within one bucket
        assertThat(joins.p50Millis()).isBetween(45.0, 56.0);
        assertThat(joins.p95Millis()).isBetween(86.0, 105.0);
        assertThat(joins.p99Millis()).isBetween(89.0, 110.0);
        assertThat(storm.get("dtls_handshake/computing").count()).isEqualTo(1);
        assertThat(storm).as("phases nobody reached in the window are left out").doesNotContainKey("join_phase/ice");
    }
}
