// A WHIP/WHEP endpoint inside the page, for testing js/webrtc.js before the server's media routes
// exist: a second RTCPeerConnection answers the client's offers through an injected fetch. It
// records every request so the test can check methods, headers, bodies and the resource URL.
window.fakeMediaEndpoint = async function fakeMediaEndpoint({ patchStatus = 200, send = true } = {}) {
  const log = [];
  const peers = [];
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true });
  const gather = (pc) => new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') { resolve(); return; }
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
    setTimeout(resolve, 3000);
  });
  const endpoint = {
    log, peers, stream, client: null, received: [],
    async fetch(url, init) {
      const headers = init.headers || {};
      log.push({ method: init.method, url: String(url), contentType: headers['Content-Type'] || null,
        authorization: headers.Authorization || null, ifMatch: headers['If-Match'] || null, body: init.body || null });
      if (init.method === 'POST') {
        const pc = new RTCPeerConnection();
        peers.push(pc);
        if (send) stream.getTracks().forEach((t) => pc.addTrack(t, stream));
        pc.ontrack = (e) => endpoint.received.push(e.track.kind);
        await pc.setRemoteDescription({ type: 'offer', sdp: init.body });
        await pc.setLocalDescription(await pc.createAnswer());
        await gather(pc);
        return new Response(pc.localDescription.sdp, { status: 201,
          headers: { Location: `resource/${peers.length}`, ETag: `"v${peers.length}"`, 'Content-Type': 'application/sdp' } });
      }
      if (init.method === 'PATCH') {
        if (patchStatus !== 200) return new Response(null, { status: patchStatus });
        const pc = peers[peers.length - 1];
        // The answerer takes the client's ICE-restart offer and answers only the ICE part.
        await pc.setRemoteDescription({ type: 'offer', sdp: endpoint.client.pc.localDescription.sdp });
        await pc.setLocalDescription(await pc.createAnswer());
        await gather(pc);
        const { sdpFragment } = await import('/js/webrtc.js');
        return new Response(sdpFragment(pc.localDescription.sdp), { status: 200,
          headers: { ETag: '"restarted"', 'Content-Type': 'application/trickle-ice-sdpfrag' } });
      }
      if (init.method === 'DELETE') return new Response(null, { status: 200 });
      return new Response(null, { status: 405 });
    },
  };
  return endpoint;
};

window.waitUntil = (fn, timeoutMs) => new Promise((resolve, reject) => {
  const started = Date.now();
  const tick = () => {
    if (fn()) resolve();
    else if (Date.now() - started > timeoutMs) reject(new Error('timed out'));
    else setTimeout(tick, 100);
  };
  tick();
});
