package org.citizenreception.media.conference;

/** The answer to a WHIP or WHEP offer, and the endpoint it created. */
public record SdpAnswerResult(String endpointId, String sdpAnswer) {
}
