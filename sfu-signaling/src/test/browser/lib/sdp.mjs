// Reading SDP in the browser tests: a summary of what API.md promises about the SFU's SDP, and the check of it.

/** The lines of an SDP, read into what the tests check: session-level attributes and, per m-line, its own. */
export function summarize(sdp) {
  const lines = (sdp || '').split(/\r?\n/).filter((l) => l.length > 0);
  const summary = { session: [], media: [] };
  let current = null;
  for (const line of lines) {
    if (line.startsWith('m=')) {
      const [kind, port, proto, ...formats] = line.slice(2).split(' ');
      current = { kind, port: Number(port), proto, formats, attributes: [] };
      summary.media.push(current);
    } else if (line.startsWith('a=')) {
      (current ? current.attributes : summary.session).push(line.slice(2));
    }
  }
  const has = (attrs, name) => attrs.some((a) => a === name || a.startsWith(name + ':'));
  const values = (attrs, name) => attrs.filter((a) => a.startsWith(name + ':')).map((a) => a.slice(name.length + 1));
  return {
    iceLiteAtSessionLevel: has(summary.session, 'ice-lite'),
    bundle: values(summary.session, 'group').find((g) => g.startsWith('BUNDLE')) || null,
    media: summary.media.map((m) => ({
      kind: m.kind,
      port: m.port,
      proto: m.proto,
      mid: values(m.attributes, 'mid')[0] || null,
      direction: ['sendrecv', 'sendonly', 'recvonly', 'inactive'].find((d) => has(m.attributes, d)) || null,
      msid: values(m.attributes, 'msid')[0] || null,
      rtcpMux: has(m.attributes, 'rtcp-mux'),
      setup: values(m.attributes, 'setup')[0] || values(summary.session, 'setup')[0] || null,
      fingerprint: values(m.attributes, 'fingerprint')[0] || values(summary.session, 'fingerprint')[0] || null,
      iceUfrag: values(m.attributes, 'ice-ufrag')[0] || values(summary.session, 'ice-ufrag')[0] || null,
      candidates: values(m.attributes, 'candidate'),
      endOfCandidates: has(m.attributes, 'end-of-candidates') || has(summary.session, 'end-of-candidates'),
      rids: values(m.attributes, 'rid'),
      simulcast: values(m.attributes, 'simulcast')[0] || null,
      codecs: values(m.attributes, 'rtpmap').map((r) => r.split(' ')[1]),
    })),
  };
}

/**
 * What API.md says every SDP the SFU sends carries: a=ice-lite at session level, BUNDLE, the transport of the
 * bundle (on its tagged m-line, or at session level): a fingerprint, ICE credentials, at least one candidate and
 * a=end-of-candidates, and rtcp-mux on every accepted RTP m-line (the tagged one first; a data channel m-line, which
 * the SFU's subscriber offers put first, carries no RTP). Other bundled m-lines may leave the transport out
 * (RFC 8843). Returns the problems found (none: an empty list).
 */
export function sfuSdpProblems(summary, what) {
  const problems = [];
  if (!summary.iceLiteAtSessionLevel) problems.push(what + ': no a=ice-lite at session level');
  if (!summary.bundle) problems.push(what + ': no a=group:BUNDLE');
  if (summary.media.length === 0) problems.push(what + ': no m-line');
  const tagMid = summary.bundle ? summary.bundle.split(' ')[1] : undefined;
  const tagged = summary.media.find((m) => m.mid === tagMid) || summary.media.find((m) => m.port !== 0);
  if (tagged) {
    const name = what + ' m-line ' + tagged.mid + ' (' + tagged.kind + ', the transport of the bundle)';
    if (!tagged.rtcpMux && tagged.kind !== 'application') problems.push(name + ': no a=rtcp-mux');
    if (!tagged.fingerprint) problems.push(name + ': no a=fingerprint');
    if (!tagged.iceUfrag) problems.push(name + ': no a=ice-ufrag');
    if (tagged.candidates.length === 0) problems.push(name + ': no a=candidate');
    if (!tagged.endOfCandidates) problems.push(name + ': no a=end-of-candidates');
  }
  for (const m of summary.media) {
    if (m !== tagged && m.port !== 0 && m.kind !== 'application' && !m.rtcpMux) {
      problems.push(what + ' m-line ' + m.mid + ' (' + m.kind + '): no a=rtcp-mux');
    }
  }
  return problems;
}

/** The announced candidate addresses of an SDP summary (the address field of each a=candidate). */
export function candidateAddresses(summary) {
  const addresses = new Set();
  for (const m of summary.media) {
    for (const c of m.candidates) {
      const fields = c.split(' ');
      if (fields.length > 4) addresses.add(fields[4]);
    }
  }
  return [...addresses];
}
