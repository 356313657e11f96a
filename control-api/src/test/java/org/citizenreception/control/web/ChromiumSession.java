package org.citizenreception.control.web;

import java.net.URL;
import java.util.Map;
import org.citizenreception.media.testing.WebDriverChromium;
import org.openqa.selenium.Capabilities;
import org.openqa.selenium.remote.CommandInfo;
import org.openqa.selenium.remote.HttpCommandExecutor;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.remote.http.HttpMethod;

/**
 * A Selenium session with Debian's chromedriver, which this class starts with {@code --port=0} and
 * reads the port it bound (Selenium's {@code usingAnyFreePort()} picks a free port, closes it and
 * hands it to the driver: another server starting in parallel can take it in between). Adds
 * chromedriver's Chrome DevTools command, which only Selenium's own ChromeDriver knows.
 */
final class ChromiumSession extends RemoteWebDriver {
    private static final String CDP = "executeCdpCommand";
    private final Process chromedriver;

    private ChromiumSession(Process chromedriver, URL address, Capabilities options) {
        super(new HttpCommandExecutor(Map.of(CDP, new CommandInfo("/session/:sessionId/goog/cdp/execute", HttpMethod.POST)),
                address), options);
        this.chromedriver = chromedriver;
    }

    static ChromiumSession start(Capabilities options) {
        Process chromedriver = null;
        try {
            chromedriver = new ProcessBuilder(WebDriverChromium.CHROMEDRIVER.toString(), "--port=0")
                    .redirectErrorStream(true).start();
            int port = WebDriverChromium.boundPort(chromedriver);
            return new ChromiumSession(chromedriver, new URL("http://127.0.0.1:" + port), options);
        } catch (Exception e) {
            if (chromedriver != null) {
                chromedriver.destroyForcibly();
            }
            throw new IllegalStateException("chromedriver did not start a session", e);
        }
    }

    /** Runs a Chrome DevTools Protocol command in the page (emulation, printing, downloads). */
    @SuppressWarnings("unchecked")
    Map<String, Object> executeCdpCommand(String command, Map<String, ?> parameters) {
        return (Map<String, Object>) execute(CDP, Map.of("cmd", command, "params", parameters)).getValue();
    }

    @Override
    public void quit() {
        try {
            super.quit();
        } finally {
            chromedriver.destroy();
        }
    }
}
