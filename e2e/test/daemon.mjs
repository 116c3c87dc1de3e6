// Starts the built daemon as a real process in a fresh temp folder, as a user would (java -jar ... -c ... -p ...).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repo = path.resolve(import.meta.dirname, '..', '..');
export const dist = path.join(repo, 'runtime', 'target', 'dist');

async function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

async function until(what, check, ms) {
    const end = Date.now() + ms;
    for (;;) {
        try {
            const v = await check();
            if (v) {
                return v;
            }
        } catch {
            // not yet
        }
        if (Date.now() > end) {
            throw new Error('timed out waiting for ' + what);
        }
        await new Promise(r => setTimeout(r, 250));
    }
}

/**
 * The daemon on the default config in a temp dir, on a free port. deployJars are dropped into its deploy/ folder
 * (hot deploy) before it starts.
 */
export async function startDaemon(logFile, deployJars = []) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aes67d-e2e-'));
    fs.copyFileSync(path.join(dist, 'daemon.conf'), path.join(dir, 'daemon.conf'));
    fs.mkdirSync(path.join(dir, 'deploy'));
    deployJars.forEach(j => fs.copyFileSync(j, path.join(dir, 'deploy', path.basename(j))));
    const port = await freePort();
    const log = fs.openSync(logFile, 'w');
    const java = process.env.JAVA || 'java';
    const proc = spawn(java, ['-jar', path.join(dist, 'aes67-daemon.jar'), '-c', path.join(dir, 'daemon.conf'),
        '-p', String(port)], { cwd: dir, stdio: ['ignore', log, log] });
    const exited = new Promise(resolve => proc.once('exit', (code, signal) => resolve({ code, signal })));
    const base = `http://127.0.0.1:${port}`;
    await until('the REST API', async () => (await fetch(base + '/api/version')).ok, 60000);
    const pwFile = path.join(dir, 'webconsole.password');
    const password = await until('webconsole.password', () => fs.existsSync(pwFile)
        && fs.readFileSync(pwFile, 'utf8').trim(), 30000);
    const auth = 'Basic ' + Buffer.from('admin:' + password).toString('base64');
    // the console registers its plugins a moment after the API
    await until('the Web Console pages', async () => (await fetch(base + '/system/console/aes67-sources',
        { headers: { Authorization: auth } })).ok, 30000);
    return {
        dir, port, base, password,
        async stop() {
            if (proc.exitCode === null && proc.signalCode === null) {
                proc.kill('SIGTERM');
            }
            const r = await exited;
            fs.closeSync(log);
            return r;
        },
        kill() {
            if (proc.exitCode === null && proc.signalCode === null) {
                proc.kill('SIGKILL');
            }
        }
    };
}

export { until };
