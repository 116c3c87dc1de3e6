// End to end: the AES67 pages of the Felix Web Console in Debian's Chromium, against a real daemon process.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { repo, startDaemon, until } from './daemon.mjs';

const out = path.resolve(import.meta.dirname, '..', 'out');
const docs = path.join(repo, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'];
const XSS = '<img src=x onerror=alert(1)>';
/** Optional: a bundle that registers a fake SAP browser, so the Browser page has sources to show. */
const FIXTURE = (() => {
    const dir = path.join(repo, 'webconsole-plugins', 'org.aes67d.webconsole.fixture', 'target');
    const jar = fs.existsSync(dir) && fs.readdirSync(dir).find(f => /^org\.aes67d\.webconsole\.fixture-.*\.jar$/.test(f));
    return jar ? path.join(dir, jar) : '';
})();

describe('AES67 pages of the Web Console', () => {
    let daemon;
    let context;
    let page;
    let profile;
    const problems = []; // console errors and uncaught exceptions
    const dialogs = []; // alert/confirm/prompt: none may ever fire
    let expectedFailures = 0; // requests the test makes fail on purpose (Chromium logs each as an error)

    before(async () => {
        fs.mkdirSync(out, { recursive: true });
        daemon = await startDaemon(path.join(out, 'daemon.log'), FIXTURE ? [FIXTURE] : []);
        profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aes67d-e2e-chromium-'));
        context = await chromium.launchPersistentContext(profile, {
            executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 800 },
            httpCredentials: { username: 'admin', password: daemon.password }
        });
        page = context.pages()[0] || await context.newPage();
        page.on('console', m => {
            if (m.type() !== 'error') {
                return;
            }
            // the Streamer page's polls while its servlet re-registers after a settings change: expected
            if (/status of 404/.test(m.text()) && m.location().url.includes('/api/streamer/')) {
                return;
            }
            problems.push(m.text() + (m.location()?.url ? ' (' + m.location().url + ')' : ''));
        });
        page.on('pageerror', e => problems.push('uncaught: ' + e.message));
        page.on('dialog', d => {
            dialogs.push(d.type() + ': ' + d.message());
            d.dismiss().catch(() => {});
        });
    });

    after(async () => {
        await context?.close();
        if (daemon) {
            const { code, signal } = await daemon.stop();
            fs.rmSync(daemon.dir, { recursive: true, force: true }); // its log is in out/daemon.log
            assert.equal(code, 0, 'daemon exit status after SIGTERM (signal ' + signal + ')');
        }
        if (profile) {
            fs.rmSync(profile, { recursive: true, force: true });
        }
        // the screenshots double as the documentation's pictures; refreshing them is a deliberate step
        // (E2E_UPDATE_DOCS=1 e2e/run.sh), so that running the tests never changes tracked files
        if (process.env.E2E_UPDATE_DOCS === '1' && fs.existsSync(out)) {
            fs.mkdirSync(docs, { recursive: true });
            fs.readdirSync(out).filter(f => f.endsWith('.png'))
                .forEach(f => fs.copyFileSync(path.join(out, f), path.join(docs, f)));
        }
    });

    const console = label => daemon.base + '/system/console/' + label;
    const api = async (p, init) => {
        const r = await fetch(daemon.base + '/api' + p, init);
        assert.ok(r.ok, p + ': ' + r.status + ' ' + await r.clone().text());
        return r.headers.get('content-type')?.startsWith('application/json') ? r.json() : r.text();
    };
    const shot = name => page.screenshot({ path: path.join(out, name + '.png') });
    const row = (name) => page.locator('table.aes67-table tbody tr', { has: page.locator('td.aes67-name',
        { hasText: name }) });
    const dialog = () => page.locator('dialog[open]');
    const field = (label) => dialog().getByLabel(label, { exact: true });

    async function addSource(name) {
        await page.getByRole('button', { name: 'Add source' }).click();
        await field('Name').fill(name);
        await dialog().getByRole('button', { name: 'Add' }).click();
    }

    it('lists the five pages under AES67 in the console menu', async () => {
        await page.goto(console('aes67-ptp'));
        for (const title of ['PTP', 'Sources', 'Sinks', 'Browser', 'Config']) {
            assert.equal(await page.locator(`#navmenu a[href$="/aes67-${title.toLowerCase()}"]`).count(), 1, title);
        }
        await page.goto(console('aes67-daemon'));
        await page.locator('table.nicetable').waitFor();
        await shot('daemon');
    });

    it('PTP: shows the state with a colour, refreshes it live and saves domain and DSCP', async () => {
        await page.goto(console('aes67-ptp'));
        // alone on lo with ptp_mode auto the daemon becomes its own grandmaster a few seconds after start, so
        // any of the three states can show here; each has its colour
        const state = page.locator('.aes67-badge', { hasText: /^(unlocked|locking|locked)$/ }).first();
        await state.waitFor();
        const colour = { unlocked: /aes67-bad/, locking: /aes67-warn/, locked: /aes67-good/ };
        const shown = (await state.textContent()).trim();
        assert.match(await state.getAttribute('class'), colour[shown], shown);
        const updated = page.locator('.aes67-bar-buttons .aes67-hint').first();
        const first = await updated.textContent();
        await until('a live refresh', async () => (await updated.textContent()) !== first, 5000);
        await page.getByLabel('Domain').fill('5');
        await page.getByLabel('DSCP').selectOption('46');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.locator('.aes67-statline', { hasText: 'PTP configuration saved' }).waitFor();
        assert.deepEqual(await api('/ptp/config'), { domain: 5, dscp: 46 });
        await shot('ptp');
        await api('/ptp/config', { method: 'POST', body: JSON.stringify({ domain: 0, dscp: 48 }) });
    });

    it('PTP: plots offset and path delay from the PTP bundle\'s history', async () => {
        await page.goto(console('aes67-ptp'));
        const note = page.locator('.aes67-hint', { hasText: /s of history/ });
        await until('two seconds of history', async () => {
            const m = /(\d+) s of history/.exec((await note.textContent().catch(() => '')) || '');
            return m !== null && Number(m[1]) >= 2;
        }, 10000);
        const history = await api('/ptp/history');
        assert.ok(history.samples.length >= 2, 'history has samples');
        for (const label of ['offset from master', 'mean path delay']) {
            const drawn = await page.locator(`canvas[aria-label="${label}"]`).evaluate(c => {
                const blank = document.createElement('canvas');
                blank.width = c.width;
                blank.height = c.height;
                return c.toDataURL() !== blank.toDataURL();
            });
            assert.ok(drawn, label + ' plot drawn');
        }
        await shot('ptp-plot');
    });

    it('Sources: creates a source, lists it, and shows the REST error text for a name in use', async () => {
        await page.goto(console('aes67-sources'));
        await page.locator('td.aes67-empty').waitFor();
        await addSource('e2e source');
        await row('e2e source').waitFor();
        const cells = await row('e2e source').locator('td').allTextContents();
        assert.deepEqual(cells.slice(0, 7), ['0', 'e2e source', 'L24', '8 (device 1-8)', '239.1.0.1',
            '1 ms (48 samples)', 'enabled']);
        assert.equal((await api('/sources')).sources[0].name, 'e2e source');

        expectedFailures++;
        await addSource('e2e source');
        const err = dialog().locator('.aes67-error');
        await err.waitFor();
        assert.equal(await err.textContent(), 'failed to add source 1 : (daemon) stream name in use');
        await shot('source-form-error');
        await dialog().getByRole('button', { name: 'Cancel' }).click();

        // edit: the id is fixed, the derived address stays derived (sent back as "")
        await row('e2e source').getByRole('button', { name: 'Edit' }).click();
        assert.equal(await field('ID').getAttribute('readonly'), '');
        assert.equal(await field('Address').inputValue(), '');
        await field('Codec').selectOption('L16');
        await dialog().getByRole('button', { name: 'Save' }).click();
        await row('e2e source').locator('td', { hasText: 'L16' }).waitFor();
        const src = (await api('/sources')).sources[0];
        assert.deepEqual([src.codec, src.address, src.map.length], ['L16', '239.1.0.1', 8]);
    });

    it('Sources: shows the SDP and copies it', async () => {
        await row('e2e source').getByRole('button', { name: 'SDP' }).click();
        const sdp = dialog().locator('pre');
        await sdp.waitFor();
        const text = await sdp.textContent();
        assert.equal(text, await api('/source/sdp/0'));
        assert.match(text, /^s=.*e2e source$/m);
        await shot('source-sdp');
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: daemon.base });
        await dialog().getByRole('button', { name: 'Copy' }).click();
        await page.locator('.aes67-statline', { hasText: 'copied' }).waitFor();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
        await dialog().getByRole('button', { name: 'Close' }).click();
    });

    it('Sinks: creates a sink from the source\'s SDP URL and shows its status', async () => {
        await page.goto(console('aes67-sinks'));
        await page.locator('td.aes67-empty').waitFor();
        await page.getByRole('button', { name: 'Add sink' }).click();
        await field('Name').fill('e2e sink');
        await field('Stream from').selectOption('url');
        const url = `http://127.0.0.1:${daemon.port}/api/source/sdp/0`;
        await field('SDP URL').fill(url);
        // the channel map editor: the stream's 8 channels onto device channels 3-10 (one entry per stream channel)
        await dialog().getByTitle('number of channels of the stream').fill('8');
        await dialog().getByTitle('device channel of the first stream channel').fill('3');
        await dialog().getByTitle('device channel of the first stream channel').press('Tab');
        await shot('sink-form');
        await dialog().getByRole('button', { name: 'Add' }).click();
        await row('e2e sink').waitFor();
        const status = row('e2e sink').locator('td.aes67-status');
        // receiving or not depends on whether PTP has locked yet (sources send only then); either is a status
        await status.locator('.aes67-badge', { hasText: /receiving/ }).first().waitFor();
        // the flags latch until read and the page reads them every second: a flag of the stream's first
        // packets (before the sink learned its SSRC) clears at the next read
        await until('no error flags', async () => /no errors/.test(await status.textContent()), 15000);
        assert.match(await row('e2e sink').textContent(), /8 \(device 3-10\)/);
        const sink = (await api('/sinks')).sinks[0];
        assert.equal(sink.source, url);
        assert.deepEqual(sink.map, [2, 3, 4, 5, 6, 7, 8, 9]);
        assert.match(sink.sdp, /^s=.*e2e source$/m);
        await shot('sinks');
    });

    it('Meters: per-channel levels and the arrival-margin plot follow a tone source', async () => {
        const json = body => ({ method: 'PUT', body: JSON.stringify(body) });
        const tone = dbfs => ({ enabled: true, name: 'e2e tone', io: 'tone:1000@' + dbfs, max_samples_per_packet: 48,
            codec: 'L24', address: '', ttl: 15, payload_type: 98, dscp: 34, refclk_ptp_traceable: false, map: [0, 1] });
        await api('/source/20', json(tone(-12)));
        await api('/sink/20', json({ name: 'e2e tone sink', io: 'Audio Device', use_sdp: false, source:
            `http://127.0.0.1:${daemon.port}/api/source/sdp/20`, sdp: '', delay: 576, ignore_refclk_gmid: false,
            map: [0, 1] }));
        const peaks = async canvas => JSON.parse((await canvas.getAttribute('data-peak')) || '[]');
        const near = (levels, db) => levels.length === 2 && levels.every(l => Math.abs(l - db) < 1.5);
        const drawn = canvas => canvas.evaluate(c => {
            const blank = document.createElement('canvas');
            blank.width = c.width;
            blank.height = c.height;
            return c.toDataURL() !== blank.toDataURL();
        });
        try {
            await page.goto(console('aes67-sources'));
            const sourceMeter = page.locator('canvas[aria-label="levels of source 20"]');
            // the source sends once PTP has locked (seconds after start alone on lo)
            await until('source meter at -12 dBFS', async () => near(await peaks(sourceMeter), -12), 30000);
            assert.ok(await drawn(sourceMeter), 'source meter drawn');
            await shot('source-meters');

            await page.goto(console('aes67-sinks'));
            const sinkMeter = page.locator('canvas[aria-label="levels of sink 20"]');
            await until('sink meter at -12 dBFS', async () => near(await peaks(sinkMeter), -12), 30000);
            const plot = page.locator('canvas[aria-label="arrival margin of sink 20"]');
            await until('margin samples plotted', async () => Number(await plot.getAttribute('data-samples')) >= 3,
                20000);
            assert.ok(await drawn(plot), 'margin plot drawn');

            // the meters move: the tone 12 dB lower shows on the sink's meter a moment later (the peak falls
            // back 20 dB in 1.7 s)
            await api('/source/20', json(tone(-24)));
            await until('sink meter at -24 dBFS', async () => near(await peaks(sinkMeter), -24), 30000);
            await until('margin plot grows', async () => Number(await plot.getAttribute('data-samples')) >= 6,
                20000);
            await shot('sink-meters');
        } finally {
            await page.goto('about:blank');
            await api('/sink/20', { method: 'DELETE' });
            await api('/source/20', { method: 'DELETE' });
        }
    });

    it('Browser: lists remote sources per protocol and creates a sink from one', async () => {
        await page.goto(console('aes67-browser'));
        await page.locator('table.aes67-table tbody tr').first().waitFor();
        // the NMOS node's registration status (GET /api/nmos/status), whether NMOS is on or off
        const nmos = (await api('/nmos/status'));
        await page.locator('table.aes67-nmos td', { hasText: nmos.enabled ? 'Registered' : 'off: ' }).first().waitFor();
        if (!FIXTURE) {
            await page.locator('td.aes67-empty').waitFor();
            await shot('browser');
            return;
        }
        await row('Fixture stereo').waitFor();
        await page.getByRole('searchbox').fill('stereo');
        assert.equal(await page.locator('table.aes67-table tbody tr').count(), 1);
        await page.getByRole('searchbox').fill('');
        await shot('browser');
        await row('Fixture stereo').getByRole('button', { name: 'Create sink' }).click();
        await page.waitForURL(/aes67-sinks\?remote=/);
        await field('Name').waitFor();
        assert.equal(await field('Name').inputValue(), 'Fixture stereo');
        await dialog().getByRole('button', { name: 'Add' }).click();
        await row('Fixture stereo').waitFor();
        const sink = (await api('/sinks')).sinks.find(s => s.name === 'Fixture stereo');
        assert.equal(sink.use_sdp, true);
        assert.equal(sink.map.length, 2);
        await page.goto('about:blank'); // the page polls the sink's status: remove it behind the page's back only
        await api('/sink/' + sink.id, { method: 'DELETE' });
    });

    it('Config: lists every key, saves a change and shows the daemon\'s refusal', async () => {
        await page.goto(console('aes67-config'));
        const keys = Object.keys(await api('/config'));
        await page.locator('#aes67-cfg-sap_interval').waitFor();
        for (const k of keys) {
            assert.equal(await page.locator('#aes67-cfg-' + k).count(), 1, k);
        }
        assert.match(await page.locator('tr[data-key="http_port"]').textContent(), /restart/);
        await page.locator('#aes67-cfg-sap_interval').fill('31');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.locator('.aes67-statline', { hasText: 'Saved sap_interval' }).waitFor();
        assert.equal((await api('/config')).sap_interval, 31);

        // each value in range on its own, refused together: the daemon's text is shown, its key marked
        expectedFailures++;
        await page.locator('#aes67-cfg-tic_frame_size_at_1fs').fill('480');
        await page.locator('#aes67-cfg-max_tic_frame_size').fill('96');
        await page.getByRole('button', { name: 'Save' }).click();
        const err = page.locator('.aes67-statline.ui-state-error');
        await err.waitFor();
        assert.match(await err.textContent(), /^failed to update config : \(daemon\) max_tic_frame_size: /);
        assert.equal(await page.locator('tr.aes67-error-row').getAttribute('data-key'), 'max_tic_frame_size');
        assert.equal((await api('/config')).tic_frame_size_at_1fs, 48);
        await page.getByRole('button', { name: 'Revert' }).click();
        await page.locator('#aes67-cfg-sap_interval').fill('30');
        await page.getByRole('button', { name: 'Save' }).click();
        await page.locator('.aes67-statline', { hasText: 'Saved sap_interval' }).waitFor();
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot('config');
    });

    it('shows a source named like HTML as text, and no script runs', async () => {
        await page.goto(console('aes67-sources'));
        await row('e2e source').waitFor();
        await addSource(XSS);
        const cell = page.locator('td.aes67-name', { hasText: XSS });
        await cell.waitFor();
        assert.equal(await cell.textContent(), XSS);
        assert.equal(await page.locator('#aes67 img').count(), 0);
        await shot('sources');
        const id = (await api('/sources')).sources.find(s => s.name === XSS).id;
        await row(XSS).getByRole('button', { name: 'SDP' }).click();
        assert.match(await dialog().locator('pre').textContent(), /^s=.* <img src=x onerror=alert\(1\)>$/m);
        await dialog().getByRole('button', { name: 'Close' }).click();
        await page.goto(console('aes67-sinks')); // the sink's SDP label names the source
        await row('e2e sink').waitFor();
        await page.waitForTimeout(500); // an onerror handler would have fired by now
        assert.deepEqual(dialogs, []);
        await api('/source/' + id, { method: 'DELETE' });
    });

    it('Streamer: enables the streamer, shows the sink\'s moving file window and plays it live', async () => {
        // a stereo source and a sink of it, of their own (any browser plays stereo AAC-LC). A tone, not the
        // silent Audio Device: AAC of silence is about 600 bytes/s, and Chromium's media loader hands its
        // demuxer nothing before the first 32 KB (docs/streamer.md); the tone's 16 KB/s take 2 s for that.
        // Other daemons on this host (other test runs) announce a source 5 with the same o= (it derives from the
        // address and the id) to the same derived group: a group of this run's own (from its port, unique here)
        // and no following of announcements, so that the sink plays this tone and nothing else.
        const group = `239.1.${daemon.port >> 8}.${daemon.port & 255}`;
        await api('/config', { method: 'POST', body: JSON.stringify({ auto_sinks_update: false }) });
        await api('/source/5', { method: 'PUT', body: JSON.stringify({ enabled: true, name: 'e2e stereo',
            io: 'tone:1000@-18', max_samples_per_packet: 48, codec: 'L24', address: group, ttl: 15, payload_type: 98,
            dscp: 34, refclk_ptp_traceable: false, map: [0, 1] }) });
        const url = `http://127.0.0.1:${daemon.port}/api/source/sdp/5`;
        await api('/sink/5', { method: 'PUT', body: JSON.stringify({ name: 'e2e streamed', io: 'Audio Device',
            use_sdp: false, source: url, sdp: '', delay: 576, ignore_refclk_gmid: false, map: [0, 1] }) });
        try {
            await page.goto(console('aes67-streamer'));
            await page.locator('.aes67-hint', { hasText: /^Disabled: 8 files of 1 s/ }).waitFor();
            await page.getByRole('button', { name: 'Enable' }).click();
            await page.locator('.aes67-hint', { hasText: /^Enabled: .*Encoder: (?!\(off\))/ }).waitFor();
            assert.equal((await api('/config')).streamer_enabled, true);
            // status "ok" once PTP is locked and 7 of the 8 one-second files are complete
            const streamed = row('e2e streamed');
            await streamed.locator('.aes67-badge', { hasText: /^ok$/ }).waitFor({ timeout: 45000 });
            const fileWindow = streamed.locator('td', { hasText: /^writing \d+/ });
            const first = (await fileWindow.textContent()).match(/^writing (\d+)/)[1];
            await until('current_file_id moving', async () =>
                (await fileWindow.textContent()).match(/^writing (\d+)/)?.[1] !== first, 10000);
            assert.match(await streamed.textContent(), /AAC-LC 2 ch, 48000 Hz/);
            const info = await api('/streamer/info/5');
            assert.equal(info.status, 0);
            assert.equal(info.files_num, 8);
            // the page's player on the sink's live stream
            await streamed.getByRole('button', { name: 'Play' }).click();
            await page.locator('.aes67-hint', { hasText: 'live AAC from' }).waitFor();
            // what the page's player loads: the live stream, ADTS frames of AAC-LC, flowing (read in the page)
            const src = await page.locator('audio').evaluate(a => a.src);
            assert.match(src, /\/api\/streamer\/stream\/5$/);
            const live = await page.evaluate(async url => {
                const r = await fetch(url);
                const reader = r.body.getReader();
                const bytes = [];
                while (bytes.length < 4096) {
                    const { value, done } = await reader.read();
                    if (done) {
                        break;
                    }
                    bytes.push(...value);
                }
                await reader.cancel();
                return { type: r.headers.get('content-type'), length: bytes.length, sync: bytes[0] * 256 + bytes[1],
                    profile: bytes[2] >> 6 };
            }, src);
            assert.equal(live.type, 'audio/aac');
            assert.ok(live.length >= 4096, JSON.stringify(live));
            assert.equal(live.sync & 0xFFF6, 0xFFF0, 'ADTS sync word: ' + JSON.stringify(live));
            assert.equal(live.profile, 1, 'AAC-LC');
            // and the page's <audio> decodes and plays it: enough data for playback, its clock moving
            const player = page.locator('audio');
            const state = () => player.evaluate(a => ({ readyState: a.readyState, networkState: a.networkState,
                currentTime: a.currentTime, paused: a.paused, error: a.error && a.error.code + ' ' + a.error.message }));
            let last;
            try {
                await until('the player playing', async () => {
                    last = await state();
                    return last.readyState >= 3 && last.currentTime > 1 && !last.paused && !last.error;
                }, 30000);
            } catch (e) {
                assert.fail(e.message + ': ' + JSON.stringify(last));
            }
            const t = (await state()).currentTime;
            await until('currentTime advancing', async () => (await state()).currentTime > t + 0.5, 10000);
            await shot('streamer');
            await page.getByRole('button', { name: 'Stop' }).click();
            await page.getByRole('button', { name: 'Disable' }).click();
            await page.locator('.aes67-hint', { hasText: /^Disabled: / }).waitFor();
        } finally {
            await page.goto('about:blank'); // the page polls: remove the sink behind its back only
            await api('/config', { method: 'POST', body: JSON.stringify({ streamer_enabled: false,
                auto_sinks_update: true }) });
            await api('/sink/5', { method: 'DELETE' });
            await api('/source/5', { method: 'DELETE' });
        }
    });

    it('removes the sink and the source', async () => {
        await page.goto(console('aes67-sinks'));
        await row('e2e sink').getByRole('button', { name: 'Remove' }).click();
        await dialog().getByRole('button', { name: 'Remove' }).click();
        await page.locator('td.aes67-empty').waitFor();
        await page.goto(console('aes67-sources'));
        await row('e2e source').getByRole('button', { name: 'Remove' }).click();
        await dialog().getByRole('button', { name: 'Remove' }).click();
        await page.locator('td.aes67-empty').waitFor();
        assert.deepEqual(await api('/streams'), { sources: [], sinks: [] });
    });

    it('had no console errors but the failed requests it provoked, and no dialog', () => {
        const unexpected = problems.filter(p => !/Failed to load resource: the server responded with a status of 400/
            .test(p));
        assert.deepEqual(unexpected, []);
        assert.equal(problems.length, expectedFailures, problems.join('\n'));
        assert.deepEqual(dialogs, []);
    });
});
