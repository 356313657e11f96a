package org.citizenreception.control.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.citizenreception.control.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomImportTest {
    static final String HEADER = "# a comment line counts as a line\ncode,name,level,parent_code,valid_from,valid_to\n";
    static final String ROOT = "QN-VP,Ban Tiếp công dân tỉnh Quảng Ninh,PROVINCE,,,\n";

    @TempDir
    static Path dir;
    static TestServer t;

    /** The import of the 2024 era is what this class checks first, so it starts with that directory. */
    @BeforeAll
    static void start() {
        t = TestServer.start(dir, "--rooms.directory=" + TestServer.configFile("rooms-2024.csv"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    @Order(1)
    void theConfiguredDirectoryIsImportedAtFirstStart() {
        JsonNode rooms = t.get("/api/v1/rooms", t.adminToken()).json();
        assertThat(rooms).hasSize(191);
        RoomDirectory directory = t.server.services().rooms();
        assertThat(directory.all()).hasSize(191);
        assertThat(directory.all().stream().filter(r -> r.level() == RoomLevel.DISTRICT)).hasSize(13);
        assertThat(directory.subtree("QN-VP")).hasSize(191).first().extracting(Room::code).isEqualTo("QN-VP");
        assertThat(directory.subtree("QN24-HLG")).hasSize(34);
        assertThat(directory.find("QN24-HLG-BAI-CHAY")).get().extracting(Room::name).isEqualTo("Phường Bãi Cháy");
        assertThat(t.get("/api/v1/audit?entityType=room-directory", t.adminToken()).json().get("entries")).hasSize(1);
    }

    @Test
    @Order(2)
    void theTreeViewNestsProvinceDistrictsAndCommunes() {
        JsonNode tree = t.get("/api/v1/rooms?view=tree", t.adminToken()).json();
        assertThat(tree).hasSize(1);
        assertThat(tree.get(0).get("code").asText()).isEqualTo("QN-VP");
        assertThat(tree.get(0).get("children")).hasSize(13);
        int communes = 0;
        for (JsonNode district : tree.get(0).get("children")) {
            communes += district.get("children").size();
        }
        assertThat(communes).isEqualTo(177);
    }

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                Arguments.of("unknown parent", HEADER + ROOT + "X1,Xã Một,COMMUNE,NOPE,,\n", 4, "parent_code"),
                Arguments.of("duplicate code", HEADER + ROOT + "X1,Xã Một,COMMUNE,QN-VP,,\nX1,Xã Hai,COMMUNE,QN-VP,,\n", 5, "code"),
                Arguments.of("cycle", HEADER + ROOT + "X1,Huyện Một,DISTRICT,X2,,\nX2,Huyện Hai,DISTRICT,X1,,\n", 4, "parent_code"),
                Arguments.of("own parent", HEADER + ROOT + "X1,Xã Một,COMMUNE,X1,,\n", 4, "parent_code"),
                Arguments.of("bad level", HEADER + ROOT + "X1,Xã Một,VILLAGE,QN-VP,,\n", 4, "level"),
                Arguments.of("level order", HEADER + ROOT + "X1,Xã Một,COMMUNE,QN-VP,,\nX2,Huyện,DISTRICT,X1,,\n", 5, "level"),
                Arguments.of("bad date", HEADER + ROOT + "X1,Xã Một,COMMUNE,QN-VP,2025-02-30,\n", 4, "valid_from"),
                Arguments.of("dates reversed", HEADER + ROOT + "X1,Xã Một,COMMUNE,QN-VP,2025-07-01,2025-06-30\n", 4, "valid_to"),
                Arguments.of("empty name", HEADER + ROOT + "X1,,COMMUNE,QN-VP,,\n", 4, "name"),
                Arguments.of("bad code", HEADER + ROOT + "X 1,Xã Một,COMMUNE,QN-VP,,\n", 4, "code"),
                Arguments.of("missing value", HEADER + ROOT + "X1,Xã Một,COMMUNE\n", 4, "file"),
                Arguments.of("unknown column", "code,name,level,parent_code,valid_from,valid_to,mayor\n", 1, "mayor"),
                Arguments.of("missing column", "code,name,level,parent_code,valid_from\n", 1, "valid_to"),
                // found by RoomCsvFuzzTest: commons-csv's refusal of the header escaped as a 500
                Arguments.of("unterminated quote in the header", "code,name,level,parent_code,valid_from,\"valid_to\n", 1, "file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    @Order(3)
    void aBrokenFileIs422NamingTheLineAndFieldAndChangesNothing(String what, String csv, int line, String field) {
        String before = t.get("/api/v1/rooms", t.adminToken()).body();
        long auditBefore = t.count("audit_log");
        TestServer.Response r = t.send("POST", "/api/v1/rooms/import", t.adminToken(), "text/csv; charset=utf-8", csv);
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).contains("line " + line).contains(field).contains("nothing was imported");
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
        assertThat(r.json().get("errors").get(0).get("message").asText()).startsWith("line " + line + ":");
        assertThat(t.get("/api/v1/rooms", t.adminToken()).body()).isEqualTo(before);
        assertThat(t.count("audit_log")).isEqualTo(auditBefore);
    }

    @Test
    @Order(4)
    void aCsvBodyMustBeSentAsTextCsv() {
        TestServer.Response r = t.send("POST", "/api/v1/rooms/import", t.adminToken(), "application/json", "{}");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    @Order(5)
    void importingThe2025DirectoryBesideThe2024OneKeepsEveryRoomInItsOwnTime() {
        TestServer.Response r = t.send("POST", "/api/v1/rooms/import", t.adminToken(), "text/csv",
                TestServer.readConfigFile("rooms-2025.csv"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("rows").asInt()).isEqualTo(55);
        assertThat(r.json().get("created").asInt()).isEqualTo(54);
        assertThat(r.json().get("updated").asInt()).isEqualTo(1);
        assertThat(r.json().get("retired").asInt()).as("the 2024 file dates its own rooms: nothing valid today ends").isZero();
        assertThat(r.json().get("retiredAfter").isNull()).isTrue();

        assertThat(t.get("/api/v1/rooms", t.adminToken()).json()).hasSize(191 + 54);
        assertThat(t.get("/api/v1/rooms?activeOn=2025-07-01", t.adminToken()).json()).hasSize(55);
        assertThat(t.get("/api/v1/rooms?activeOn=2025-06-30", t.adminToken()).json()).hasSize(191);
        RoomDirectory directory = t.server.services().rooms();
        assertThat(directory.activeOn(LocalDate.of(2026, 1, 1))).hasSize(55);
        Room hongGai = directory.find("QN25-HONG-GAI").orElseThrow();
        assertThat(hongGai.predecessors()).contains("QN24-HLG-HONG-GAI", "QN24-HLG-BACH-DANG");
        assertThat(directory.find("QN24-HLG-BACH-DANG").orElseThrow().successors()).containsExactly("QN25-HONG-GAI");
        assertThat(directory.find("QN24-HLG-BACH-DANG").orElseThrow().validTo()).isEqualTo(LocalDate.of(2025, 6, 30));
        assertThat(t.get("/api/v1/rooms?view=tree&activeOn=2025-07-01", t.adminToken()).json().get(0).get("children"))
                .hasSize(54);
    }

    @Test
    @Order(6)
    void the2025DirectoryAloneHas55Rooms() {
        try (TestServer fresh = TestServer.start(dir.resolve("fresh"),
                "--rooms.directory=" + TestServer.configFile("rooms-2025.csv"))) {
            RoomDirectory directory = fresh.server.services().rooms();
            assertThat(directory.all()).hasSize(55);
            assertThat(directory.all().stream().filter(r -> r.level() == RoomLevel.WARD)).hasSize(30);
            assertThat(directory.all().stream().filter(r -> r.level() == RoomLevel.COMMUNE)).hasSize(22);
            assertThat(directory.all().stream().filter(r -> r.level() == RoomLevel.SPECIAL_ZONE)).hasSize(2);
            assertThat(directory.activeOn(LocalDate.of(2025, 6, 30))).hasSize(1);
        }
    }

    @Test
    @Order(7)
    void anAdminRetiresARoomInsteadOfDeletingItAndCannotRetireOneWithLiveChildren() {
        TestServer.Response parent = t.send("DELETE", "/api/v1/rooms/QN-VP", t.adminToken(), null, (byte[]) null);
        assertThat(parent.status()).isEqualTo(409);
        TestServer.Response leaf = t.send("DELETE", "/api/v1/rooms/QN25-CO-TO?validTo=2026-12-31", t.adminToken(), null,
                (byte[]) null);
        assertThat(leaf.status()).as(leaf.body()).isEqualTo(200);
        assertThat(leaf.json().get("validTo").asText()).isEqualTo("2026-12-31");
        assertThat(t.get("/api/v1/rooms/QN25-CO-TO", t.adminToken()).status()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void aPatchThatWouldMakeACycleIs422AndChangesNothing() {
        TestServer.Response r = t.json("PATCH", "/api/v1/rooms/QN24-HLG", t.adminToken(),
                "{\"parentCode\":\"QN24-HLG-BAI-CHAY\",\"level\":\"WARD\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("parentCode");
        assertThat(t.get("/api/v1/rooms/QN24-HLG", t.adminToken()).json().get("parentCode").asText()).isEqualTo("QN-VP");
    }
}
