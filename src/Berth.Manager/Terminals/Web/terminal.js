// Berth web terminal: xterm.js over one WebSocket (docs/apps.md, "Web terminal").
// Binary frames are raw terminal bytes both ways; text frames are JSON control messages:
// {"type":"resize","cols":N,"rows":N} to the server, {"type":"exit","code":N} from it.
// The socket's address is relative to this page, so the page works under any prefix.
(function () {
  'use strict';
  const term = new Terminal({ cursorBlink: true, scrollback: 5000, fontFamily: 'monospace' });
  const fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(document.getElementById('terminal'));
  fit.fit();

  const url = new URL('ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '?cols=' + term.cols + '&rows=' + term.rows;
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const encoder = new TextEncoder();
  let exitCode = null;

  const send = (data) => { if (socket.readyState === WebSocket.OPEN) socket.send(data); };
  const resize = () => send(JSON.stringify({ type: 'resize', cols: term.cols, rows: term.rows }));

  socket.onopen = () => { resize(); term.focus(); };
  socket.onmessage = (e) => {
    if (typeof e.data === 'string') {
      try {
        const m = JSON.parse(e.data);
        if (m.type === 'exit') exitCode = m.code;
      } catch (_) { /* not a control message we know */ }
    } else {
      term.write(new Uint8Array(e.data));
    }
  };
  socket.onclose = () => {
    term.write('\r\n[session ended]' + (exitCode === null ? '' : ' (exit ' + exitCode + ')') + '\r\n');
    document.title = 'Berth terminal (ended)';
  };
  term.onData((d) => send(encoder.encode(d)));
  term.onBinary((d) => send(Uint8Array.from(d, (c) => c.charCodeAt(0) & 0xff)));
  term.onResize(resize);
  // Fit on every change of the terminal's box, not only the window's: in a frame (the web console's terminal
  // dialog) the box changes with the frame. One fit per frame, however many events; a fit that changes the size
  // fires onResize above, which tells the shell.
  let fitPending = false;
  const refit = () => {
    if (fitPending) return;
    fitPending = true;
    requestAnimationFrame(() => { fitPending = false; fit.fit(); });
  };
  window.addEventListener('resize', refit);
  if (typeof ResizeObserver === 'function') new ResizeObserver(refit).observe(document.getElementById('terminal'));
})();
