/*
 * AES67 > Browser: GET /api/browse/sources/{all,sap,mdns,nmos} every 5 s, filtered here by name or address; the
 * NMOS node's registration (GET /api/nmos/status) below.
 */
'use strict';

(() => {
    const { api, el, section, button, table, select, input, showText, pageUrl } = AES67;
    let found = [];

    const protocol = select([['all', 'all protocols'], ['sap', 'SAP'], ['mdns', 'mDNS'], ['nmos', 'NMOS']], 'all',
        { title: 'which discovery protocol\'s sources to list', onchange: () => load() });
    const filter = input({ type: 'search', placeholder: 'filter by name or address',
        class: 'inputText ui-corner-all aes67-filter', oninput: () => show() });
    const count = el('span', { class: 'aes67-hint' });
    const list = table([
        { title: 'Protocol', cell: r => r.source },
        { title: 'Name', class: 'aes67-name', cell: r => r.name },
        { title: 'Address', cell: r => r.address },
        { title: 'Domain', cell: r => r.domain },
        { title: 'Last seen', cell: r => age(r.last_seen) },
        { title: 'Announce period', cell: r => r.announce_period ? r.announce_period + ' s' : '-' },
        { title: 'Actions', class: 'aes67-actions', cell: r => [
            button('SDP', () => showText('SDP of ' + r.name, r.sdp)),
            button('Create sink', () => location.assign(pageUrl('aes67-sinks', { remote: r.source + ':' + r.id })),
                { title: 'open the Sinks page with a new sink receiving this source' })] }
    ], 'No remote sources. They appear when a discovery bundle (SAP, mDNS, NMOS) runs and hears announcements.');
    section('Remote sources', [count, protocol, filter, button('Refresh', () => load())], list.el);

    /** last_seen is seconds since the source was last heard. */
    function age(s) {
        if (s < 60) {
            return s + ' s ago';
        }
        return s < 3600 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s ago' : Math.floor(s / 3600) + ' h ago';
    }

    function show() {
        const q = filter.value.trim().toLowerCase();
        const rows = found.filter(r => !q || String(r.name).toLowerCase().includes(q)
            || String(r.address).toLowerCase().includes(q));
        list.setRows(rows);
        count.textContent = rows.length === found.length ? found.length + ' found'
            : rows.length + ' of ' + found.length + ' shown';
    }

    async function load() {
        found = (await api('GET', '/browse/sources/' + protocol.value)).remote_sources;
        show();
    }

    AES67.poll(load, 5000);

    // NMOS registration (GET /api/nmos/status, served by the nmos bundle): not class aes67-table, which is the list
    // of remote sources above
    const nmosBody = el('tbody');
    section('NMOS registration', [], el('table', { class: 'nicetable ui-widget aes67-nmos' }, nmosBody));

    function registryText(r) {
        if (!r) {
            return 'none';
        }
        return r.url + (r.found_by === 'dns-sd' ? ' (DNS-SD ' + r.name + ', pri ' + r.priority + ')' : ' (configured)')
            + (r.failed_recently ? ', failed recently' : '');
    }

    async function loadNmos() {
        let s;
        try {
            s = await api('GET', '/nmos/status');
        } catch (e) {
            s = { enabled: false, error: e.status === 404 ? 'the NMOS bundle is not running' : e.message };
        }
        const rows = s.enabled ? [
            ['Registered', s.registered ? 'yes, since ' + s.registered_since : 'no'
                + (s.peer_to_peer ? ' (peer to peer: advertising _nmos-node._tcp)' : '')],
            ['Registry', registryText(s.registry)],
            ['Last heartbeat', s.last_heartbeat ? s.last_heartbeat + ' (' + s.heartbeats + ' sent, every '
                + s.heartbeat_period_s + ' s)' : 'none yet'],
            ['Current error', s.error || 'none'],
            ['Last error', s.last_error ? s.last_error_at + ': ' + s.last_error : 'none'],
            ['Registries tried', s.candidates.map(registryText).join('; ') || 'none (DNS-SD found none, no address)'],
            ['Node API', s.node_api], ['Channel mapping (IS-08)', s.channelmapping_api]
        ] : [['NMOS', 'off: ' + s.error]];
        while (nmosBody.firstChild) {
            nmosBody.removeChild(nmosBody.firstChild);
        }
        rows.forEach(([k, v]) => nmosBody.appendChild(el('tr', {}, el('td', { text: k }), el('td', { text: v }))));
    }

    AES67.poll(loadNmos, 5000);
})();
