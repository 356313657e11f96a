package org.citizenreception.control.user;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Slows password guessing down with three counters, as OWASP's authentication cheat sheet
 * describes: per account and address ({@link #FREE_FAILURES}), per address over all accounts
 * ({@link #FREE_FAILURES_PER_ADDRESS}, password spraying), and per account over all addresses it
 * has never signed in from ({@link #FREE_FAILURES_PER_ACCOUNT}, guessing from many addresses). Past
 * a counter's allowance every further attempt waits a delay that doubles with each one (1 s, 2 s,
 * 4 s ... capped at {@link #MAX_DELAY}), answered 429 with Retry-After.
 *
 * <p><b>Reserved before the password is checked.</b> {@link #reserve} counts the attempt as a
 * failure up front, atomically for all its counters, and {@link #succeeded} takes it back; a check
 * that runs after the password hash (which takes a while) would let a burst of concurrent guesses
 * all pass the check before the first failure is counted. One lock: the work under it is a few map
 * operations, nothing next to the Argon2id run that follows.
 *
 * <p><b>No lock-out of the rightful user.</b> Failures from addresses that never signed in to an
 * account do not count against the same account at an address it did sign in from (its office PC):
 * someone guessing from elsewhere cannot keep its owner out; and every delay is capped, so nothing
 * locks forever.
 *
 * <p>Counts live in memory: a restart forgets them, which costs an attacker a restart per few guesses;
 * state in the database would make every failed guess a disk write. Entries idle for an hour are
 * dropped so the maps stay bounded.
 */
public final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 30;
    static final int FREE_FAILURES_PER_ACCOUNT = 20;
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final int SWEEP_ABOVE_ENTRIES = 10_000;
    /** Addresses remembered per account as "signed in from here before"; the oldest goes first. */
    private static final int TRUSTED_ADDRESSES_PER_ACCOUNT = 16;

    private record Failures(int count, Instant last, Instant blockedUntil) {
    }

    private final Clock clock;
    private final int freePerAccountAndAddress;
    private final int freePerAddress;
    private final int freePerAccount;
    private final Map<String, Failures> failures = new HashMap<>();
    private final Map<String, LinkedHashSet<String>> trustedAddresses = new HashMap<>();

    public LoginThrottle(Clock clock) {
        this(clock, FREE_FAILURES, FREE_FAILURES_PER_ADDRESS, FREE_FAILURES_PER_ACCOUNT);
    }

    LoginThrottle(Clock clock, int freePerAccountAndAddress, int freePerAddress, int freePerAccount) {
        this.clock = clock;
        this.freePerAccountAndAddress = freePerAccountAndAddress;
        this.freePerAddress = freePerAddress;
        this.freePerAccount = freePerAccount;
    }

    /**
     * Reserves one sign-in attempt, counted as a failure until {@link #succeeded}, or says how long
     * the caller must wait first (nothing is counted then).
     */
    public synchronized Optional<Duration> reserve(String username, String address) {
        Instant now = clock.instant();
        List<String> keys = keys(username, address);
        Duration wait = Duration.ZERO;
        for (String key : keys) {
            Failures f = failures.get(key);
            if (f != null && f.blockedUntil() != null && f.blockedUntil().isAfter(now)) {
                Duration d = Duration.between(now, f.blockedUntil());
                if (d.compareTo(wait) > 0) {
                    wait = d;
                }
            }
        }
        if (!wait.isZero()) {
            return Optional.of(wait);
        }
        for (String key : keys) {
            failures.compute(key, (k, f) -> next(f, now, allowance(k)));
        }
        if (failures.size() > SWEEP_ABOVE_ENTRIES) {
            failures.values().removeIf(f -> f.last().plus(FORGET_AFTER).isBefore(now));
        }
        return Optional.empty();
    }

    /** The reserved attempt succeeded: its counters are cleared and the address is trusted for the account. */
    public synchronized void succeeded(String username, String address) {
        for (String key : keys(username, address)) {
            failures.remove(key);
        }
        failures.remove(accountKey(username));
        LinkedHashSet<String> trusted = trustedAddresses.computeIfAbsent(account(username), u -> new LinkedHashSet<>());
        trusted.remove(address);
        trusted.add(address);
        if (trusted.size() > TRUSTED_ADDRESSES_PER_ACCOUNT) {
            trusted.remove(trusted.iterator().next());
        }
        if (trustedAddresses.size() > SWEEP_ABOVE_ENTRIES) {
            trustedAddresses.clear();
        }
    }

    private int allowance(String key) {
        return switch (key.charAt(0)) {
            case 'p' -> freePerAccountAndAddress;
            case 'a' -> freePerAddress;
            default -> freePerAccount;
        };
    }

    private static Failures next(Failures f, Instant now, int free) {
        int count = f == null || f.last().plus(FORGET_AFTER).isBefore(now) ? 1 : f.count() + 1;
        Instant blockedUntil = null;
        if (count >= free) {
            long seconds = 1L << Math.min(20, count - free);
            blockedUntil = now.plus(Duration.ofSeconds(Math.min(seconds, MAX_DELAY.toSeconds())));
        }
        return new Failures(count, now, blockedUntil);
    }

    /** The pair and the address always; the account-wide counter only from an address the account never signed in from. */
    private List<String> keys(String username, String address) {
        String account = account(username);
        List<String> keys = new ArrayList<>(3);
        keys.add("p:" + account + "\n" + address);
        keys.add("a:" + address);
        Set<String> trusted = trustedAddresses.get(account);
        if (trusted == null || !trusted.contains(address)) {
            keys.add(accountKey(username));
        }
        return keys;
    }

    private static String accountKey(String username) {
        return "u:" + account(username);
    }

    private static String account(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
