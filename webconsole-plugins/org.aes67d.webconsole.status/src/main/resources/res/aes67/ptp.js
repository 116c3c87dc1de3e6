/* AES67 > PTP: GET /api/ptp/status every second; GET/POST /api/ptp/config for domain and DSCP. */
'use strict';

(() => {
    const { api, el, clear, status, section, button, badge, form, input, select } = AES67;
    const STATES = { locked: 'good', locking: 'warn', unlocked: 'bad' };

    const body = el('tbody');
    const updated = el('span', { class: 'aes67-hint' });
    section('PTP status', [updated], el('table', { class: 'nicetable ui-widget aes67-table aes67-kv' }, body));

    function row(name, value) {
        return el('tr', { class: 'ui-state-default' }, el('th', { text: name }), el('td', {}, value));
    }

    /** offset_ns and path_delay_ns exist only while a PTP clock runs; absent keys mean no row. */
    function render(s) {
        clear(body);
        const kind = STATES[s.status] || 'off';
        body.appendChild(row('State', badge(s.status, kind, kind === 'bad' ? 'no grandmaster, or no PTP bundle'
            : undefined)));
        body.appendChild(row('Grandmaster', s.gmid));
        body.appendChild(row('Jitter', String(s.jitter)));
        if ('offset_ns' in s) {
            body.appendChild(row('Offset from master', s.offset_ns + ' ns'));
        }
        if ('path_delay_ns' in s) {
            body.appendChild(row('Mean path delay', s.path_delay_ns + ' ns'));
        }
        updated.textContent = 'updated ' + new Date().toLocaleTimeString();
    }

    const domain = input({ type: 'number', min: 0, max: 127, required: true, class: 'inputText ui-corner-all aes67-short' });
    const dscp = select([[48, '48 (CS6)'], [46, '46 (EF)']], 48);
    const err = el('div', { class: 'ui-state-error ui-corner-all aes67-error', role: 'alert', hidden: true });
    const f = el('form', { onsubmit: e => {
        e.preventDefault();
        save();
    } }, form([
        ['Domain', domain, '0..127; the PTP domain of the grandmaster this node follows'],
        ['DSCP', dscp, 'DiffServ code point of PTP packets: 48 (CS6, AES67 default) or 46 (EF)']
    ]), err, el('div', { class: 'aes67-buttons' }, el('button', { type: 'submit', class:
        'ui-state-default ui-corner-all aes67-button aes67-primary', text: 'Save' })));
    section('PTP configuration', [button('Reload', loadConfig)], f);

    async function loadConfig() {
        const c = await api('GET', '/ptp/config');
        domain.value = c.domain;
        dscp.value = String(c.dscp);
        err.hidden = true;
    }

    async function save() {
        if (!f.reportValidity()) {
            return;
        }
        try {
            await api('POST', '/ptp/config', { domain: Number(domain.value), dscp: Number(dscp.value) });
            err.hidden = true;
            status('PTP configuration saved (domain ' + domain.value + ', DSCP ' + dscp.value + ')');
            await loadConfig();
        } catch (e) {
            err.textContent = e.message;
            err.hidden = false;
        }
    }

    loadConfig().catch(e => status(e.message, 'error'));
    AES67.poll(async () => render(await api('GET', '/ptp/status')), 1000);
})();
