package org.citizenreception.control.http;

import org.citizenreception.control.user.AuthController;
import org.citizenreception.control.user.UserController;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * JSON request bodies read into the control API's input records by {@link JsonBody}, the way every
 * route reads them (its mapper, its error translation). Contract: a body gives a value or an
 * {@link ApiException} 400 saying what is wrong — never another exception, which the routes would
 * answer with a 500.
 */
class JsonBodyFuzzTest {
    /** Every type a route reads with {@code JsonBody.read} (some are package-private, hence by name). */
    private static final List<Class<?>> INPUTS = List.of(JsonNode.class,
            type("org.citizenreception.control.session.SessionInput"),
            type("org.citizenreception.control.session.ScheduleInput"),
            type("org.citizenreception.control.session.SessionController$StateInput"),
            type("org.citizenreception.control.session.JoinLinks$Request"),
            type("org.citizenreception.control.petition.PetitionInput"),
            type("org.citizenreception.control.petition.PetitionCommands$StatusInput"),
            type("org.citizenreception.control.petition.PetitionCommands$AnnotationInput"),
            type("org.citizenreception.control.petition.PetitionCommands$ExtensionInput"),
            type("org.citizenreception.control.petition.PetitionCommands$SplitInput"),
            type("org.citizenreception.control.petition.CaseCommands$StepInput"),
            type("org.citizenreception.control.petition.CaseCommands$LinkInput"),
            type("org.citizenreception.control.petition.CaseCommands$HistoryQuery"),
            type("org.citizenreception.control.agency.AgencyService$AgencyInput"),
            type("org.citizenreception.control.session.LeaderService$LeaderInput"),
            type("org.citizenreception.control.message.RoomMessageController$MessageInput"),
            type("org.citizenreception.control.message.RoomMessageController$ReplyInput"),
            type("org.citizenreception.control.room.RoomController$CreateRequest"),
            type("org.citizenreception.control.floor.FloorController$RoomInput"),
            type("org.citizenreception.control.attendance.AttendanceController$OfficialInput"),
            type("org.citizenreception.control.attendance.AttendanceController$CitizensInput"),
            type("org.citizenreception.control.user.UserController$CreateRequest"),
            type("org.citizenreception.control.user.AuthController$LoginRequest"),
            type("org.citizenreception.control.user.AuthController$PasswordChange"),
            type("org.citizenreception.control.recording.RecordingController$DisposalInput"));

    @FuzzTest(maxDuration = "10m")
    void bodiesAreReadOrRefusedWithA400(FuzzedDataProvider data) {
        Class<?> type = data.pickValue(INPUTS);
        byte[] body = data.consumeRemainingAsBytes();
        try {
            JsonBody.parse(body, type);
        } catch (ApiException refusal) {
            assertThat(refusal.status()).isEqualTo(400);
            assertThat(refusal.toProblem("/fuzz").detail()).isNotBlank();
        }
    }

    private static Class<?> type(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a route's input type moved: " + name, e);
        }
    }
}
