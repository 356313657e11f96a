/**
 * Hand raising and the floor: room operators raise and lower hands, the host grants the floor to
 * one room at a time and revokes it. Each grant and revoke is told to {@link
 * org.citizenreception.control.floor.FloorListener}s (the media bridge adapter) after it commits.
 */
package org.citizenreception.control.floor;
