package org.citizenreception.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.citizenreception.media.ice.HostAddresses.Interface;
import org.citizenreception.media.ice.HostAddresses.Selection;
import org.citizenreception.media.ice.HostAddresses.Skipped;
import org.junit.jupiter.api.Test;

class HostAddressesTest {
    private static final Interface LO = new Interface("lo", true, true, addresses("127.0.0.1", "::1"));

    @Test
    void aDualStackServerAdvertisesItsIpv4ThenItsIpv6AddressThenLoopbackAndSkipsLinkLocal() throws Exception {
        Interface eth0 = new Interface("eth0", true, false, List.of(scoped("fd00:0:0:0:0:0:0:2", 2),
                scoped("fe80:0:0:0:fc:ff:fe00:1", 2), InetAddress.getByName("192.0.2.2")));

        Selection selection = HostAddresses.select(List.of(LO, eth0));

        assertThat(selection.advertised()).containsExactly("192.0.2.2", "fd00::2", "127.0.0.1");
        assertThat(selection.skipped()).containsExactly(new Skipped("eth0", "fe80::fc:ff:fe00:1", "link-local"));
    }

    @Test
    void containerAndVmBridgesAreSkippedWithTheirReason() {
        List<Interface> interfaces = List.of(LO,
                new Interface("docker0", true, false, addresses("172.17.0.1")),
                new Interface("br-1a2b3c4d5e6f", true, false, addresses("172.18.0.1")),
                new Interface("virbr0", true, false, addresses("192.168.122.1")),
                new Interface("veth12ab", true, false, addresses("169.254.3.3")),
                new Interface("cni0", true, false, addresses("10.244.0.1")),
                new Interface("flannel.1", true, false, addresses("10.244.0.0")),
                new Interface("kube-ipvs0", true, false, addresses("10.96.0.1")),
                new Interface("enp3s0", true, false, addresses("198.18.0.5")));

        Selection selection = HostAddresses.select(interfaces);

        assertThat(selection.advertised()).containsExactly("198.18.0.5", "127.0.0.1");
        assertThat(selection.skipped()).extracting(Skipped::interfaceName)
                .containsExactly("docker0", "br-1a2b3c4d5e6f", "virbr0", "veth12ab", "cni0", "flannel.1", "kube-ipvs0");
        assertThat(selection.skipped()).extracting(Skipped::reason).containsOnly("container or VM bridge");
    }

    @Test
    void aDownInterfaceAndIpv4LinkLocalAreSkipped() {
        Selection selection = HostAddresses.select(List.of(
                new Interface("eth1", false, false, addresses("198.18.1.1")),
                new Interface("eth0", true, false, addresses("169.254.10.20", "2001:db8::5"))));

        assertThat(selection.advertised()).containsExactly("2001:db8::5", "127.0.0.1");
        assertThat(selection.skipped()).containsExactly(new Skipped("eth1", "198.18.1.1", "interface down"),
                new Skipped("eth0", "169.254.10.20", "link-local"));
        assertThat(selection.skipped().get(0)).hasToString("198.18.1.1 on eth1 (interface down)");
    }

    @Test
    void withNoInterfacesListedLoopbackAloneIsAdvertisedAndAnAddressOnTwoInterfacesOnce() {
        assertThat(HostAddresses.select(List.of()).advertised()).containsExactly("127.0.0.1");
        assertThat(HostAddresses.select(List.of(new Interface("eth0", true, false, addresses("198.18.0.1")),
                new Interface("eth0:1", true, false, addresses("198.18.0.1")))).advertised())
                .containsExactly("198.18.0.1", "127.0.0.1");
    }

    @Test
    void thisMachinesSelectionAlwaysEndsWithLoopbackAndNeverHasLinkLocalOrFullFormIpv6() {
        Selection selection = HostAddresses.select(HostAddresses.ofThisMachine());

        assertThat(selection.advertised()).last().isEqualTo("127.0.0.1");
        assertThat(selection.advertised()).noneMatch(a -> a.startsWith("fe80") || a.startsWith("169.254.")
                || a.contains("%") || a.contains(":0:0:"));
    }

    private static List<InetAddress> addresses(String... literals) {
        return Arrays.stream(literals).map(a -> {
            try {
                return InetAddress.getByName(a);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(a, e);
            }
        }).toList();
    }

    private static Inet6Address scoped(String literal, int scope) throws UnknownHostException {
        return Inet6Address.getByAddress(null, InetAddress.getByName(literal).getAddress(), scope);
    }
}
