/*
 * AES67 > Config: every key of GET /api/config with the catalogue config-keys.json (meaning, valid values, live or
 * restart). Save sends only the changed keys to POST /api/config, which validates all of them or changes nothing.
 */
'use strict';

(() => {
    const { api, resource, el, clear, status, section, button, badge, input, select, checkbox } = AES67;
    /** Labels of enumerated values whose raw form says little. */
    const LABELS = { syslog_proto: { none: '"none" (stdout)', '': '"" (local syslog)', udp: '"udp" (remote)' } };
    let catalogue = [];
    let loaded = {};
    const fields = new Map(); // key -> {control, read(), row}

    const changes = el('span', { class: 'aes67-hint', text: 'no changes' });
    const saveButton = button('Save', () => save(), { class: 'ui-state-default ui-corner-all aes67-button aes67-primary',
        disabled: true });
    const bar = section('daemon.conf', [changes, saveButton, button('Revert', () => render())]);
    bar.classList.add('aes67-sticky');
    bar.appendChild(el('p', { class: 'aes67-hint aes67-intro', text: 'Every key of the daemon\'s configuration'
        + ' file. "live" keys take effect at once; "restart" keys are saved and take effect at the next start.'
        + ' Saving checks all changes together: on any error nothing is changed.' }));
    // a form, so that the browser treats the password field as part of one (and Enter does not navigate)
    const groups = el('form', { onsubmit: e => e.preventDefault(), autocomplete: 'off' });
    AES67.root.appendChild(groups);
    /** Sections in the order an administrator looks for them; keys of a group unknown here come last. */
    const ORDER = ['Network and identity', 'HTTP and Web Console', 'PTP', 'Streams and driver',
        'Discovery (SAP, mDNS, RTSP, NMOS)', 'Logging', 'HTTP streamer'];

    /** Secrets GET /api/config never reports (docs/security.md): write-only fields. */
    const NOT_REPORTED = new Set(['webconsole_password', 'http_tokens', 'https_keystore_password']);

    function control(k, value) {
        const c = k.check || {};
        if (k.applies === 'derived') {
            return input({ value: value === undefined ? '' : String(value), readOnly: true,
                class: 'inputText ui-corner-all aes67-wide aes67-readonly' });
        }
        if (NOT_REPORTED.has(k.key)) {
            // never reported by the API: an empty field means "unchanged"
            return input({ type: 'password', value: '', autocomplete: 'new-password',
                placeholder: '(unchanged)', class: 'inputText ui-corner-all aes67-wide' });
        }
        if (k.type === 'bool') {
            return checkbox(value === true);
        }
        if (c.oneOf) {
            const labels = LABELS[k.key] || {};
            return select(c.oneOf.map(o => [o, labels[o] || String(o)]), value);
        }
        if (k.type === 'int') {
            return input({ type: 'number', value, required: true, min: c.min, max: c.max, step: c.step || 1,
                class: 'inputText ui-corner-all aes67-short' });
        }
        return input({ value: value === undefined ? '' : value, required: !!c.required, maxLength: c.maxLength,
            pattern: c.pattern, class: 'inputText ui-corner-all aes67-wide' });
    }

    function reader(k, ctl) {
        if (k.type === 'bool') {
            return () => ctl.checked;
        }
        return k.type === 'int' ? () => Number(ctl.value) : () => ctl.value;
    }

    function render() {
        clear(groups);
        fields.clear();
        const byGroup = new Map();
        catalogue.forEach(k => (byGroup.get(k.group) || byGroup.set(k.group, []).get(k.group)).push(k));
        const known = new Set(catalogue.map(k => k.key));
        const other = Object.keys(loaded).filter(key => !known.has(key));
        const rank = g => (ORDER.indexOf(g) + ORDER.length + 1) % (ORDER.length + 1);
        for (const [name, keys] of [...byGroup].sort((a, b) => rank(a[0]) - rank(b[0]))) {
            groups.appendChild(groupTable(name, keys.map(k => row(k))));
        }
        if (other.length) {
            groups.appendChild(groupTable('Other keys kept from the file (not used by this daemon)',
                other.map(key => row({ key, type: typeof loaded[key], applies: 'derived', meaning:
                    'unknown to this daemon: kept and written back unchanged', valid: '-' }))));
        }
        updateChanges();
    }

    function groupTable(name, rows) {
        return el('div', { class: 'aes67-section' },
            el('div', { class: 'ui-widget-header ui-corner-top aes67-bar' }, el('span', { class: 'aes67-bar-title',
                text: name })),
            el('table', { class: 'nicetable ui-widget aes67-table aes67-config' },
                el('colgroup', {}, ['key', 'value', 'meaning', 'valid', 'applies'].map(c => el('col',
                    { class: 'aes67-col-' + c }))),
                el('thead', {}, el('tr', {}, ['Key', 'Value', 'Meaning', 'Valid values', 'Applies']
                    .map(t => el('th', { class: 'ui-widget-header', text: t })))),
                el('tbody', {}, rows)));
    }

    function row(k) {
        const ctl = control(k, loaded[k.key]);
        ctl.id = 'aes67-cfg-' + k.key;
        const tr = el('tr', { class: 'ui-state-default', dataset: { key: k.key } },
            el('td', {}, el('label', { htmlFor: ctl.id, class: 'aes67-mono', text: k.key })),
            el('td', { class: 'aes67-value' }, ctl),
            el('td', { text: k.meaning }),
            el('td', { class: 'aes67-valid', text: k.valid }),
            el('td', {}, k.applies === 'restart' ? badge('restart', 'warn', 'saved now, applied at the next start')
                : k.applies === 'derived' ? badge('read-only', 'off') : badge('live', 'good'),
                k.operator ? badge('operator', 'off', 'names a file or program of this host, or the console login: '
                    + 'changed over the network only with the console user\'s credentials (docs/security.md)') : null));
        if (k.applies !== 'derived') {
            fields.set(k.key, { k, ctl, read: reader(k, ctl), tr });
            ctl.addEventListener('input', updateChanges);
            ctl.addEventListener('change', updateChanges);
        }
        return tr;
    }

    function changed() {
        const out = {};
        for (const [key, f] of fields) {
            const v = f.read();
            const isChanged = NOT_REPORTED.has(key) ? v !== '' : v !== loaded[key];
            f.tr.classList.toggle('aes67-changed', isChanged);
            if (isChanged) {
                out[key] = v;
            }
        }
        return out;
    }

    function updateChanges() {
        const n = Object.keys(changed()).length;
        changes.textContent = n === 0 ? 'no changes' : n + (n === 1 ? ' change' : ' changes');
        saveButton.disabled = n === 0;
    }

    async function save() {
        const diff = changed();
        for (const key of Object.keys(diff)) {
            const f = fields.get(key);
            if (!f.ctl.checkValidity()) {
                f.ctl.reportValidity();
                return;
            }
        }
        fields.forEach(f => f.tr.classList.remove('aes67-error-row'));
        try {
            await api('POST', '/config', diff);
        } catch (e) {
            status(e.message, 'error');
            // the daemon names the key first after "(daemon) ": mark that row
            const m = /\(daemon\) (\w+):/.exec(e.message);
            const f = m && fields.get(m[1]);
            if (f) {
                f.tr.classList.add('aes67-error-row');
                f.ctl.focus();
            }
            return;
        }
        const restart = Object.keys(diff).filter(key => fields.get(key).k.applies === 'restart');
        await load();
        status('Saved ' + Object.keys(diff).join(', ') + (restart.length ? '. Takes effect at the next start: '
            + restart.join(', ') : ''));
    }

    async function load() {
        loaded = await api('GET', '/config');
        render();
    }

    (async () => {
        try {
            catalogue = (await resource('config-keys.json')).keys;
            await load();
        } catch (e) {
            status(e.message, 'error');
        }
    })();
})();
