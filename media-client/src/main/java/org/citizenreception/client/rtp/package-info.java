/**
 * RTP/RTCP on plain byte arrays for the client: header view and writer, VP8 descriptor, RTCP
 * builders and a compound walker. No network, no state beyond the object in hand.
 */
package org.citizenreception.client.rtp;
