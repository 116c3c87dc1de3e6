/*
 * Level meters and arrival-margin plots of the Sources and Sinks pages (plain canvas, no library):
 * GET /api/levels four times a second (per-channel peak and RMS, computed on the engine's audio threads) and
 * GET /api/sinks/history every 2 s (each sink's arrival margin per second with its glitches, sampled by the
 * daemon whether or not anybody looks).
 */
'use strict';

AES67.meters = (() => {
    const { api, el, clear, section } = AES67;
    const FLOOR = -60; // dBFS at the bottom of a meter
    const SPAN = 600000; // ms of history kept and at most plotted
    const MIN_SPAN = 60000; // a young history is plotted over at least this

    /** Levels of every running stream of one kind ('sources' or 'sinks'), one meter canvas per stream. */
    function levels(kind, names) {
        const box = el('div', { class: 'aes67-meters' });
        const note = el('span', { class: 'aes67-hint' });
        section('Levels', [note], box);
        const meters = new Map();

        function meter(id) {
            let m = meters.get(id);
            if (!m) {
                const canvas = el('canvas', { class: 'aes67-meter', height: 90, 'data-id': String(id),
                    'aria-label': 'levels of ' + kind.replace(/s$/, '') + ' ' + id });
                const label = el('div', { class: 'aes67-meter-label' });
                m = { canvas, label, node: el('div', { class: 'aes67-meter-box' }, canvas, label) };
                meters.set(id, m);
                box.appendChild(m.node);
            }
            return m;
        }

        function draw(m, s) {
            const ch = s.peak_dbfs.length;
            const bar = ch > 16 ? 6 : 12, gap = 3, left = 26;
            const w = left + ch * (bar + gap) + 4, h = m.canvas.height, top = 4, bottom = 14;
            if (m.canvas.width !== w) {
                m.canvas.width = w;
            }
            const g = m.canvas.getContext('2d');
            const y = db => top + (h - top - bottom) * Math.min(1, Math.max(0, db / FLOOR));
            g.clearRect(0, 0, w, h);
            g.font = '9px sans-serif';
            g.fillStyle = '#666';
            for (const db of [0, -20, -40, -60]) {
                g.fillText(String(db), 0, y(db) + 3);
            }
            const stale = s.age_ms === null || s.age_ms > 1000;
            for (let c = 0; c < ch; c++) {
                const x = left + c * (bar + gap);
                g.fillStyle = '#eee';
                g.fillRect(x, top, bar, h - top - bottom);
                if (!stale) {
                    const rms = s.rms_dbfs[c];
                    g.fillStyle = rms > -9 ? '#c62828' : rms > -20 ? '#e0a800' : '#2e7d32';
                    g.fillRect(x, y(rms), bar, h - bottom - y(rms));
                    g.fillStyle = s.peak_dbfs[c] > -1 ? '#c62828' : '#111';
                    g.fillRect(x, y(s.peak_dbfs[c]) - 1, bar, 2);
                }
                if (ch <= 16 || c % 8 === 0) {
                    g.fillStyle = '#666';
                    g.fillText(String(c + 1), x, h - 3);
                }
            }
            m.canvas.dataset.peak = JSON.stringify(s.peak_dbfs);
            m.canvas.dataset.rms = JSON.stringify(s.rms_dbfs);
            const loudest = Math.max(...s.peak_dbfs);
            m.label.textContent = s.id + ' ' + (names().get(s.id) || '') + (stale ? ': no audio'
                : ': peak ' + loudest.toFixed(1) + ' dBFS');
        }

        return AES67.poll(async () => {
            let all;
            try {
                all = (await api('GET', '/levels'))[kind];
            } catch (e) {
                note.textContent = 'no levels: ' + e.message;
                return;
            }
            note.textContent = all.length ? 'peak (bar) and RMS 300 ms, dBFS' : 'no running ' + kind;
            const running = new Set(all.map(s => s.id));
            for (const [id, m] of meters) {
                if (!running.has(id)) {
                    m.node.remove();
                    meters.delete(id);
                }
            }
            for (const s of all) {
                draw(meter(s.id), s);
            }
        }, 250);
    }

    /** Each sink's arrival margin over the last ten minutes: min..max band, mean line, glitches as red marks. */
    function margins(names) {
        const box = el('div');
        const note = el('span', { class: 'aes67-hint' });
        section('Arrival margin, up to the last 10 minutes', [note], box);
        const plots = new Map();
        const history = new Map(); // id -> samples [epoch_ms, min_ms, mean_ms, max_ms, packets, glitches]
        const lastOf = new Map(); // id -> newest sample time held
        let last = 0;

        function plot(id) {
            let p = plots.get(id);
            if (!p) {
                p = el('canvas', { class: 'aes67-plot aes67-margin', width: 900, height: 120, 'data-id': String(id),
                    'aria-label': 'arrival margin of sink ' + id });
                plots.set(id, p);
                box.appendChild(p);
            }
            return p;
        }

        function draw(canvas, id, samples, now, span) {
            const g = canvas.getContext('2d');
            const w = canvas.width, h = canvas.height, left = 70, right = 10, top = 18, bottom = 20;
            g.clearRect(0, 0, w, h);
            const shown = samples.filter(s => s[1] !== null);
            let lo = Math.min(0, ...shown.map(s => s[1])), hi = Math.max(1, ...shown.map(s => s[3]));
            const x = t => left + (w - left - right) * (1 - (now - t) / span);
            const y = v => top + (h - top - bottom) * (hi - v) / (hi - lo);
            const glitches = samples.reduce((n, s) => n + s[5], 0);
            g.font = '11px sans-serif';
            g.fillStyle = '#333';
            g.fillText('Sink ' + id + ' ' + (names().get(id) || '') + ': ' + glitches + (glitches === 1 ? ' glitch'
                : ' glitches') + ' in view', left, 12);
            g.fillText(hi.toFixed(1) + ' ms', 2, top + 8);
            g.fillText(lo.toFixed(1) + ' ms', 2, h - bottom);
            g.fillText(span >= 120000 ? '-' + Math.round(span / 60000) + ' min' : '-' + Math.round(span / 1000) + ' s',
                left, h - 5);
            g.fillText('now', w - right - 22, h - 5);
            g.strokeStyle = '#999';
            g.beginPath();
            g.moveTo(left, y(0));
            g.lineTo(w - right, y(0));
            g.stroke();
            g.fillStyle = 'rgba(31, 95, 168, 0.25)';
            for (const s of shown) {
                g.fillRect(x(s[0] - 1000), y(s[3]), Math.max(1, x(s[0]) - x(s[0] - 1000)), Math.max(1, y(s[1]) - y(s[3])));
            }
            g.strokeStyle = '#1f5fa8';
            g.lineWidth = 1.5;
            g.beginPath();
            let pen = false;
            for (const s of samples) {
                if (s[2] === null) {
                    pen = false; // nothing received that second: a gap, not a line across it
                } else {
                    (pen ? g.lineTo : g.moveTo).call(g, x(s[0]), y(s[2]));
                    pen = true;
                }
            }
            g.stroke();
            g.lineWidth = 1;
            g.strokeStyle = '#c62828';
            g.fillStyle = '#c62828';
            for (const s of samples.filter(s => s[5] > 0)) {
                g.beginPath();
                g.moveTo(x(s[0]), top);
                g.lineTo(x(s[0]), h - bottom);
                g.stroke();
                g.fillText(String(s[5]), x(s[0]) + 2, top + 10);
            }
            canvas.dataset.samples = String(shown.length);
            canvas.dataset.glitches = String(glitches);
        }

        return AES67.poll(async () => {
            let h;
            try {
                // a few seconds of overlap: samples of one tick may be stamped slightly out of order across sinks
                h = await api('GET', '/sinks/history' + (last ? '?since=' + (last - 5000) : ''));
            } catch (e) {
                note.textContent = 'no history: ' + e.message;
                return;
            }
            const now = Date.now();
            for (const [key, samples] of Object.entries(h.sinks)) {
                const id = Number(key);
                const newer = samples.filter(s => s[0] > (lastOf.get(id) || 0));
                const kept = (history.get(id) || []).concat(newer).filter(s => s[0] > now - SPAN);
                history.set(id, kept);
                newer.forEach(s => {
                    lastOf.set(id, Math.max(lastOf.get(id) || 0, s[0]));
                    last = Math.max(last, s[0]);
                });
            }
            for (const id of [...history.keys()]) {
                if (!(String(id) in h.sinks)) { // removed
                    history.delete(id);
                    lastOf.delete(id);
                    plots.get(id)?.remove();
                    plots.delete(id);
                }
            }
            // all plots share one time axis: the oldest sample held, between one and ten minutes back
            let oldest = now;
            history.forEach(samples => { oldest = Math.min(oldest, samples.length ? samples[0][0] : now); });
            const span = Math.min(SPAN, Math.max(MIN_SPAN, now - oldest));
            for (const [id, samples] of history) {
                draw(plot(id), id, samples, now, span);
            }
            note.textContent = history.size ? 'band: smallest to largest margin each second; line: mean'
                : 'no running sinks';
        }, 2000);
    }

    return { levels, margins };
})();
