package org.citizenreception.control.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.citizenreception.control.error.ForbiddenException;
import org.citizenreception.control.error.UnauthenticatedException;
import org.citizenreception.control.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** A playback link opens its own recording until it expires, and nothing else. */
class PlaybackLinksTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final PlaybackLinks links = new PlaybackLinks(clock, Duration.ofMinutes(10));

    @Test
    void aLinkOpensItsRecordingUntilItExpires() {
        PlaybackLinks.Link link = links.issue(7);
        Map<String, String> q = query(link.url());
        assertThat(link.url()).startsWith("/api/v1/recordings/7/stream?").doesNotContainIgnoringCase("token");
        assertThat(link.downloadUrl()).isEqualTo(link.url() + "&download=1");
        assertThat(link.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        assertThatCode(() -> links.check(7, q.get("exp"), q.get("sig"))).doesNotThrowAnyException();

        clock.advance(Duration.ofMinutes(10));
        assertThat(status(() -> links.check(7, q.get("exp"), q.get("sig")))).as("expired").isEqualTo(403);
    }

    @Test
    void aLinkForAnotherRecordingAnAlteredOneOrNoneIsRefused() {
        Map<String, String> q = query(links.issue(7).url());
        String sig = q.get("sig");
        String flipped = (sig.charAt(0) == '0' ? '1' : '0') + sig.substring(1);
        long laterExp = Long.parseLong(q.get("exp")) + 3600;

        assertThat(status(() -> links.check(8, q.get("exp"), sig))).as("another recording").isEqualTo(403);
        assertThat(status(() -> links.check(7, q.get("exp"), flipped))).as("altered signature").isEqualTo(403);
        assertThat(status(() -> links.check(7, String.valueOf(laterExp), sig))).as("extended expiry").isEqualTo(403);
        assertThat(status(() -> links.check(7, q.get("exp"), "not-hex"))).isEqualTo(403);
        assertThat(status(() -> links.check(7, null, null))).as("no link").isEqualTo(401);
        assertThat(status(() -> new PlaybackLinks(clock, Duration.ofMinutes(10)).check(7, q.get("exp"), sig)))
                .as("another process's key (a restart voids links)").isEqualTo(403);
    }

    private static int status(Runnable check) {
        try {
            check.run();
        } catch (ForbiddenException e) {
            return 403;
        } catch (UnauthenticatedException e) {
            return 401;
        }
        throw new AssertionError("the link was accepted");
    }

    private static Map<String, String> query(String url) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return q;
    }
}
