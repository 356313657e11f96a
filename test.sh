#!/usr/bin/env bash
# Runs every test. Installs the Debian packages the tests need when they are missing:
#   chromium + chromium-driver (browser tests), libpulse0 (webrtc-java's native library), ffmpeg (test video),
#   nftables (ReceptionDayIT cuts a room's UDP with nft; it must run as root), iproute2 (the dual-stack test host: ip netns, veth),
#   postgresql (StoreContractTest runs a throwaway PostgreSQL cluster; -Dreception.test.store=postgresql runs every test on it),
#   coturn (TurnRelayViewerTest relays a viewer through a real TURN server in its own network namespace).
set -euo pipefail
cd "$(dirname "$0")"
packages=(chromium chromium-driver libpulse0 ffmpeg nftables iproute2 postgresql coturn)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
exec mvn -B verify "$@"
