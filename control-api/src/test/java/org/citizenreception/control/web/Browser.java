package org.citizenreception.control.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's chromedriver (Selenium Manager never runs, nothing
 * is downloaded), with the flags TESTING.md lists: fake camera and microphone, loopback ICE, a fresh
 * profile. One per test class: a browser start costs seconds on two shared cores.
 */
final class Browser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** With -Dscreenshots.publish=true the screenshots are also copied to docs/screenshots for the README. */
    static final boolean PUBLISH = Boolean.getBoolean("screenshots.publish");
    /**
     * How often a wait on the page looks again. Selenium's default (500 ms) is added to almost every
     * step, since a page rarely shows the awaited element at the first look: over the browser tests'
     * several hundred waits that was minutes of waiting for nothing. A look is one round trip to
     * chromedriver, cheap next to what the page itself does.
     */
    static final Duration POLL = Duration.ofMillis(100);

    final ChromiumSession driver;
    private final String baseUrl;
    private int loads;

    Browser(String baseUrl, Path profileDir) {
        this(baseUrl, profileDir, 15);
    }

    /** @param fakeCameraFps the fake camera's frame rate (media tests need 30 to count decoded frames) */
    Browser(String baseUrl, Path profileDir, int fakeCameraFps) {
        this(baseUrl, profileDir, fakeCameraFps, null);
    }

    /**
     * @param fakeCameraFile a .y4m picture the fake camera plays in a loop instead of its own 640x480
     *                       pattern, or null: a small file keeps encoding cheap whatever resolution
     *                       the page asks for (the camera cannot deliver more than the file has)
     */
    Browser(String baseUrl, Path profileDir, int fakeCameraFps, Path fakeCameraFile) {
        this(baseUrl, profileDir, fakeCameraFps, fakeCameraFile, List.of());
    }

    /** @param extraArguments further Chromium flags (e.g. to treat a plain-HTTP origin on another machine as secure) */
    Browser(String baseUrl, Path profileDir, int fakeCameraFps, Path fakeCameraFile, List<String> extraArguments) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/lib/chromium/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream=fps=" + fakeCameraFps, "--allow-loopback-in-peer-connection",
                "--autoplay-policy=no-user-gesture-required", "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows", "--window-size=1280,860", "--lang=vi",
                "--user-data-dir=" + profileDir.toAbsolutePath());
        if (fakeCameraFile != null) {
            options.addArguments("--use-file-for-fake-video-capture=" + fakeCameraFile.toAbsolutePath());
        }
        options.addArguments(extraArguments);
        // The console log (CSP violations among it) is read back by tests through consoleLog().
        org.openqa.selenium.logging.LoggingPreferences logging = new org.openqa.selenium.logging.LoggingPreferences();
        logging.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
        this.driver = ChromiumSession.start(options);
        this.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        this.baseUrl = baseUrl;
    }

    /** Opens a hash route and waits until the app has booted and rendered it. */
    void open(String hash) {
        // A new query string forces a real page load; a changed hash alone would not reload the app.
        driver.get(baseUrl + "?load=" + (++loads) + "#" + hash);
        try {
            new WebDriverWait(driver, Duration.ofSeconds(15), POLL).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-ready='true']")));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the app did not boot at " + driver.getCurrentUrl() + "; page:\n" + driver.getPageSource(), e);
        }
    }

    /** Switches route inside the running app (no reload), then waits for a selector of the new page. */
    void go(String hash, String readySelector) {
        js("window.location.hash = arguments[0];", hash);
        waitFor(readySelector);
    }

    WebElement waitFor(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(15), POLL).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    void waitForText(String css, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(15), POLL).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Makes the current tab's viewport exactly {@code width} x {@code height} CSS pixels (a window
     * size would include whatever the headless window adds), until {@link #defaultViewport}.
     */
    void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    void defaultViewport() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
    }

    /** The browser console's messages since the last call (Chromium hands each message out once). */
    List<String> consoleLog() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    }

    /** Sets the UI language the way a user does: the toggle in the top bar, if it is not already current. */
    void language(String lang) {
        if (!lang.equals(js("return document.documentElement.lang;"))) {
            find("#lang-toggle").click();
            new WebDriverWait(driver, Duration.ofSeconds(10), POLL).until(d -> lang.equals(js("return document.documentElement.lang;")));
        }
    }

    void signIn(String username, String password) {
        open("/signin");
        WebElement user = waitFor("input[name='username']");
        user.clear();
        user.sendKeys(username);
        find("input[name='password']").sendKeys(password);
        find("form button[type='submit']").click();
        waitFor("#home-today, .tabs, #register, #room-wall, #program");
    }

    void signOut() {
        js("localStorage.removeItem('crl.auth');");
    }

    /** Writes target/screenshots/{name}.png. */
    Path screenshot(String name) {
        return screenshot(name, false);
    }

    /** Writes target/screenshots/{name}.png and, with -Dscreenshots.publish=true, docs/screenshots for the README. */
    Path screenshotForDocs(String name) {
        return screenshot(name, true);
    }

    private Path screenshot(String name, boolean forDocs) {
        try {
            js("document.activeElement && document.activeElement.blur && document.activeElement.blur();");
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            if (forDocs && PUBLISH) {
                Path docs = repositoryRoot().resolve("docs").resolve("screenshots");
                Files.createDirectories(docs);
                Files.copy(file, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("web-client")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found");
    }

    @Override
    public void close() {
        driver.quit();
    }
}
