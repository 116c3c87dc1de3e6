/*
 * AES67 > Streamer: GET /api/config (streamer_*), /api/sinks, /api/streamer/info/{id} and /api/streamer/status
 * every 2 s; POST /api/config turns the streamer on or off; an HTML5 <audio> plays /api/streamer/stream/{id}.
 */
'use strict';

(() => {
    const { api, el, status, section, button, table, badge, poll } = AES67;
    const root = document.getElementById('aes67');
    const STATUS = [
        ['ok', 'good'], ['PTP not locked', 'warn'], ['channel not captured', 'bad'], ['buffering', 'warn'],
        ['not enabled', 'off'], ['invalid sink', 'bad'], ['cannot retrieve sink', 'bad']];
    let enabled = false;

    const summary = el('div', { class: 'aes67-hint' });
    const toggle = button('Enable', () => setEnabled(!enabled), { title: 'streamer_enabled in the config' });
    section('HTTP streamer', [toggle, button('Refresh', () => load())], summary);

    const list = table([
        { title: 'Sink', class: 'aes67-num', cell: r => String(r.sink.id) },
        { title: 'Name', class: 'aes67-name', cell: r => r.sink.name },
        { title: 'Status', class: 'aes67-status', cell: r => {
            const [text, kind] = STATUS[r.info.status] || ['status ' + r.info.status, 'bad'];
            return badge(text, kind);
        } },
        { title: 'Stream', cell: r => r.info.rate ? 'AAC-LC ' + r.info.channels + ' ch, ' + r.info.rate + ' Hz'
            + (r.stats ? ', ' + Math.round(r.stats.bit_rate / 1000) + ' kbit/s' : '') : '' },
        { title: 'File window', cell: r => r.info.status === 0
            ? 'writing ' + r.info.current_file_id + ', players start at ' + r.info.start_file_id
                + (r.stats ? ' (' + r.stats.file_count + ' files so far)' : '') : '' },
        { title: 'Listeners', cell: r => r.stats ? r.stats.listeners + (r.stats.live_skips ? ' (' + r.stats.live_skips
            + ' skips)' : '') : '' },
        { title: 'Lost', cell: r => r.stats ? String(r.stats.dropped_frames) + ' frames' : '' },
        { title: 'Actions', class: 'aes67-actions', cell: r => [
            button('Play', () => play(r.sink), { title: 'listen to sink ' + r.sink.id, disabled: r.info.status !== 0 }),
            el('a', { href: root.dataset.api + '/streamer/streamer/' + r.sink.id + '/' + r.info.start_file_id,
                text: 'File', title: 'the oldest file a player starts with', class: 'aes67-link',
                hidden: r.info.status !== 0 })] }
    ], 'No sinks: add one on the Sinks page.');
    section('Sinks', [], list.el);

    const nowPlaying = el('div', { class: 'aes67-hint', text: 'Nothing playing.' });
    const player = el('audio', { controls: true, preload: 'none' });
    section('Live player', [button('Stop', stop)], nowPlaying, player);

    function play(sink) {
        player.src = root.dataset.api + '/streamer/stream/' + sink.id;
        nowPlaying.textContent = 'Sink ' + sink.id + ' (' + sink.name + '), live AAC from ' + player.src;
        player.play().catch(e => status('cannot play: ' + e.message, 'error'));
    }

    function stop() {
        player.pause();
        player.removeAttribute('src');
        player.load();
        nowPlaying.textContent = 'Nothing playing.';
    }

    async function setEnabled(on) {
        try {
            await api('POST', '/config', { streamer_enabled: on });
            status('streamer ' + (on ? 'enabled' : 'disabled'));
            await load();
        } catch (e) {
            status(e.message, 'error');
        }
    }

    async function load() {
        const config = await api('GET', '/config');
        enabled = config.streamer_enabled === true;
        toggle.textContent = enabled ? 'Disable' : 'Enable';
        let stats = null;
        try {
            stats = await api('GET', '/streamer/status');
        } catch (e) {
            stats = null; // the streamer bundle is stopped or absent
        }
        summary.textContent = (enabled ? 'Enabled' : 'Disabled') + ': ' + config.streamer_files_num + ' files of '
            + config.streamer_file_duration + ' s per sink, channels below ' + config.streamer_channels
            + ' captured, players buffer ' + config.streamer_player_buffer_files_num + ' file(s). Encoder: '
            + (stats ? stats.encoder || '(off)' : 'streamer bundle not running');
        const sinks = (await api('GET', '/sinks')).sinks;
        const rows = [];
        for (const sink of sinks) {
            let info;
            try {
                info = await api('GET', '/streamer/info/' + sink.id);
            } catch (e) {
                info = { status: 4 };
            }
            const s = stats && stats.sinks ? stats.sinks.find(x => x.id === sink.id) : null;
            rows.push({ id: sink.id, sink, info, stats: s && s.bit_rate ? s : null });
        }
        list.setRows(rows);
    }

    poll(load, 2000);
})();
