/**
 * Meters and snapshots: {@link org.citizenreception.media.stats.MediaMetrics} (Micrometer, prefix
 * {@code reception_media_}) and {@link org.citizenreception.media.stats.EndpointStats} (handed to
 * the embedding application). Any package of the media server may record here; nothing here calls out.
 */
package org.citizenreception.media.stats;
