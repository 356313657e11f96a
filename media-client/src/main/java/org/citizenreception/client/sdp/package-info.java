/**
 * SDP as a browser writes it: {@link org.citizenreception.client.sdp.SdpOfferBuilder} builds our
 * offer, {@link org.citizenreception.client.sdp.SdpAnswer} reads the parts of the answer the peer needs.
 * Callers: {@code org.citizenreception.client} only; nothing here touches the network.
 */
package org.citizenreception.client.sdp;
