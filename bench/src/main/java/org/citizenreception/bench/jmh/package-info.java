/**
 * JMH microbenchmarks of the bridge's per-packet path, run by {@code bench/jmh.sh} (never by the
 * test suite): SRTP protect and unprotect for each profile the bridge negotiates, the per-viewer
 * copy and RTP rewrite, and the retransmission buffer's insert and lookup. Each benchmark works on
 * pooled direct buffers the way the bridge does, and releases what it takes.
 */
package org.citizenreception.bench.jmh;
