/*
 * Shared helpers of the AES67 console pages. Every value shown comes from the REST API, and names and SDP come
 * from the network: nodes are built with createElement/textContent only, never by parsing HTML.
 */
'use strict';

const AES67 = (() => {
    const root = document.getElementById('aes67');
    const apiBase = root.dataset.api;

    /** A failed REST call; the message is the daemon's text/plain error body, shown to the user as it is. */
    class ApiError extends Error {
        constructor(status, message) {
            super(message);
            this.status = status;
        }
    }

    /** Calls the REST API; resolves to the parsed JSON (or text), rejects with an ApiError. */
    async function api(method, path, body) {
        const init = { method, cache: 'no-store', headers: {} };
        if (body !== undefined) {
            init.body = JSON.stringify(body);
            init.headers['Content-Type'] = 'application/json';
        }
        let resp;
        try {
            resp = await fetch(apiBase + path, init);
        } catch (e) {
            throw new ApiError(0, 'no answer from the daemon (' + e.message + ')');
        }
        const text = await resp.text();
        if (!resp.ok) {
            throw new ApiError(resp.status, text || ('HTTP ' + resp.status + ' ' + resp.statusText));
        }
        const type = resp.headers.get('Content-Type') || '';
        return type.startsWith('application/json') && text ? JSON.parse(text) : text;
    }

    /** Static files of this plugin (catalogues), cached like the scripts. */
    async function resource(name) {
        const resp = await fetch(root.dataset.res + name + '?v=' + root.dataset.v);
        if (!resp.ok) {
            throw new ApiError(resp.status, 'cannot load ' + name);
        }
        return resp.json();
    }

    /** Properties set as DOM properties; everything else becomes an attribute. */
    const PROPS = new Set(['value', 'checked', 'disabled', 'readOnly', 'selected', 'type', 'name', 'id', 'htmlFor',
        'placeholder', 'title', 'min', 'max', 'step', 'rows', 'cols', 'colSpan', 'required', 'maxLength',
        'pattern', 'spellcheck', 'hidden', 'tabIndex']);

    /**
     * el('td', {class: 'x', text: 'shown as text', onclick: fn}, child, 'text child', [more]) builds an element.
     * Strings always become text nodes.
     */
    function el(tag, props, ...children) {
        const node = document.createElement(tag);
        for (const [k, v] of Object.entries(props || {})) {
            if (v === undefined || v === null) {
                continue;
            } else if (k === 'class') {
                node.className = v;
            } else if (k === 'text') {
                node.textContent = String(v);
            } else if (k.startsWith('on') && typeof v === 'function') {
                node.addEventListener(k.slice(2), v);
            } else if (k === 'dataset') {
                Object.assign(node.dataset, v);
            } else if (PROPS.has(k)) {
                node[k] = v;
            } else {
                node.setAttribute(k, String(v));
            }
        }
        append(node, children);
        return node;
    }

    function append(node, children) {
        for (const c of children.flat(Infinity)) {
            if (c === null || c === undefined || c === false) {
                continue;
            }
            node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
        }
        return node;
    }

    function clear(node) {
        while (node.firstChild) {
            node.removeChild(node.firstChild);
        }
        return node;
    }

    /** The page's status line (console style): kind 'ok' or 'error'; an empty message hides it. */
    const statline = el('p', { class: 'statline ui-corner-all aes67-statline', role: 'status', hidden: true });
    root.appendChild(statline);
    function status(message, kind) {
        statline.textContent = message || '';
        statline.hidden = !message;
        statline.className = 'statline ui-corner-all aes67-statline '
            + (kind === 'error' ? 'ui-state-error' : 'ui-state-highlight');
    }

    /** A section with a console-style header bar and optional buttons on the right. */
    function section(title, buttons, ...body) {
        const s = el('div', { class: 'aes67-section' },
            el('div', { class: 'ui-widget-header ui-corner-top aes67-bar' },
                el('span', { class: 'aes67-bar-title', text: title }),
                el('span', { class: 'aes67-bar-buttons' }, buttons || [])),
            body);
        root.appendChild(s);
        return s;
    }

    function button(label, onclick, extra) {
        return el('button', Object.assign({ type: 'button', class: 'ui-state-default ui-corner-all aes67-button',
            text: label, onclick }, extra || {}));
    }

    /**
     * A table with a header row; setRows(rows) re-renders its body. columns: [{title, cell(row) -> node|string,
     * class}]. When a row has an id, its cells can be found again (live status) with cellOf(id, class).
     */
    function table(columns, emptyText) {
        const tbody = el('tbody');
        const t = el('table', { class: 'nicetable ui-widget aes67-table' },
            el('thead', {}, el('tr', {}, columns.map(c => el('th', { class: 'ui-widget-header ' + (c.class || ''),
                text: c.title })))),
            tbody);
        function setRows(rows) {
            clear(tbody);
            if (rows.length === 0) {
                tbody.appendChild(el('tr', {}, el('td', { colSpan: columns.length, class: 'aes67-empty',
                    text: emptyText })));
            }
            rows.forEach((row, i) => tbody.appendChild(el('tr', {
                class: i % 2 ? 'even ui-state-default' : 'odd ui-state-default',
                dataset: row.id === undefined ? {} : { id: String(row.id) }
            }, columns.map(c => el('td', { class: c.class || '' }, c.cell(row))))));
        }
        function cellOf(id, cls) {
            return tbody.querySelector('tr[data-id="' + Number(id) + '"] td.' + cls);
        }
        return { el: t, setRows, cellOf };
    }

    /** A coloured badge; kind is one of good, warn, bad, off. */
    function badge(text, kind, title) {
        return el('span', { class: 'aes67-badge aes67-' + kind, text, title });
    }

    /**
     * A modal dialog (native <dialog>, so no JS alert ever fires). buttons: [{label, onclick(d), primary}].
     * d.error(text) shows the daemon's error text inside the dialog, d.close() removes it.
     */
    function dialog(title, body, buttons) {
        const err = el('div', { class: 'ui-state-error ui-corner-all aes67-error', role: 'alert', hidden: true });
        const box = el('dialog', { class: 'ui-widget ui-widget-content ui-corner-all aes67-dialog' });
        const d = {
            el: box,
            error(text) {
                err.textContent = text || '';
                err.hidden = !text;
            },
            close() {
                box.close();
                box.remove();
            }
        };
        const btns = (buttons || []).map(b => button(b.label, () => b.onclick(d),
            b.primary ? { class: 'ui-state-default ui-corner-all aes67-button aes67-primary' } : {}));
        append(box, [el('div', { class: 'ui-widget-header ui-corner-all aes67-dialog-title', text: title }),
            el('div', { class: 'aes67-dialog-body' }, body), err,
            el('div', { class: 'aes67-dialog-buttons' }, btns)]);
        box.addEventListener('close', () => box.remove());
        document.body.appendChild(box);
        box.showModal();
        return d;
    }

    /** Asks before a destructive action, inside the page (no window.confirm). */
    function confirm(title, text, label, action) {
        dialog(title, el('p', { text }), [
            { label, primary: true, onclick: async d => {
                try {
                    await action();
                    d.close();
                } catch (e) {
                    d.error(e.message);
                }
            } },
            { label: 'Cancel', onclick: d => d.close() }]);
    }

    /**
     * A form laid out as a two-column table: rows of [label, control, hint]. When the control is a group, the
     * label names its first field.
     */
    function form(rows) {
        const target = c => c.matches('input, select, textarea') ? c : c.querySelector('input, select, textarea');
        return el('table', { class: 'aes67-form' }, el('tbody', {}, rows.filter(Boolean).map(([label, control,
            hint]) => el('tr', {}, el('th', {}, el('label', { htmlFor: (target(control) || control).id, text: label })),
            el('td', {}, control, hint ? el('div', { class: 'aes67-hint', text: hint }) : null)))));
    }

    let uid = 0;
    function input(props) {
        return el('input', Object.assign({ id: 'aes67-f' + (++uid), class: 'inputText ui-corner-all' }, props));
    }
    function select(options, value, props) {
        const s = el('select', Object.assign({ id: 'aes67-f' + (++uid), class: 'ui-corner-all' }, props || {}),
            options.map(([v, label]) => el('option', { value: String(v), text: label })));
        s.value = String(value);
        return s;
    }
    function checkbox(checked, props) {
        return el('input', Object.assign({ id: 'aes67-f' + (++uid), type: 'checkbox', checked: !!checked },
            props || {}));
    }
    function textarea(value, props) {
        return el('textarea', Object.assign({ id: 'aes67-f' + (++uid), class: 'ui-corner-all aes67-mono',
            value: value || '', spellcheck: false }, props || {}));
    }

    /**
     * Channel map editor: how many stream channels, and for each the channel (0..63) of the daemon's virtual
     * device it is mapped to. Channels are shown 1-based as in audio tools; the API's values are 0-based.
     */
    function channelMap(map, opts) {
        const DEVICE = 64;
        let current = (map && map.length ? map : [0, 1, 2, 3, 4, 5, 6, 7]).slice();
        const count = input({ type: 'number', min: 1, max: DEVICE, value: current.length, class:
            'inputText ui-corner-all aes67-short', title: 'number of channels of the stream' });
        const first = input({ type: 'number', min: 1, max: DEVICE, value: (current[0] || 0) + 1, class:
            'inputText ui-corner-all aes67-short', title: 'device channel of the first stream channel' });
        const grid = el('div', { class: 'aes67-map-grid' });
        const problem = el('div', { class: 'aes67-hint aes67-warn-text', hidden: true });
        const options = Array.from({ length: DEVICE }, (_, i) => [i, String(i + 1)]);

        function draw() {
            clear(grid);
            current.forEach((ch, i) => grid.appendChild(el('label', { class: 'aes67-map-cell' },
                el('span', { text: (i + 1) + ' \u2192 ' }),
                select(options, ch, { class: 'ui-corner-all aes67-map-select', title: 'stream channel ' + (i + 1),
                    onchange: e => {
                        current[i] = Number(e.target.value);
                        check();
                    } }))));
            check();
        }
        function check() {
            const dup = current.find((c, i) => current.indexOf(c) !== i);
            problem.hidden = dup === undefined;
            problem.textContent = dup === undefined ? '' : 'device channel ' + (dup + 1) + ' is used twice';
        }
        function sequential() {
            const n = Math.max(1, Math.min(DEVICE, Number(count.value) || 1));
            const start = Math.max(0, Math.min(DEVICE - n, (Number(first.value) || 1) - 1));
            current = Array.from({ length: n }, (_, i) => start + i);
            count.value = n;
            first.value = start + 1;
            draw();
        }
        count.addEventListener('change', sequential);
        first.addEventListener('change', sequential);
        const editor = el('div', { class: 'aes67-map', id: 'aes67-f' + (++uid) },
            el('div', {}, el('label', {}, 'channels ', count), ' ',
                el('label', {}, 'mapped from device channel ', first),
                ' ', button('Sequential', sequential, { title: 'map the channels one after another' })),
            grid, problem,
            opts && opts.hint ? el('div', { class: 'aes67-hint', text: opts.hint }) : null);
        draw();
        return {
            el: editor,
            value: () => current.slice(),
            /** A new channel count (e.g. from an SDP), mapped sequentially from the current first channel. */
            setCount(n) {
                count.value = n;
                sequential();
            }
        };
    }

    /**
     * Runs task now and then every ms milliseconds after the previous run ended (never two at once), skipping runs
     * while the tab is hidden. Returns a function that stops it.
     */
    function poll(task, ms) {
        let timer = null;
        let stopped = false;
        async function run() {
            if (!document.hidden) {
                try {
                    await task();
                } catch (e) {
                    status(e.message, 'error');
                }
            }
            if (!stopped) {
                timer = setTimeout(run, ms);
            }
        }
        run();
        return () => {
            stopped = true;
            clearTimeout(timer);
        };
    }

    /** Copies text; the async clipboard API needs a secure context, so plain http on a LAN address falls back. */
    async function copy(text) {
        if (navigator.clipboard && window.isSecureContext) {
            await navigator.clipboard.writeText(text);
            return;
        }
        const t = el('textarea', { value: text, class: 'aes67-offscreen' });
        document.body.appendChild(t);
        t.select();
        const ok = document.execCommand('copy');
        t.remove();
        if (!ok) {
            throw new Error('the browser refused to copy; select the text and copy it by hand');
        }
    }

    /** Shows a text document (SDP) read-only, with copy and a link to the raw answer. */
    function showText(title, text, rawHref) {
        const pre = el('pre', { class: 'aes67-mono aes67-sdp', text });
        dialog(title, [pre, rawHref ? el('p', {}, el('a', { href: rawHref, target: '_blank', rel: 'noopener',
            text: 'open ' + rawHref })) : null], [
            { label: 'Copy', primary: true, onclick: async d => {
                try {
                    await copy(text);
                    d.error('');
                    status(title + ': copied to the clipboard');
                } catch (e) {
                    d.error(e.message);
                }
            } },
            { label: 'Close', onclick: d => d.close() }]);
    }

    /** "1 ms" for 48 samples at 48 kHz. */
    function packetTime(samples, rate) {
        const us = samples * 1e6 / rate;
        return us >= 1000 ? (+(us / 1000).toFixed(3)) + ' ms' : Math.round(us) + ' \u00b5s';
    }

    /** The session name (s=) and channel count of an SDP, for labels and defaults; null when absent. */
    function sdpInfo(sdp) {
        const name = /^s=(.*)$/m.exec(sdp || '');
        const rtpmap = /^a=rtpmap:\d+\s+[A-Za-z0-9]+\/(\d+)(?:\/(\d+))?\s*$/m.exec(sdp || '');
        return {
            name: name ? name[1].trim() : null,
            rate: rtpmap ? Number(rtpmap[1]) : null,
            channels: rtpmap ? Number(rtpmap[2] || 1) : null
        };
    }

    /** "1-8" for [0..7], else the 1-based list. */
    function mapText(map) {
        if (!map || map.length === 0) {
            return '';
        }
        const seq = map.every((c, i) => c === map[0] + i);
        return seq ? (map.length === 1 ? String(map[0] + 1) : (map[0] + 1) + '-' + (map[map.length - 1] + 1))
            : map.map(c => c + 1).join(',');
    }

    /** URL of another console page of ours. */
    function pageUrl(label, query) {
        return root.dataset.appRoot + '/' + label + (query ? '?' + new URLSearchParams(query) : '');
    }

    return { root, api, ApiError, resource, el, append, clear, status, section, button, table, badge, dialog,
        confirm, form, input, select, checkbox, textarea, channelMap, poll, copy, showText, packetTime, sdpInfo,
        mapText, pageUrl };
})();
