/* AES67 > PTP: GET /api/ptp/status every second; offset and path delay plotted from the PTP bundle's history
   (GET /api/ptp/history, one sample a second, ten minutes); GET/POST /api/ptp/config for domain and DSCP. */
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
        if (s.interface) { // with two networks (ST 2022-7): where PTP runs, the other one watched, switches so far
            const standby = s.standby_interface ? ', watching ' + s.standby_interface + ' for a grandmaster' : '';
            body.appendChild(row('Interface', s.interface + standby
                + (s.failovers ? ' (' + s.failovers + ' failover' + (s.failovers === 1 ? '' : 's') + ')' : '')));
        }
        updated.textContent = 'updated ' + new Date().toLocaleTimeString();
    }

    const offsetPlot = el('canvas', { class: 'aes67-plot', width: 900, height: 160, 'aria-label': 'offset from master' });
    const delayPlot = el('canvas', { class: 'aes67-plot', width: 900, height: 160, 'aria-label': 'mean path delay' });
    const plotNote = el('span', { class: 'aes67-hint' });
    section('Offset and path delay, last 10 minutes', [plotNote], el('div', {}, offsetPlot, delayPlot));

    /**
     * One series on a canvas: value against time over the last ten minutes, auto-scaled with zero in view,
     * unlocked seconds shaded red and locking ones yellow, so a step or a loss of lock stands out.
     */
    function plot(canvas, title, unit, samples, value, now) {
        const g = canvas.getContext('2d');
        const w = canvas.width, h = canvas.height, left = 70, right = 10, top = 18, bottom = 20;
        const span = 600000;
        g.clearRect(0, 0, w, h);
        g.font = '11px sans-serif';
        g.fillStyle = '#333';
        g.fillText(title, left, 12);
        const values = samples.map(value);
        let lo = Math.min(0, ...values), hi = Math.max(0, ...values);
        if (hi - lo < 1) {
            hi += 1;
        }
        const x = t => left + (w - left - right) * (1 - (now - t) / span);
        const y = v => top + (h - top - bottom) * (hi - v) / (hi - lo);
        for (const s of samples) {
            if (s[3] !== 'locked') {
                g.fillStyle = s[3] === 'locking' ? 'rgba(230, 180, 0, 0.25)' : 'rgba(200, 0, 0, 0.2)';
                g.fillRect(x(s[0] - 1000), top, Math.max(1, x(s[0]) - x(s[0] - 1000)), h - top - bottom);
            }
        }
        g.strokeStyle = '#999';
        g.beginPath();
        g.moveTo(left, y(0));
        g.lineTo(w - right, y(0));
        g.stroke();
        g.fillStyle = '#333';
        g.fillText(hi + ' ' + unit, 2, top + 8);
        g.fillText(lo + ' ' + unit, 2, h - bottom);
        g.fillText('-10 min', left, h - 5);
        g.fillText('now', w - right - 22, h - 5);
        g.strokeStyle = '#1f5fa8';
        g.lineWidth = 1.5;
        g.beginPath();
        samples.forEach((s, i) => (i === 0 ? g.moveTo : g.lineTo).call(g, x(s[0]), y(value(s))));
        g.stroke();
    }

    async function loadHistory() {
        let history;
        try {
            history = await api('GET', '/ptp/history');
        } catch (e) {
            plotNote.textContent = 'no history: ' + e.message;
            return;
        }
        const samples = history.samples;
        const now = samples.length ? samples[samples.length - 1][0] : Date.now();
        plot(offsetPlot, 'Offset from master', 'ns', samples, s => s[1], now);
        plot(delayPlot, 'Mean path delay', 'ns', samples, s => s[2], now);
        plotNote.textContent = samples.length + ' s of history';
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
    AES67.poll(loadHistory, 2000);
})();
