/* AES67 > Sources: GET /api/sources, PUT/DELETE /api/source/{id}, GET /api/source/sdp/{id}. */
'use strict';

(() => {
    const { api, el, status, section, button, table, badge, dialog, confirm, form, input, select, checkbox,
        channelMap, packetTime, mapText, showText } = AES67;
    const MAX = 64;
    const PACKET_SIZES = [6, 12, 16, 48, 96, 192];
    const RATES = [44100, 48000, 88200, 96000, 176400, 192000, 352800, 384000];
    let config = { sample_rate: 48000, rtp_mcast_base: '239.1.0.1' };
    let sources = [];

    const count = el('span', { class: 'aes67-hint' });
    const list = table([
        { title: 'ID', class: 'aes67-num', cell: s => String(s.id) },
        { title: 'Name', class: 'aes67-name', cell: s => s.name },
        { title: 'Codec', cell: s => s.codec },
        { title: 'Channels', cell: s => s.map.length + ' (device ' + mapText(s.map) + ')' },
        { title: 'Address', cell: s => s.address },
        { title: 'Packet time', cell: s => packetTime(s.max_samples_per_packet, rateOf(s))
            + ' (' + s.max_samples_per_packet + ' samples)' },
        { title: 'Enabled', cell: s => s.enabled ? badge('enabled', 'good') : badge('disabled', 'off') },
        { title: 'Actions', class: 'aes67-actions', cell: s => [
            button('Edit', () => edit(s), { title: 'edit source ' + s.id }),
            button('SDP', () => sdp(s), { title: 'show the SDP of source ' + s.id }),
            button('Remove', () => remove(s), { title: 'remove source ' + s.id })] }
    ], 'No sources yet: "Add source" creates one.');
    section('Sources', [count, button('Add source', () => edit(null)), button('Refresh', () => load())], list.el);

    function rateOf(s) {
        return s.sample_rate || config.sample_rate;
    }

    async function load() {
        try {
            config = await api('GET', '/config');
            sources = (await api('GET', '/sources')).sources;
            list.setRows(sources);
            count.textContent = sources.length + ' of ' + MAX;
        } catch (e) {
            status(e.message, 'error');
        }
    }

    /** The address the daemon derives for an id when none is set: rtp_mcast_base + id. */
    function defaultAddress(id) {
        const p = config.rtp_mcast_base.split('.').map(Number);
        const n = ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3] + id;
        return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    }

    function firstFreeId() {
        const used = new Set(sources.map(s => s.id));
        for (let i = 0; i < MAX; i++) {
            if (!used.has(i)) {
                return i;
            }
        }
        return 0;
    }

    /** Add (s null) or edit; keys the form does not show (ours or future ones) are sent back unchanged. */
    function edit(s) {
        const adding = s === null;
        const id0 = adding ? firstFreeId() : s.id;
        const v = s || { enabled: true, name: 'Source ' + id0, io: 'Audio Device', codec: 'L24',
            max_samples_per_packet: 48, address: '', ttl: 15, payload_type: 98, dscp: 34,
            refclk_ptp_traceable: false, map: [0, 1, 2, 3, 4, 5, 6, 7] };
        const id = input({ type: 'number', min: 0, max: MAX - 1, value: id0, required: true, readOnly: !adding,
            class: 'inputText ui-corner-all aes67-short' });
        const name = input({ value: v.name, required: true, maxLength: 64, class: 'inputText ui-corner-all aes67-wide' });
        const enabled = checkbox(v.enabled);
        const io = input({ value: v.io, required: true, maxLength: 1024, class: 'inputText ui-corner-all aes67-wide',
            list: 'aes67-io-choices' });
        const ioChoices = el('datalist', { id: 'aes67-io-choices' }, ['Audio Device', 'tone:1000@-18', 'file:',
            'pipe:'].map(c => el('option', { value: c })));
        const codec = select([['L16', 'L16 (16 bit)'], ['L24', 'L24 (24 bit)'], ['AM824', 'AM824 (AES3)']], v.codec);
        const rate = select([[0, 'daemon default (' + config.sample_rate + ' Hz)']]
            .concat(RATES.map(r => [r, r + ' Hz'])), v.sample_rate || 0);
        const packet = select([], v.max_samples_per_packet);
        const fillPackets = () => {
            const keep = packet.value || String(v.max_samples_per_packet);
            AES67.clear(packet);
            const r = Number(rate.value) || config.sample_rate;
            PACKET_SIZES.forEach(n => packet.appendChild(el('option', { value: String(n),
                text: packetTime(n, r) + ' (' + n + ' samples)' })));
            packet.value = keep;
        };
        rate.addEventListener('change', fillPackets);
        fillPackets();
        // The list reports the address in use; the derived default is sent back as "" so it keeps following
        // rtp_mcast_base.
        const addr = input({ value: !adding && v.address === defaultAddress(v.id) ? '' : v.address,
            placeholder: 'default: ' + defaultAddress(id0), pattern: '(\\d{1,3}\\.){3}\\d{1,3}',
            class: 'inputText ui-corner-all aes67-wide' });
        id.addEventListener('input', () => addr.placeholder = 'default: ' + defaultAddress(Number(id.value) || 0));
        const ttl = input({ type: 'number', min: 1, max: 255, value: v.ttl, required: true,
            class: 'inputText ui-corner-all aes67-short' });
        const pt = input({ type: 'number', min: 96, max: 127, value: v.payload_type, required: true,
            class: 'inputText ui-corner-all aes67-short' });
        const dscp = select([[34, '34 (AF41, AES67 default)'], [46, '46 (EF)'], [26, '26 (AF31)'], [0, '0 (best effort)']],
            v.dscp);
        const refclk = checkbox(v.refclk_ptp_traceable);
        const map = channelMap(v.map);
        const f = el('form', { onsubmit: e => e.preventDefault() }, form([
            ['ID', id, adding ? '0..63' : 'fixed: remove and add again to change it'],
            ['Name', name, 'up to 64 characters, unique; announced as the SDP session name'],
            ['Enabled', enabled, 'a disabled source is kept but not sent nor announced'],
            ['Audio I/O', el('span', {}, io, ioChoices), 'Audio Device (channels picked by the map), tone:<hz>[@<dBFS>],'
                + ' file:<WAV in media_dir>, pipe:<FIFO in media_dir>, or an audio backend\'s scheme'],
            ['Codec', codec],
            ['Sample rate', rate],
            ['Packet time', packet, 'AES67 default: 1 ms'],
            ['Address', addr, 'IPv4 multicast or unicast destination; empty = rtp_mcast_base + id'],
            ['TTL', ttl, '1..255'],
            ['Payload type', pt, '96..127'],
            ['DSCP', dscp],
            ['PTP traceable', refclk, 'announce ts-refclk "traceable" instead of the grandmaster id'],
            ['Channel map', map.el]
        ]));
        dialog(adding ? 'Add source' : 'Edit source ' + v.id, f, [
            { label: adding ? 'Add' : 'Save', primary: true, onclick: async d => {
                if (!f.reportValidity()) {
                    return;
                }
                const body = Object.assign({}, s || {}, {
                    enabled: enabled.checked, name: name.value, io: io.value, codec: codec.value,
                    max_samples_per_packet: Number(packet.value), address: addr.value.trim(), ttl: Number(ttl.value),
                    payload_type: Number(pt.value), dscp: Number(dscp.value),
                    refclk_ptp_traceable: refclk.checked, map: map.value()
                });
                delete body.id;
                if (Number(rate.value)) {
                    body.sample_rate = Number(rate.value);
                } else {
                    delete body.sample_rate;
                }
                try {
                    await api('PUT', '/source/' + Number(id.value), body);
                    d.close();
                    status('Source ' + Number(id.value) + ' saved');
                    await load();
                } catch (e) {
                    d.error(e.message);
                }
            } },
            { label: 'Cancel', onclick: d => d.close() }]);
    }

    async function sdp(s) {
        try {
            showText('SDP of source ' + s.id, await api('GET', '/source/sdp/' + s.id),
                location.origin + '/api/source/sdp/' + s.id);
        } catch (e) {
            status(e.message, 'error');
        }
    }

    function remove(s) {
        confirm('Remove source ' + s.id, 'Remove source ' + s.id + ' "' + s.name + '"? Sinks that receive it stop'
            + ' receiving.', 'Remove', async () => {
            await api('DELETE', '/source/' + s.id);
            status('Source ' + s.id + ' removed');
            await load();
        });
    }

    // Others change sources too (REST, other consoles): refresh while no form is open.
    AES67.poll(async () => {
        if (!document.querySelector('dialog[open]')) {
            await load();
        }
    }, 5000);
    AES67.meters.levels('sources', () => new Map(sources.map(s => [s.id, s.name])));
})();
