package org.citizenreception.media.ice;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the host candidates to advertise when none are configured: the addresses a browser on
 * another machine can reach this one at.
 *
 * <p>Kept: every global or site-local address, IPv4 and IPv6, of an interface that is up and is
 * not a container or VM bridge; IPv4 before IPv6 (the first is the answer's default and an IPv4
 * path is the one most rooms have), each family in the order the system lists its interfaces;
 * then 127.0.0.1 last, so a browser on the server itself always connects. Skipped, each with its
 * reason: interfaces that are down; loopback interfaces (apart from that last 127.0.0.1);
 * interfaces whose name says they are a container or VM bridge ({@link #VIRTUAL_PREFIXES}): a room
 * never reaches them and every extra candidate costs each client a failing check; link-local
 * addresses (fe80::/10, 169.254/16), which need a scope the peer does not have.
 *
 * <p>{@link #select} is a pure function over interface descriptions, so the rules are testable
 * without the machine; {@link #ofThisMachine} reads the real ones.
 */
public final class HostAddresses {
    /** Interface name prefixes of Docker, Podman, libvirt, LXC/LXD, VirtualBox, VMware and Kubernetes CNIs. */
    public static final List<String> VIRTUAL_PREFIXES = List.of("docker", "br-", "virbr", "veth", "vnet", "cni",
            "flannel", "kube", "cali", "weave", "vxlan", "lxcbr", "lxdbr", "podman", "vboxnet", "vmnet");
    private static final String LOOPBACK = "127.0.0.1";

    /** What {@link #select} needs to know of one network interface. */
    public record Interface(String name, boolean up, boolean loopback, List<InetAddress> addresses) {
        public Interface {
            addresses = List.copyOf(addresses);
        }
    }

    /** An address not advertised, and why (for the start-up log). */
    public record Skipped(String interfaceName, String address, String reason) {
        @Override
        public String toString() {
            return address + " on " + interfaceName + " (" + reason + ")";
        }
    }

    /** @param advertised addresses in canonical text form ({@code fd00::2}), in order of preference */
    public record Selection(List<String> advertised, List<Skipped> skipped) {
        public Selection {
            advertised = List.copyOf(advertised);
            skipped = List.copyOf(skipped);
        }
    }

    private HostAddresses() {
    }

    public static Selection select(List<Interface> interfaces) {
        List<String> ipv4 = new ArrayList<>();
        List<String> ipv6 = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Interface nif : interfaces) {
            String interfaceReason = !nif.up() ? "interface down"
                    : nif.loopback() ? "loopback"
                    : isVirtual(nif.name()) ? "container or VM bridge"
                    : null;
            for (InetAddress address : nif.addresses()) {
                String text = NetUtil.toAddressString(address);
                String reason = interfaceReason != null ? interfaceReason
                        : address.isLinkLocalAddress() ? "link-local"
                        : address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()
                        ? "not a unicast host address" : null;
                if (reason == null) {
                    List<String> family = address instanceof Inet4Address ? ipv4 : ipv6;
                    if (!family.contains(text)) {
                        family.add(text);
                    }
                } else if (!nif.loopback()) {
                    skipped.add(new Skipped(nif.name(), text, reason));
                }
            }
        }
        List<String> advertised = new ArrayList<>(ipv4);
        advertised.addAll(ipv6);
        advertised.add(LOOPBACK);
        return new Selection(advertised, skipped);
    }

    static boolean isVirtual(String interfaceName) {
        String name = interfaceName.toLowerCase(Locale.ROOT);
        return VIRTUAL_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** The interfaces the system lists now; none when it cannot list them (127.0.0.1 is still advertised). */
    public static List<Interface> ofThisMachine() {
        List<Interface> found = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                try {
                    found.add(new Interface(nif.getName(), nif.isUp(), nif.isLoopback(), Collections.list(nif.getInetAddresses())));
                } catch (SocketException gone) {
                    // removed while we listed: nothing to advertise on it
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return found;
    }
}
