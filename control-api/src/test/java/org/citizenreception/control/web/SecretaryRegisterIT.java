package org.citizenreception.control.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A secretary's first morning at the register, keyboard only: petition after petition saved with
 * Alt+N, typing, Tab and Enter or Ctrl+Enter, each one shown as saved and in the live register,
 * never as an error or a leftover draft; a missing required field reported beside that field.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretaryRegisterIT {
    @TempDir
    static Path dir;
    static WebServer server;
    static Browser browser;
    static WebFixture fixture;
    static long sessionId;

    @BeforeAll
    static void start() throws Exception {
        server = WebServer.start(dir);
        browser = new Browser(server.baseUrl(), dir.resolve("chrome-profile"));
        fixture = new WebFixture(server);
        fixture.createUser("chutri", "Chủ tịch UBND tỉnh", "HOST");
        fixture.createUser("thuky", "Thư ký Lan", "SECRETARY");
        sessionId = fixture.liveSession("Tiếp công dân định kỳ tháng 12", "chutri");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void fresh() {
        browser.open("/signin");
        browser.js("localStorage.clear();");
        browser.open("/signin");
    }

    /** One petition as typed: the kind's digit in the kind group, the petitioner, the content, and how it is saved. */
    private record Typed(String kindDigit, String kind, String name, String idNumber, String address, String summary, boolean saveWithEnter) {
    }

    @Test
    @Order(1)
    void three_petitions_typed_in_a_row_with_the_keyboard_are_each_saved_and_in_the_live_register() throws Exception {
        browser.signIn("thuky", WebFixture.passwordOf("thuky"));
        browser.go("/secretary/" + sessionId, "#petition-form");
        browser.waitFor("#live-state.connected");
        List<Typed> petitions = List.of(
                new Typed("1", "COMPLAINT", "Nguyễn Văn An", "022086001234", "Tổ 3, khu 5, phường Hồng Gai",
                        "Khiếu nại việc thu hồi đất làm đường tỉnh 342 chưa bồi thường đủ.", false),
                new Typed("2", "DENUNCIATION", "Trần Thị Bích", "", "Thôn Đồng Cao, xã Thống Nhất",
                        "Tố cáo cán bộ địa chính xã nhận tiền khi làm thủ tục.", true),
                new Typed("4", "REFLECTION", "Lê Văn Cường", "022090004567", "Khu 2, phường Bãi Cháy",
                        "Phản ánh đèn đường khu 2 hỏng đã ba tháng.", false));
        List<String> registerNumbers = new ArrayList<>();
        for (int i = 0; i < petitions.size(); i++) {
            Typed p = petitions.get(i);
            type(p);
            // Saved: the register grows, the note says which number it got, and no error is shown.
            int expected = i + 1;
            waitForRegisterSize(expected);
            browser.waitForText("#register .petition:first-child .summary", p.summary());
            String number = browser.find("#register .petition:first-child .reg-no").getText();
            registerNumbers.add(number);
            browser.waitForText("#save-status", number);
            assertThat(browser.find("#save-status").getText()).startsWith("Đã ghi sổ đơn số");
            assertThat(visibleText("#petition-form .form-error")).as("no error after a successful save").isEmpty();
            assertThat(browser.find("#draft-note").getText()).as("nothing left as a draft").isEmpty();
            assertThat(browser.find("textarea[name='summary']").getAttribute("value")).isEmpty();
            assertThat(browser.find("input[name='p0.name']").getAttribute("value")).isEmpty();
            // Ready for the next one: a kind chosen and the focus in the kind group, where Alt+N leads.
            assertThat(browser.js("return document.querySelector('#petition-form input[name=kind]:checked')?.value;")).isEqualTo("COMPLAINT");
            assertThat(browser.js("return document.activeElement.name;")).isEqualTo("kind");
        }
        assertThat(registerNumbers).doesNotHaveDuplicates();
        assertThat(draftStaysAway(Duration.ofMillis(1500))).as("no draft written after the last save").isTrue();
        browser.screenshotForDocs("secretary-saved-vi");

        // The server holds exactly these three, each once, with the kinds chosen by digit.
        JsonNode stored = fixture.petitions(sessionId, fixture.login("thuky", WebFixture.passwordOf("thuky")));
        assertThat(stored).hasSize(3);
        List<String> kinds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        stored.forEach(x -> {
            kinds.add(x.get("kind").asText());
            names.add(x.get("petitioners").get(0).get("name").asText());
        });
        assertThat(kinds).containsExactlyInAnyOrder("COMPLAINT", "DENUNCIATION", "REFLECTION");
        assertThat(names).contains("Nguyễn Văn An", "Lê Văn Cường");
    }

    @Test
    @Order(2)
    void a_missing_address_is_reported_beside_the_address_without_breaking_the_row() throws Exception {
        browser.signIn("thuky", WebFixture.passwordOf("thuky"));
        browser.go("/secretary/" + sessionId, "#petition-form");
        // The server requires each petitioner's name and address (LTCD Art. 25(2)): the form marks both.
        for (String name : List.of("p0.name", "p0.address")) {
            WebElement input = browser.find("input[name='" + name + "']");
            assertThat(input.getAttribute("required")).as(name + " is required").isNotNull();
            assertThat(browser.find("label[for='" + input.getAttribute("id") + "'] .req").getText()).isEqualTo("*");
        }
        assertThat(browser.find("input[name='p0.idNumber']").getAttribute("required")).isNull();
        int before = fixture.petitions(sessionId, fixture.adminToken).size();
        waitForRegisterSize(before);

        active().sendKeys(Keys.chord(Keys.ALT, "n"));
        active().sendKeys("1");
        tabTo("p0.name");
        active().sendKeys("Phạm Thị Dung");
        tabTo("summary");
        active().sendKeys("Khiếu nại quyết định xử phạt hành chính.");
        active().sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));

        browser.waitForText("[data-field='p0.address'] .field-error", "Vui lòng nhập mục này");
        assertThat(browser.find("input[name='p0.address']").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.js("return document.activeElement.name;")).isEqualTo("p0.address");
        // Beside its field: the row's three inputs stay on one line, the message under the address only.
        Object distinctTops = browser.js("return new Set(['p0.name','p0.idNumber','p0.address']"
                + ".map(n => Math.round(document.querySelector(`[name='${n}']`).getBoundingClientRect().top))).size;");
        assertThat(((Number) distinctTops).intValue()).as("inputs of the petitioner's row stay aligned").isEqualTo(1);
        Object errorBelowAddress = browser.js("const e = document.querySelector(\"[data-field='p0.address'] .field-error\").getBoundingClientRect();"
                + "const i = document.querySelector(\"[name='p0.address']\").getBoundingClientRect();"
                + "return e.top >= i.bottom - 1 && e.left >= i.left - 1 && e.right <= i.right + 1;");
        assertThat(errorBelowAddress).isEqualTo(true);
        browser.screenshotForDocs("secretary-required-vi");
        // The screenshot helper blurs the focus (no focus ring in pictures); give it back where it was.
        browser.js("document.querySelector(\"[name='p0.address']\").focus();");

        // Typing the address and saving with Enter completes it; nothing was registered before.
        assertThat(browser.findAll("#register .petition")).hasSize(before);
        active().sendKeys("Số 12, đường Lê Thánh Tông");
        active().sendKeys(Keys.ENTER);
        waitForRegisterSize(before + 1);
        browser.waitForText("#save-status", "Đã ghi sổ đơn số");
        assertThat(visibleText("[data-field='p0.address'] .field-error")).isEmpty();
    }

    /** Types one petition the way a secretary does: Alt+N, the kind's digit, Tab through the fields, save. */
    private void type(Typed p) {
        active().sendKeys(Keys.chord(Keys.ALT, "n"));
        assertThat(browser.js("return document.activeElement.name;")).as("Alt+N leads to the kind group").isEqualTo("kind");
        active().sendKeys(p.kindDigit());
        assertThat(browser.js("return document.activeElement.value;")).isEqualTo(p.kind());
        tabTo("p0.name");
        active().sendKeys(p.name(), Keys.TAB);
        active().sendKeys(p.idNumber(), Keys.TAB);
        active().sendKeys(p.address());
        tabTo("summary");
        active().sendKeys(p.summary());
        if (p.saveWithEnter()) {
            // Back to the address and Enter, as one does after correcting the last field typed.
            for (int i = 0; i < 6 && !"p0.address".equals(browser.js("return document.activeElement.name;")); i++) {
                active().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
            }
            active().sendKeys(Keys.ENTER);
        } else {
            active().sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        }
    }

    private static void waitForRegisterSize(int n) {
        try {
            new WebDriverWait(browser.driver, Duration.ofSeconds(15), Browser.POLL).until(d -> browser.findAll("#register .petition").size() == n);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the register never held " + n + " petitions; the form says: " + browser.find("#petition-form").getText(), e);
        }
    }

    private static WebElement active() {
        return browser.driver.switchTo().activeElement();
    }

    /** Presses Tab until the named field has the focus; fails if it is not reached within a form's length. */
    private static void tabTo(String name) {
        for (int i = 0; i < 12; i++) {
            if (name.equals(browser.js("return document.activeElement.name;"))) {
                return;
            }
            active().sendKeys(Keys.TAB);
        }
        throw new AssertionError("Tab never reached " + name + "; focus is on " + browser.js("return document.activeElement.outerHTML;"));
    }

    private static String visibleText(String css) {
        Object text = browser.js("const e = document.querySelector(arguments[0]); return e && !e.hidden && e.offsetParent !== null ? e.innerText.trim() : '';", css);
        return text == null ? "" : text.toString();
    }

    /** True when no petition draft is stored at any poll during {@code window} (a draft written late by a debounce would show). */
    private static boolean draftStaysAway(Duration window) {
        long end = System.nanoTime() + window.toNanos();
        do {
            Object drafts = browser.js("return Object.keys(localStorage).filter(k => k.startsWith('crl.draft.petition.')).length;");
            if (((Number) drafts).intValue() > 0) {
                return false;
            }
        } while (System.nanoTime() < end);
        return true;
    }
}
