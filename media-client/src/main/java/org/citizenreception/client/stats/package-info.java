/** Receive-side accounting for viewers: sequence tracking and latency histograms. Not thread-safe. */
package org.citizenreception.client.stats;
