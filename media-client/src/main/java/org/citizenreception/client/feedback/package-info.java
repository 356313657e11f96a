/**
 * What a libwebrtc receiver sends back to the sender, written the way libwebrtc times it: transport-wide
 * congestion control feedback ({@link org.citizenreception.client.feedback.TransportCcReceiver}), generic NACKs
 * with retries ({@link org.citizenreception.client.feedback.NackRequester}) and the one periodic timer that drives
 * every viewer of an event loop ({@link org.citizenreception.client.feedback.FeedbackTicker}). Used by
 * {@link org.citizenreception.client.Viewer} on its event loop only; nothing here is thread-safe.
 */
package org.citizenreception.client.feedback;
