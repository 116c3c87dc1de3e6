/*
 * AES67 > Sinks: GET /api/sinks, PUT/DELETE /api/sink/{id}, GET /api/sink/status/{id} every 2 s; the form picks
 * the stream from a URL, a pasted SDP or a remote source of GET /api/browse/sources/all.
 */
'use strict';

(() => {
    const { api, el, clear, status, section, button, table, badge, dialog, confirm, form, input, select, checkbox,
        textarea, channelMap, mapText, sdpInfo, showText } = AES67;
    const MAX = 64;
    const DEFAULT_DELAY = 576; // 12 ms at 48 kHz: what the C++ daemon's UI proposes
    let config = { sample_rate: 48000, playout_delay: 0 };
    let sinks = [];

    const count = el('span', { class: 'aes67-hint' });
    const list = table([
        { title: 'ID', class: 'aes67-num', cell: s => String(s.id) },
        { title: 'Name', class: 'aes67-name', cell: s => s.name },
        { title: 'Stream', class: 'aes67-stream', cell: streamLabel },
        { title: 'Delay', cell: s => s.delay + ' samples' },
        { title: 'Channels', cell: s => s.map.length + ' (device ' + mapText(s.map) + ')' },
        { title: 'Status', class: 'aes67-status', cell: () => badge('\u2026', 'off') },
        { title: 'Actions', class: 'aes67-actions', cell: s => [
            button('Edit', () => edit(s), { title: 'edit sink ' + s.id }),
            button('SDP', () => showText('SDP of sink ' + s.id, s.sdp || '(no SDP yet)'),
                { title: 'show the SDP sink ' + s.id + ' receives', disabled: !s.sdp }),
            button('Remove', () => remove(s), { title: 'remove sink ' + s.id })] }
    ], 'No sinks yet: "Add sink" creates one, or "Create sink" on the Browser page.');
    section('Sinks', [count, button('Add sink', () => edit(null)), button('Refresh', () => load())], list.el);

    function streamLabel(s) {
        if (!s.use_sdp) {
            return s.source ? el('span', { class: 'aes67-mono', text: s.source }) : '(no stream)';
        }
        const info = sdpInfo(s.sdp);
        return 'SDP' + (info.name ? ': ' + info.name : '');
    }

    async function load(withStatus = true) {
        try {
            config = await api('GET', '/config');
            sinks = (await api('GET', '/sinks')).sinks;
            list.setRows(sinks);
            count.textContent = sinks.length + ' of ' + MAX;
            if (withStatus) {
                await refreshStatus();
            }
        } catch (e) {
            status(e.message, 'error');
        }
    }

    /** The flags of GET /api/sink/status/{id} as badges: receiving, muted, and each RTP error. */
    function statusBadges(st) {
        const f = st.sink_flags;
        const out = [f.receiving_rtp_packet ? badge('receiving', 'good') : badge('not receiving', 'off')];
        if (f.all_muted || f.muted) {
            out.push(badge('muted', 'warn'));
        } else if (f.some_muted) {
            out.push(badge('some muted', 'warn'));
        }
        const errors = [['rtp_seq_id_error', 'sequence'], ['rtp_ssrc_error', 'SSRC'],
            ['rtp_payload_type_error', 'payload type'], ['rtp_sac_error', 'SAC']].filter(([k]) => f[k]);
        errors.forEach(([k, label]) => out.push(badge(label + ' error', 'bad', k)));
        if (!errors.length) {
            out.push(badge('no errors', 'good'));
        }
        out.push(el('span', { class: 'aes67-hint', text: ' min. arrival ' + st.sink_min_time }));
        return out.concat(legBadges(st));
    }

    /** ST 2022-7: one badge per leg (receiving or missing), its counters in the tooltip. */
    function legBadges(st) {
        return (st.legs || []).map(l => badge(l.leg + (l.receiving ? ' leg receiving' : ' leg missing'),
            l.receiving ? 'good' : 'warn', l.endpoint + ': received ' + l.received + ', used ' + l.used
                + ', missing ' + l.missing + ', lost ' + l.lost + ', redundant ' + l.redundant
                + (l.invalid ? ', invalid ' + l.invalid : '') + (l.too_old ? ', too old ' + l.too_old : '')));
    }

    /** The stream verifier of GET /api/sink/status/{id}: glitches since creation, red when the count grew. */
    const glitchesSeen = new Map();
    function verifierBadges(id, st) {
        const v = st.verifier;
        if (!v) {
            return [];
        }
        const before = glitchesSeen.get(id);
        glitchesSeen.set(id, v.glitches);
        const grew = before !== undefined && v.glitches > before;
        const c = v.since_creation || {};
        const detail = ['lost', 'late', 'early', 'duplicated', 'reordered', 're_anchors', 're_aligns',
            'ssrc_errors', 'payload_type_errors', 'timestamp_errors', 'malformed'].filter(k => c[k])
            .map(k => k + ' ' + c[k]).join(', ');
        const sig = v.signal ? ', signal: ' + Object.entries(v.signal).map(([k, x]) => k + ' ' + x).join(', ') : '';
        const text = v.glitches + (v.glitches === 1 ? ' glitch' : ' glitches')
            + (v.last_glitch ? ', last ' + new Date(v.last_glitch).toLocaleString() : '');
        return [badge(text, grew ? 'bad' : v.glitches ? 'warn' : 'good',
            'received ' + c.received + (detail ? ', ' + detail : '') + sig)];
    }

    async function refreshStatus() {
        let gone = false;
        for (const s of sinks) {
            const cell = list.cellOf(s.id, 'aes67-status');
            if (!cell) {
                continue;
            }
            try {
                const st = await api('GET', '/sink/status/' + s.id);
                AES67.append(clear(cell), statusBadges(st).concat(verifierBadges(s.id, st)));
            } catch (e) {
                clear(cell).appendChild(badge('unknown', 'bad', e.message));
                gone = gone || e.status === 400;
            }
        }
        if (gone) {
            // removed by someone else (REST, another console): list again rather than ask for it every 2 s
            await load(false);
        }
    }

    function firstFreeId() {
        const used = new Set(sinks.map(s => s.id));
        for (let i = 0; i < MAX; i++) {
            if (!used.has(i)) {
                return i;
            }
        }
        return 0;
    }

    /**
     * Add (s null) or edit. preset {remote: "PROTO:ID"} opens the form on a discovered source (Browser page).
     * A URL makes the daemon fetch the SDP (use_sdp false); a pasted or discovered SDP is sent as it is.
     */
    async function edit(s, preset) {
        const adding = s === null;
        const id0 = adding ? firstFreeId() : s.id;
        const v = s || { name: 'Sink ' + id0, io: 'Audio Device', use_sdp: false, source: '', sdp: '',
            delay: config.playout_delay > 0 ? config.playout_delay : DEFAULT_DELAY, ignore_refclk_gmid: false,
            map: [0, 1, 2, 3, 4, 5, 6, 7] };
        let remotes = [];
        let localSources = [];
        try {
            [remotes, localSources] = await Promise.all([
                api('GET', '/browse/sources/all').then(r => r.remote_sources),
                api('GET', '/sources').then(r => r.sources)]);
        } catch (e) {
            status(e.message, 'error');
        }

        const id = input({ type: 'number', min: 0, max: MAX - 1, value: id0, required: true, readOnly: !adding,
            class: 'inputText ui-corner-all aes67-short' });
        const name = input({ value: v.name, required: true, maxLength: 64, class: 'inputText ui-corner-all aes67-wide' });
        const io = input({ value: v.io, required: true, maxLength: 1024, class: 'inputText ui-corner-all aes67-wide' });
        let nameTouched = !adding;
        name.addEventListener('input', () => nameTouched = true);
        const suggestName = n => {
            if (!nameTouched && n) {
                name.value = n.slice(0, 64);
            }
        };

        const mode = select([['url', 'URL (the daemon fetches the SDP)'], ['sdp', 'SDP pasted here'],
            ['remote', 'a discovered remote source (' + remotes.length + ' found)']], v.use_sdp ? 'sdp' : 'url');
        const url = input({ value: v.use_sdp ? '' : v.source, placeholder: 'http://host:port/path or rtsp://host/path',
            class: 'inputText ui-corner-all aes67-wide aes67-mono' });
        const local = select([['', 'this daemon\'s sources\u2026']].concat(localSources.map(x => [x.id,
            x.id + ': ' + x.name])), '', { title: 'fill in the SDP URL of one of this daemon\'s sources' });
        local.addEventListener('change', () => {
            const src = localSources.find(x => String(x.id) === local.value);
            if (src) {
                url.value = location.origin + '/api/source/sdp/' + src.id;
                map.setCount(src.map.length);
                suggestName(src.name);
            }
        });
        const sdp = textarea(v.use_sdp ? v.sdp : '', { rows: 10, class: 'ui-corner-all aes67-mono aes67-wide',
            placeholder: 'v=0\no=...\ns=...' });
        sdp.addEventListener('change', () => fromSdp(sdp.value));
        const remote = select([['', remotes.length ? 'choose\u2026' : '(none: no discovery bundle has found any)']]
            .concat(remotes.map(r => [r.source + ':' + r.id, r.name + ' (' + r.source + ', ' + r.address + ')'])), '');
        const remotePreview = el('pre', { class: 'aes67-mono aes67-sdp aes67-preview' });
        remote.addEventListener('change', () => {
            const r = remotes.find(x => x.source + ':' + x.id === remote.value);
            remotePreview.textContent = r ? r.sdp : '';
            if (r) {
                fromSdp(r.sdp);
                suggestName(r.name);
            }
        });
        const delay = input({ type: 'number', min: 0, max: 384000, value: v.delay, required: true,
            class: 'inputText ui-corner-all aes67-short' });
        const delayMs = el('span', { class: 'aes67-hint' });
        const showMs = () => delayMs.textContent = ' = ' + (+(Number(delay.value) * 1000 / config.sample_rate)
            .toFixed(2)) + ' ms at ' + config.sample_rate + ' Hz';
        delay.addEventListener('input', showMs);
        showMs();
        const ignoreGmid = checkbox(v.ignore_refclk_gmid);
        const map = channelMap(v.map, { hint: 'one stream channel per row; each goes to a device channel (1..64)' });

        function fromSdp(text) {
            const info = sdpInfo(text);
            if (info.channels) {
                map.setCount(info.channels);
            }
            suggestName(info.name);
        }

        const rows = {
            url: ['SDP URL', el('div', {}, url, ' ', local), 'http:// (GET) or rtsp:// (DESCRIBE); fetched by the'
                + ' daemon with a 3 s timeout'],
            sdp: ['SDP', sdp, 'the session description, e.g. from another device\'s web page'],
            remote: ['Remote source', el('div', {}, remote, remotePreview), 'found by SAP or mDNS (Browser page)']
        };
        const f = el('form', { onsubmit: e => e.preventDefault() }, form([
            ['ID', id, adding ? '0..63' : 'fixed: remove and add again to change it'],
            ['Name', name, 'up to 64 characters'],
            ['Audio I/O', io, 'Audio Device (channels picked by the map), file:<WAV to record in media_dir>,'
                + ' pipe:<FIFO in media_dir>, or an audio backend\'s scheme'],
            ['Stream from', mode],
            rows.url, rows.sdp, rows.remote,
            ['Delay', el('span', {}, delay, delayMs), 'playout delay in samples: at least one packet, at most one'
                + ' second of the stream'],
            ['Ignore grandmaster', ignoreGmid, 'receive even when the source\'s ts-refclk names another PTP'
                + ' grandmaster'],
            ['Channel map', map.el]
        ]));
        const rowOf = control => control.closest('tr');
        const showMode = () => {
            rowOf(url).hidden = mode.value !== 'url';
            rowOf(sdp).hidden = mode.value !== 'sdp';
            rowOf(remote).hidden = mode.value !== 'remote';
        };
        mode.addEventListener('change', showMode);
        if (preset && preset.remote) {
            mode.value = 'remote';
            remote.value = preset.remote;
            remote.dispatchEvent(new Event('change'));
        }
        showMode();

        dialog(adding ? 'Add sink' : 'Edit sink ' + v.id, f, [
            { label: adding ? 'Add' : 'Save', primary: true, onclick: async d => {
                if (!f.reportValidity()) {
                    return;
                }
                const body = { name: name.value, io: io.value, delay: Number(delay.value),
                    ignore_refclk_gmid: ignoreGmid.checked, map: map.value() };
                if (mode.value === 'url') {
                    Object.assign(body, { use_sdp: false, source: url.value.trim(), sdp: '' });
                } else if (mode.value === 'sdp') {
                    Object.assign(body, { use_sdp: true, source: '', sdp: sdp.value });
                } else {
                    const r = remotes.find(x => x.source + ':' + x.id === remote.value);
                    if (!r) {
                        d.error('choose a remote source');
                        return;
                    }
                    Object.assign(body, { use_sdp: true, source: '', sdp: r.sdp });
                }
                try {
                    await api('PUT', '/sink/' + Number(id.value), body);
                    d.close();
                    status('Sink ' + Number(id.value) + ' saved');
                    await load();
                } catch (e) {
                    d.error(e.message);
                }
            } },
            { label: 'Cancel', onclick: d => d.close() }]);
    }

    function remove(s) {
        confirm('Remove sink ' + s.id, 'Remove sink ' + s.id + ' "' + s.name + '"?', 'Remove', async () => {
            await api('DELETE', '/sink/' + s.id);
            status('Sink ' + s.id + ' removed');
            await load();
        });
    }

    const preset = new URLSearchParams(location.search).get('remote');
    load().then(() => preset && edit(null, { remote: preset }));
    // Sinks change rarely (reloaded every 10 s); their status flags change all the time (every 2 s).
    let ticks = 1;
    AES67.poll(async () => {
        if (document.querySelector('dialog[open]')) {
            return;
        }
        if (ticks++ % 5 === 0) {
            await load();
        } else {
            await refreshStatus();
        }
    }, 2000);
    AES67.meters.levels('sinks', () => new Map(sinks.map(s => [s.id, s.name])));
    AES67.meters.margins(() => new Map(sinks.map(s => [s.id, s.name])));
})();
