/** SRTP/SRTCP glue over jitsi-srtp for one peer; confined to that peer's event loop. */
package org.citizenreception.client.srtp;
