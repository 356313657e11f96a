/**
 * The load generator of issue 6 ({@link org.citizenreception.bench.LoadGenerator}): one publisher,
 * N viewers over WHIP/WHEP built on {@code media-client}, the server process read from /proc.
 * {@code bench/run.sh} drives sweeps and writes the Markdown report under {@code bench/results/}.
 */
package org.citizenreception.bench;
