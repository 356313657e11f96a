/** Offer/answer exchange for the client: WHIP/WHEP over HTTP or a direct in-process function. */
package org.citizenreception.client.signal;
