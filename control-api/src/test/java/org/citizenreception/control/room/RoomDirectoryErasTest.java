package org.citizenreception.control.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two shipped directory eras, imported in every order through the administrator's import
 * route into a real SQLite file: whatever the order, the 2024 structure (1 + 13 + 177 rooms) is the
 * directory of 1 June 2024 and the 2025 one (1 + 54) that of today, and no import ends a unit that
 * is valid today because the file of another era does not list it. The first file of each order is
 * the one the server imports at its first start (the same import path), the rest are POSTed.
 */
class RoomDirectoryErasTest {
    static final String Y2024 = "rooms-2024.csv";
    static final String Y2025 = "rooms-2025.csv";

    @TempDir
    Path dir;

    static Stream<Arguments> orders() {
        return Stream.of(
                Arguments.of(List.of(Y2024, Y2025)),
                Arguments.of(List.of(Y2025, Y2024)),
                Arguments.of(List.of(Y2024, Y2024)),
                Arguments.of(List.of(Y2025, Y2025)),
                Arguments.of(List.of(Y2025, Y2024, Y2025, Y2024)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void everyOrderLeavesEachEraValidInItsOwnTime(List<String> files) {
        try (TestServer t = TestServer.start(dir, "--rooms.directory=" + TestServer.configFile(files.get(0)))) {
            for (String file : files.subList(1, files.size())) {
                TestServer.Response r = t.send("POST", "/api/v1/rooms/import", t.adminToken(), "text/csv",
                        TestServer.readConfigFile(file));
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(r.json().get("retired").asInt()).as("no unit valid today is ended by " + file).isZero();
                assertThat(r.json().get("retiredAfter").isNull()).isTrue();
            }
            boolean has2024 = files.contains(Y2024);
            boolean has2025 = files.contains(Y2025);

            List<JsonNode> june2024 = activeOn(t, "2024-06-01");
            List<JsonNode> lastDayOf2024Structure = activeOn(t, "2025-06-30");
            List<JsonNode> firstDayOf2025Structure = activeOn(t, "2025-07-01");
            List<JsonNode> today = activeOn(t, "2026-12-03");

            if (has2024) {
                assertThat(june2024).hasSize(191);
                assertThat(codes(june2024)).allMatch(c -> c.equals("QN-VP") || c.startsWith("QN24-"));
                assertThat(levels(june2024)).isEqualTo(Map.of("PROVINCE", 1, "DISTRICT", 13, "WARD", 72, "COMMUNE", 98, "TOWNSHIP", 7));
                assertThat(lastDayOf2024Structure).hasSize(191);
            } else {
                assertThat(codes(june2024)).containsExactly("QN-VP");
            }
            if (has2025) {
                assertThat(today).hasSize(55);
                assertThat(codes(today)).allMatch(c -> c.equals("QN-VP") || c.startsWith("QN25-"));
                assertThat(levels(today)).isEqualTo(Map.of("PROVINCE", 1, "WARD", 30, "COMMUNE", 22, "SPECIAL_ZONE", 2));
                assertThat(firstDayOf2025Structure).hasSize(55);
            } else {
                assertThat(codes(today)).as("the 13 districts and 177 communes of 2024 are not revived").containsExactly("QN-VP");
            }
            assertThat(t.get("/api/v1/rooms", t.adminToken()).json()).hasSize((has2024 ? 191 : 1) + (has2025 ? 54 : 0));

            // Either file alone knows the merger links the resolution gives.
            JsonNode bachDang = has2024 ? t.get("/api/v1/rooms/QN24-HLG-BACH-DANG", t.adminToken()).json() : null;
            if (bachDang != null) {
                assertThat(bachDang.get("successors")).extracting(JsonNode::asText).containsExactly("QN25-HONG-GAI");
                assertThat(bachDang.get("validTo").asText()).isEqualTo("2025-06-30");
            }
            if (has2025) {
                assertThat(t.get("/api/v1/rooms/QN25-HONG-GAI", t.adminToken()).json().get("predecessors"))
                        .extracting(JsonNode::asText).contains("QN24-HLG-HONG-GAI", "QN24-HLG-BACH-DANG");
            }
        }
    }

    @Test
    void aFileEndsOnlyTheUnitsItDates() {
        try (TestServer t = TestServer.start(dir, "--rooms.directory=" + TestServer.configFile(Y2025))) {
            String yesterday = t.clock.instant().atZone(RoomDirectory.ZONE).toLocalDate().minusDays(1).toString();
            String correction = "code,name,level,parent_code,valid_from,valid_to\n"
                    + "QN25-CO-TO,Đặc khu Cô Tô,SPECIAL_ZONE,QN-VP,2025-07-01," + yesterday + "\n";

            TestServer.Response r = t.send("POST", "/api/v1/rooms/import", t.adminToken(), "text/csv", correction);

            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("rows").asInt()).isEqualTo(1);
            assertThat(r.json().get("retired").asInt()).isEqualTo(1);
            assertThat(r.json().get("retiredAfter").asText()).isEqualTo(yesterday);
            List<JsonNode> today = activeOn(t, t.clock.instant().atZone(RoomDirectory.ZONE).toLocalDate().toString());
            assertThat(today).hasSize(54);
            assertThat(codes(today)).doesNotContain("QN25-CO-TO").contains("QN-VP", "QN25-VAN-DON");
        }
    }

    private static List<JsonNode> activeOn(TestServer t, String day) {
        TestServer.Response r = t.get("/api/v1/rooms?activeOn=" + day, t.adminToken());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> rooms = new ArrayList<>();
        r.json().forEach(rooms::add);
        return rooms;
    }

    private static List<String> codes(List<JsonNode> rooms) {
        return rooms.stream().map(n -> n.get("code").asText()).toList();
    }

    private static Map<String, Integer> levels(List<JsonNode> rooms) {
        Map<String, Integer> count = new TreeMap<>();
        rooms.forEach(n -> count.merge(n.get("level").asText(), 1, Integer::sum));
        return count;
    }
}
