// End to end: a web page of another origin, open in the operator's browser, tries to reconfigure the daemon.
// Debian's Chromium (playwright-core) against a real daemon process. Every attempt must be refused and change
// nothing; the control run with http_allowed_origins "*" (the C++ daemon's behaviour) shows the same page does
// change state there, so the test cannot pass by the attack simply not reaching the daemon.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { startDaemon, until } from './daemon.mjs';

const out = path.resolve(import.meta.dirname, '..', 'out');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The attacker's page: a text/plain form POST, a text/plain fetch and a JSON fetch, against the daemon. */
function attackPage(api) {
    const source = JSON.stringify({ enabled: true, name: 'evil', io: 'Audio Device', max_samples_per_packet: 48,
        codec: 'L24', address: '', ttl: 15, payload_type: 98, dscp: 34, refclk_ptp_traceable: false, map: [0, 1] });
    return `<!doctype html><html><body>
<iframe name="sink" id="sink"></iframe>
<form id="f" method="POST" action="${api}/config" enctype="text/plain" target="sink">
  <input type="hidden" name='{"sap_interval": 31, "custom_node_id": "' value='"}'>
</form>
<script>
window.results = {};
const formDone = new Promise(r => document.getElementById('sink').addEventListener('load', () => r('loaded')));
document.getElementById('f').submit();
const plain = fetch('${api}/ptp/config', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' },
    body: '{"domain": 7}' }).then(r => 'opaque ' + r.type, e => 'error ' + e.message);
const json = fetch('${api}/source/0', { method: 'PUT', headers: { 'Content-Type': 'application/json' },
    body: ${JSON.stringify(source)} }).then(r => 'status ' + r.status, e => 'error ' + e.message);
Promise.all([formDone, plain, json]).then(([form, plain, json]) => { window.results = { form, plain, json }; });
</script></body></html>`;
}

describe('a page of another origin cannot change the daemon', () => {
    let daemon;
    let attacker;
    let attackerBase;
    let context;
    let profile;

    before(async () => {
        fs.mkdirSync(out, { recursive: true });
        daemon = await startDaemon(path.join(out, 'daemon-crosssite.log'));
        attacker = http.createServer((req, res) => {
            res.writeHead(200, { 'Content-Type': 'text/html' });
            res.end(attackPage(daemon.base + '/api'));
        });
        await new Promise(r => attacker.listen(0, '127.0.0.1', r));
        attackerBase = `http://127.0.0.1:${attacker.address().port}`; // same host, another port: another origin
        profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aes67d-e2e-chromium-'));
        context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true,
            args: FLAGS });
    });

    after(async () => {
        await context?.close();
        attacker?.close();
        if (daemon) {
            const { code } = await daemon.stop();
            fs.rmSync(daemon.dir, { recursive: true, force: true });
            assert.equal(code, 0, 'daemon exit status after SIGTERM');
        }
        if (profile) {
            fs.rmSync(profile, { recursive: true, force: true });
        }
    });

    const get = async p => (await fetch(daemon.base + '/api' + p)).text();
    const state = async () => ({
        config: JSON.parse(await get('/config')), ptp: JSON.parse(await get('/ptp/config')),
        sources: JSON.parse(await get('/sources'))
    });
    const runAttack = async () => {
        const page = await context.newPage();
        await page.goto(attackerBase + '/');
        await page.waitForFunction(() => window.results && window.results.form, null, { timeout: 20000 });
        const results = await page.evaluate(() => window.results);
        await page.close();
        return results;
    };

    it('refuses the form POST, the text/plain fetch and the JSON fetch; nothing changes', async () => {
        const before = await state();
        const results = await runAttack();
        assert.match(results.json, /^error/, 'the JSON PUT is blocked: no CORS header for another origin');
        const afterwards = await state();
        assert.equal(afterwards.config.sap_interval, before.config.sap_interval);
        assert.equal(afterwards.config.custom_node_id, before.config.custom_node_id);
        assert.deepEqual(afterwards.ptp, before.ptp);
        assert.deepEqual(afterwards.sources, before.sources);
        // the refusals were the daemon's (403 with the reason), not requests that never left the browser
        const log = fs.readFileSync(path.join(out, 'daemon-crosssite.log'), 'utf8');
        assert.match(log, /refused POST \/api\/(config|ptp\/config) from 127\.0\.0\.1: origin http:\/\/127\.0\.0\.1:\d+ is neither/);
    });

    it('control: with http_allowed_origins "*" (the C++ daemon\'s CORS) the same page does change state', async () => {
        const r = await fetch(daemon.base + '/api/config', { method: 'POST',
            body: JSON.stringify({ http_allowed_origins: '*' }) });
        assert.equal(r.status, 200, await r.text());
        await until('the wildcard to apply', async () =>
            (await fetch(daemon.base + '/api/version')).headers.get('access-control-allow-origin') === '*', 10000);
        await runAttack();
        await until('the attack to land', async () => {
            const s = await state();
            return s.config.sap_interval === 31 && s.ptp.domain === 7;
        }, 10000);
    });
});
