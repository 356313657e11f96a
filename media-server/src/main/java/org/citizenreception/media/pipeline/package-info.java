/**
 * The packet path as declared stages: {@link org.citizenreception.media.pipeline.PacketStage} is
 * the base type of every per-packet step (decrypt, split, route, record, fan out; rewrite, RTX,
 * protect, send), which counts packets, bytes, drops by reason and time per stage into a shared
 * {@link org.citizenreception.media.stats.StageMeter} and alone releases what a stage drops; a
 * {@link org.citizenreception.media.pipeline.Verdict} says whether a packet goes on.
 *
 * <p>The stages themselves live where their state lives (the {@code conference} package's receive
 * and send pipelines compose them in packet order); this package only holds the contract, so it
 * depends on nothing but {@code stats} and Netty.
 */
package org.citizenreception.media.pipeline;
