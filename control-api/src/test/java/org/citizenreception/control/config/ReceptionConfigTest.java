package org.citizenreception.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceptionConfigTest {
    @TempDir
    Path dir;

    private ReceptionConfig load(Map<String, String> env, String... args) {
        return ReceptionConfig.load(args, env);
    }

    @Test
    void defaultsGiveTheEmbeddedSetup() {
        ReceptionConfig c = load(Map.of(), "--config=" + write(""));
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.httpsEnabled()).isFalse();
        assertThat(c.mediaPort()).isEqualTo(10000);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.databaseFile()).isEqualTo(Path.of("data", "reception.db"));
        assertThat(c.mediaAdvertisedAddresses()).contains("127.0.0.1");
    }

    @Test
    void commandLineBeatsEnvironmentBeatsFile() {
        Path file = write("http.port = 8001\nmedia.port = 11000\ndata.dir = \"/srv/reception\"\n");
        ReceptionConfig c = load(Map.of("RECEPTION_HTTP_PORT", "8002", "RECEPTION_MEDIA_PORT", "12000"),
                "--config=" + file, "--http.port=8003");
        assertThat(c.httpPort()).isEqualTo(8003);
        assertThat(c.mediaPort()).isEqualTo(12000);
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/reception"));
        assertThat(c.databaseFile()).isEqualTo(Path.of("/srv/reception", "reception.db"));
    }

    @Test
    void theIceTcpPortFollowsTheMediaPortUnlessSetAndZeroTurnsItOff() {
        assertThat(load(Map.of(), "--config=" + write("")).mediaTcpPort()).hasValue(10000);
        assertThat(load(Map.of(), "--config=" + write(""), "--media.port=0").mediaTcpPort()).as("a test's free port").hasValue(0);
        assertThat(load(Map.of("RECEPTION_MEDIA_TCP_PORT", "443"), "--config=" + write("")).mediaTcpPort()).hasValue(443);
        assertThat(load(Map.of(), "--config=" + write("media.tcp-port = 0\n")).mediaTcpPort()).isEmpty();
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write("media.tcp-port = 70000\n")))
                .hasMessageContaining("'media.tcp-port'").hasMessageContaining("70000");
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write("media.tcp-port = https\n")))
                .hasMessageContaining("'media.tcp-port'");
    }

    @Test
    void environmentNamesFoldDotsAndDashesToUnderscores() {
        assertThat(ConfigSources.envName("media.advertised-addresses")).isEqualTo("RECEPTION_MEDIA_ADVERTISED_ADDRESSES");
        ReceptionConfig c = load(Map.of("RECEPTION_MEDIA_ADVERTISED_ADDRESSES", "203.0.113.7, 127.0.0.1",
                "RECEPTION_MEDIA_PUBLIC_ADDRESS", "198.51.100.1"), "--config=" + write(""));
        assertThat(c.mediaAdvertisedAddresses()).containsExactly("198.51.100.1", "203.0.113.7", "127.0.0.1");
        assertThat(c.mediaPublicAddress()).contains("198.51.100.1");
    }

    @Test
    void iceServersAreStunOrTurnUrisAndTurnNeedsTheCredentialWhichIsNeverEchoed() {
        ReceptionConfig c = load(Map.of("RECEPTION_MEDIA_ICE_SERVERS", "stun:stun.example.vn:3478, turns:turn.example.vn:5349",
                "RECEPTION_MEDIA_TURN_USERNAME", "reception", "RECEPTION_MEDIA_TURN_CREDENTIAL", "s3cret"), "--config=" + write(""));
        assertThat(c.mediaIceServers()).containsExactly(
                new IceServer("stun:stun.example.vn:3478", java.util.Optional.empty(), java.util.Optional.empty()),
                new IceServer("turns:turn.example.vn:5349", java.util.Optional.of("reception"), java.util.Optional.of("s3cret")));
        assertThat(c.toString()).contains("turns:turn.example.vn:5349").doesNotContain("s3cret");
        assertThat(load(Map.of(), "--config=" + write("")).mediaIceServers()).isEmpty();

        assertThatThrownBy(() -> load(Map.of(), "--config=" + write(""), "--media.ice-servers=https://turn.example.vn"))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("'media.ice-servers'").hasMessageContaining("https://turn.example.vn");
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write(""), "--media.ice-servers=turn:turn.example.vn"))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("'media.turn-username'");
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write(""), "--media.ice-servers=turn:turn.example.vn",
                "--media.turn-username=reception", "--media.turn-credential= "))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("media.turn-credential");
    }

    @Test
    void aBadPortNamesTheKeyTheValueAndWhatIsExpected() {
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write(""), "--http.port=eighty"))
                .isInstanceOf(ConfigProblem.class)
                .hasMessage("configuration key 'http.port' has value 'eighty': expected a port number 0..65535");
        assertThatThrownBy(() -> load(Map.of("RECEPTION_MEDIA_PORT", "70000"), "--config=" + write("")))
                .hasMessageContaining("'media.port'").hasMessageContaining("70000");
    }

    @Test
    void aBadBooleanOrAddressIsRefused() {
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write(""), "--https.enabled=maybe"))
                .hasMessage("configuration key 'https.enabled' has value 'maybe': expected true or false");
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write(""), "--media.public-address=my.host"))
                .hasMessageContaining("media.public-address").hasMessageContaining("address literal");
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write(""), "--media.advertised-addresses=10.0.0.300"))
                .hasMessageContaining("media.advertised-addresses");
    }

    @Test
    void unknownKeysAreErrorsNotSilentlyIgnored() {
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write(""), "--http.prot=8081"))
                .hasMessageStartingWith("unknown configuration key 'http.prot' on the command line");
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write("htp.port = 1\n")))
                .hasMessageStartingWith("unknown configuration key 'htp.port' in");
    }

    @Test
    void argumentsMustBeKeyValuePairs() {
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write(""), "http.port"))
                .hasMessageContaining("--key=value");
    }

    @Test
    void aMissingNamedConfigFileIsAnError() {
        assertThatThrownBy(() -> load(Map.of(), "--config=" + dir.resolve("nope.conf")))
                .hasMessageContaining("does not exist");
    }

    @Test
    void certificateAndKeyGoTogether() {
        assertThatThrownBy(() -> load(Map.of(), "--config=" + write(""), "--https.certificate-file=/x/cert.pem"))
                .hasMessageContaining("must be set together");
    }

    @Test
    void theShippedConfigFileDocumentsEveryKey() throws IOException {
        Path shipped = Path.of("..", "config", "reception.conf");
        String text = Files.readString(shipped);
        var defaults = com.typesafe.config.ConfigFactory.parseResources(ConfigSources.DEFAULTS_RESOURCE);
        for (String key : ConfigSources.knownKeys(defaults)) {
            assertThat(text).as("config/reception.conf documents " + key).contains(key + " =");
        }
        assertThat(load(Map.of(), "--config=" + shipped).httpPort()).isEqualTo(8080);
    }

    private Path write(String content) {
        try {
            Path file = Files.createTempFile(dir, "reception", ".conf");
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
