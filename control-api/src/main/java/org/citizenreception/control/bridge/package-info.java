/**
 * Media bridges of their own (issue 16): the standalone bridge process ({@link
 * org.citizenreception.control.bridge.BridgeProcess}, its HTTP API {@link
 * org.citizenreception.control.bridge.BridgeApi} and its link back to control-api {@link
 * org.citizenreception.control.bridge.ControlLink}), and control-api's side of them: the registry of
 * bridges and their load ({@link org.citizenreception.control.bridge.BridgeRegistry}), where each
 * endpoint goes ({@link org.citizenreception.control.bridge.BridgePlacement}), the client that drives
 * them ({@link org.citizenreception.control.bridge.RemoteConferenceBridges}) and the routes bridges
 * and administrators call ({@link org.citizenreception.control.bridge.BridgeController}). Both sides
 * authenticate with {@link org.citizenreception.control.bridge.BridgeToken}. The wire format is
 * {@link org.citizenreception.control.bridge.BridgeWire}.
 */
package org.citizenreception.control.bridge;
