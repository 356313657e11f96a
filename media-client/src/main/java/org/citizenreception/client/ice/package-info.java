/**
 * The controlling side of ICE as the client needs it: STUN binding requests and responses built
 * with ice4j's message classes ({@link org.citizenreception.client.ice.StunCodec}).
 */
package org.citizenreception.client.ice;
