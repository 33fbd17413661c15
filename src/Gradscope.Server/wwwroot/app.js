// Gradscope dashboard: the run list, a run page and the compare page. Text from runs is only ever set through
// textContent; every number comes from the server (RunView); charts are uPlot (vendored, MIT).
'use strict';
(() => {
  const palette = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#7f7f7f', '#000000', '#F0E442', '#8c564b'];
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const state = { charts: {}, lastStep: -1, updates: 0 };
  window.gradscope = state; // read by the browser tests

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }

  async function getJson(url) {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: ${r.status} ${(await r.json().catch(() => ({}))).error || ''}`);
    return r.json();
  }

  function setLive(text, on) { const l = $('live'); if (l) { l.textContent = text; l.classList.toggle('on', !!on); } }

  function fail(e) { setLive('error: ' + e.message, false); }

  // Server-Sent Events, reopened by hand when the browser gives up (a server restart answered with an error).
  function live(url, onUpdate) {
    let source = null;
    const open = () => {
      source = new EventSource(url);
      source.onopen = () => setLive('live', true);
      source.addEventListener('update', (e) => { state.updates++; onUpdate(JSON.parse(e.data)); });
      source.onerror = () => {
        setLive('reconnecting…', false);
        if (source.readyState === EventSource.CLOSED) { source.close(); setTimeout(open, 1500); }
      };
    };
    open();
  }

  function throttle(fn, ms) {
    let busy = false, again = false;
    const run = async () => {
      if (busy) { again = true; return; }
      busy = true;
      try { await fn(); } catch (e) { fail(e); }
      setTimeout(() => { busy = false; if (again) { again = false; run(); } }, ms);
    };
    return run;
  }

  const fmtDuration = (s) => s == null ? '–' : s < 60 ? `${s.toFixed(1)} s` : s < 3600 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(2)} h`;
  const fmtDate = (iso) => { const d = new Date(iso); return isNaN(d) ? '–' : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC'; };

  // ---- charts ---------------------------------------------------------------------------------------------------

  // Joins series with their own x values onto one x axis (uPlot's data model); gaps where a series has no point.
  function align(list) {
    const xs = [...new Set(list.flatMap((s) => s.x))].sort((a, b) => a - b);
    const at = new Map(xs.map((x, i) => [x, i]));
    return [xs, ...list.map((s) => { const ys = new Array(xs.length).fill(null); s.x.forEach((x, i) => { ys[at.get(x)] = s.y[i]; }); return ys; })];
  }

  const positive = (ys) => ys.map((v) => (v != null && v > 0 && isFinite(v) ? v : null));

  // A chart that is rebuilt when its set of series changes and otherwise only given new data (keeping the zoom).
  function chart(key, container, { log = true, xLabel = 'step', onZoom = null } = {}) {
    const c = { plot: null, names: '', zoom: null, log };
    c.draw = (list) => {
      const data = align(list.map((s) => ({ x: s.x, y: c.log ? positive(s.y) : s.y })));
      const names = list.map((s) => s.label + (s.faint ? '~' : '')).join('|') + c.log;
      if (c.plot && names === c.names) { c.plot.setData(data, c.zoom == null); return; }
      c.names = names;
      if (c.plot) c.plot.destroy();
      const width = Math.max(320, container.clientWidth || 900);
      c.plot = new uPlot({
        width, height: container.classList.contains('tall') ? 420 : 300,
        scales: { x: { time: false }, y: { distr: c.log ? 3 : 1 } },
        axes: [{ label: xLabel }, { size: 70 }],
        cursor: { drag: { x: true, y: false } },
        series: [{ label: xLabel }, ...list.map((s, i) => ({
          label: s.label, stroke: s.color || palette[i % palette.length], width: s.faint ? 1 : 1.6, spanGaps: true,
          alpha: s.faint ? 0.25 : 1, points: { show: false },
        }))],
        hooks: {
          setSelect: [(u) => {
            if (u.select.width < 2) return;
            c.zoom = [u.posToVal(u.select.left, 'x'), u.posToVal(u.select.left + u.select.width, 'x')];
            if (onZoom) onZoom(c.zoom);
          }],
        },
      }, data, container);
      c.plot.over.addEventListener('dblclick', () => { c.zoom = null; if (onZoom) onZoom(null); });
    };
    state.charts[key] = c;
    return c;
  }

  function heatmap(canvas, columns, edges) {
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (columns.length === 0) return;
    let lo = edges.length, hi = -1;
    for (const col of columns) col.counts.forEach((v, i) => { if (v > 0) { lo = Math.min(lo, i); hi = Math.max(hi, i); } });
    if (hi < 0) return;
    const left = 70, bottom = 28, w = canvas.width - left - 10, h = canvas.height - bottom - 8;
    const rows = hi - lo + 1, cw = w / columns.length, rh = h / rows;
    for (let c = 0; c < columns.length; c++) {
      const counts = columns[c].counts, total = counts.reduce((a, v) => a + (v || 0), 0) || 1;
      for (let r = lo; r <= hi; r++) {
        const share = (counts[r] || 0) / total;
        if (share <= 0) continue;
        ctx.fillStyle = ramp(Math.sqrt(share));
        ctx.fillRect(left + c * cw, 8 + (hi - r) * rh, Math.ceil(cw), Math.ceil(rh));
      }
    }
    ctx.fillStyle = '#1d2330'; ctx.font = '11px sans-serif';
    for (let r = lo; r <= hi; r += 4) ctx.fillText(edges[r] === 0 ? '0' : edges[r].toExponential(0), 4, 8 + (hi - r + 0.5) * rh);
    const ticks = Math.min(6, columns.length);
    for (let t = 0; t < ticks; t++) {
      const c = Math.round((columns.length - 1) * t / Math.max(1, ticks - 1));
      ctx.fillText(String(columns[c].step), left + c * cw, canvas.height - 10);
    }
  }

  // Rows t = 1 (bottom) … τ (top), columns the measured training steps; colour by log10 ‖∂C/∂h_t‖ over the map's range.
  function profileHeatmap(canvas, h) {
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (h.steps.length === 0 || h.timeSteps === 0) return;
    let lo = Infinity, hi = -Infinity;
    for (const col of h.log10) for (const v of col) if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (lo > hi) return;
    const left = 70, bottom = 28, w = canvas.width - left - 10, ht = canvas.height - bottom - 8;
    const cw = w / h.steps.length, rh = ht / h.timeSteps, span = Math.max(hi - lo, 1e-12);
    h.log10.forEach((col, c) => col.forEach((v, i) => {
      if (v === null) return;
      ctx.fillStyle = ramp(1 - (v - lo) / span); // darker = larger gradient
      ctx.fillRect(left + c * cw, 8 + (h.timeSteps - 1 - i) * rh, Math.ceil(cw), Math.ceil(rh));
    }));
    ctx.fillStyle = '#1d2330'; ctx.font = '11px sans-serif';
    ctx.fillText(`t=${h.timeSteps}`, 4, 18);
    ctx.fillText('t=1', 4, canvas.height - bottom);
    ctx.fillText(`1e${lo.toFixed(1)} … 1e${hi.toFixed(1)}`, left, canvas.height - 1);
    const ticks = Math.min(6, h.steps.length);
    for (let t = 0; t < ticks; t++) {
      const c = Math.round((h.steps.length - 1) * t / Math.max(1, ticks - 1));
      ctx.fillText(String(h.steps[c]), left + c * cw, canvas.height - 14);
    }
  }

  // A viridis-like ramp from pale to dark: more of the layer's values in a bin, darker.
  function ramp(t) {
    const stops = [[253, 231, 37], [94, 201, 98], [33, 145, 140], [59, 82, 139], [68, 1, 84]];
    const x = Math.min(0.9999, Math.max(0, t)) * (stops.length - 1), i = Math.floor(x), f = x - i;
    const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }

  // ---- run list -------------------------------------------------------------------------------------------------

  function listPage() {
    let runs = [], sortKey = 'start', sortDir = -1;
    const picked = new Set();
    const body = document.querySelector('#runs tbody');
    const render = () => {
      const f = $('filter').value.trim().toLowerCase();
      const shown = runs.filter((r) => !f || [r.name, r.id, r.status, r.sizes, r.activation, r.optimizer, r.eta, r.verdict].join(' ').toLowerCase().includes(f));
      shown.sort((a, b) => { const x = a[sortKey] ?? '', y = b[sortKey] ?? ''; return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sortDir; });
      body.replaceChildren(...shown.map((r) => {
        const box = el('input', { type: 'checkbox', 'aria-label': 'compare ' + r.name });
        box.checked = picked.has(r.id);
        box.addEventListener('change', () => { if (box.checked) picked.add(r.id); else picked.delete(r.id); $('compare').disabled = picked.size < 2; });
        return el('tr', { 'data-run': r.id },
          el('td', {}, box),
          el('td', {}, el('a', { href: '/run?id=' + encodeURIComponent(r.id), text: r.name }), el('div', { class: 'muted', text: r.id })),
          el('td', {}, el('span', { class: 'status ' + r.status, text: r.status })),
          el('td', { text: r.sizes }), el('td', { text: r.activation }), el('td', { text: r.optimizer }), el('td', { text: r.eta }),
          el('td', { class: 'sev-' + r.severity, text: r.verdict }), el('td', { text: fmtDate(r.start) }), el('td', { text: fmtDuration(r.seconds) }));
      }));
      $('empty').hidden = runs.length > 0;
      document.body.dataset.rows = String(shown.length);
    };
    document.querySelectorAll('#runs th[data-key]').forEach((th) => th.addEventListener('click', () => {
      const key = th.dataset.key;
      if (key === 'pick') return;
      sortDir = sortKey === key ? -sortDir : 1; sortKey = key;
      document.querySelectorAll('#runs th').forEach((t) => t.classList.remove('asc', 'desc'));
      th.classList.add(sortDir > 0 ? 'asc' : 'desc');
      render();
    }));
    $('filter').addEventListener('input', render);
    $('compare').addEventListener('click', () => { location.href = '/compare?ids=' + [...picked].map(encodeURIComponent).join(','); });
    const load = throttle(async () => { runs = await getJson('/api/runs'); render(); }, 1000);
    load();
    live('/api/events', load);
  }

  // ---- run page -------------------------------------------------------------------------------------------------

  function runPage() {
    const id = params.get('id') || '';
    const q = (more) => '/api/' + more + (more.includes('?') ? '&' : '?') + 'id=' + encodeURIComponent(id);
    let run = null;
    const zooms = {};
    const seriesChart = (key, quantity, log) => {
      const c = state.charts[key] || chart(key, $('chart-' + key), { log, onZoom: (z) => { zooms[key] = z; draw(key, quantity); } });
      return c;
    };
    async function draw(key, quantity) {
      const c = seriesChart(key, quantity, key !== 'score');
      const z = zooms[key];
      const s = await getJson(q(`series?q=${encodeURIComponent(quantity)}&points=1000` + (z ? `&from=${Math.floor(z[0])}&to=${Math.ceil(z[1])}` : '')));
      if (s.layers.length === 0) return;
      c.draw(s.layers.map((l) => ({ label: l.name, x: l.steps, y: l.values })));
      if (key === 'speed') { $('speed-label').textContent = s.label; state.lastStep = Math.max(...s.layers.map((l) => l.steps.length ? l.steps[l.steps.length - 1] : -1)); }
    }
    function epochs() {
      const e = run.epochs;
      if (e.length === 0) return;
      const x = e.map((r) => r.step);
      const cost = state.charts.cost || chart('cost', $('chart-cost'), { log: true });
      cost.draw([{ label: 'train cost', x, y: e.map((r) => r.trainCost) }, ...(e.some((r) => r.testCost != null) ? [{ label: 'test cost', x, y: e.map((r) => r.testCost) }] : [])]);
      // The headline score: accuracy, or R² for a regression run.
      $('score-name').textContent = run.scoreName;
      const acc = state.charts.score || chart('score', $('chart-score'), { log: false });
      acc.draw([{ label: 'train ' + run.scoreName, x, y: e.map((r) => r.trainScore) }, ...(e.some((r) => r.testScore != null) ? [{ label: 'test ' + run.scoreName, x, y: e.map((r) => r.testScore) }] : [])]);
    }
    function header() {
      document.title = 'Gradscope — ' + run.name;
      $('title').textContent = run.id;
      $('name').replaceChildren(run.name + ' ', el('span', { class: 'status ' + run.status, text: run.status }));
      $('meta').textContent = `${run.kind} · layers ${run.sizes} · ${run.cost} · ${run.data} · started ${fmtDate(run.start)} · ${fmtDuration(run.seconds)} · step ${run.lastStep} · ${run.records} records`
        + (run.failure ? ' · ' + run.failure : '');
      $('verdict').className = 'verdict sev-' + run.severity;
      $('verdict').textContent = run.verdict + ` — final cost ${run.finalCost}, ${run.finalScore}`;
      $('ratio').textContent = `Speed of learning, ${run.ratioName} layer: ${run.ratioInit} at init, ${run.ratioEnd} ${run.status === 'running' ? 'now' : 'at end'}.`;
      $('settings').replaceChildren(...run.settings.map((s) => el('div', {}, el('dt', { text: s.name }), el('dd', { text: s.value }))));
      document.querySelector('#layers tbody').replaceChildren(...run.rows.map((r) => el('tr', {}, ...[r.name, r.units, r.activation, r.speedInit, r.speedEnd, r.delta, r.gain, r.weightFactor, r.activationFactor, r.saturated, r.dead].map((v) => el('td', { text: v })))));
      $('findings').replaceChildren(...(run.findings.length ? run.findings.map((f) => el('div', { class: 'finding ' + f.severity }, el('strong', { text: `${f.severity}: ${f.title}` }), el('p', { text: f.evidence }), el('p', { class: 'muted', text: f.explanation })))
        : [el('p', { class: 'muted', text: run.diagnosed ? 'The doctor found nothing wrong.' : 'Not diagnosed yet (findings appear when the run finishes, or after gradscope diagnose).' })]));
      const quantity = $('quantity');
      const names = run.quantities.map((x) => x.quantity);
      if (quantity.options.length !== names.length) {
        const keep = quantity.value;
        quantity.replaceChildren(...names.map((n) => el('option', { value: n, text: n })));
        quantity.value = names.includes(keep) ? keep : (names.includes('delta_norm') ? 'delta_norm' : names[0] || '');
      }
      const hist = $('histogram');
      $('histogram-card').hidden = run.histograms.length === 0;
      if (run.histograms.length && hist.options.length !== run.histograms.length) {
        hist.replaceChildren(...run.histograms.map((h) => el('option', { value: h.quantity, text: h.quantity })));
        const layers = run.histograms[0].layers;
        $('histogram-layer').replaceChildren(...layers.map((l) => el('option', { value: l, text: 'layer ' + l })));
      }
      $('through-time-card').hidden = !run.throughTime;
    }
    async function histogram() {
      if (!run.histograms.length) return;
      const h = await getJson(q(`histogram?q=${encodeURIComponent($('histogram').value)}&layer=${encodeURIComponent($('histogram-layer').value)}&points=200`));
      heatmap($('heatmap'), h.steps.map((s, i) => ({ step: s, counts: h.counts[i] })), h.edges);
    }
    async function throughTime() {
      if (!run.throughTime) return;
      const h = await getJson(q('through-time?points=200'));
      profileHeatmap($('through-time'), h);
    }
    const refresh = throttle(async () => {
      run = await getJson(q('run'));
      header();
      $('gain-card').hidden = !run.quantities.some((x) => x.quantity === 'gain');
      const jobs = [draw('speed', 'speed'), epochs(), histogram(), throughTime()];
      if (!$('gain-card').hidden) jobs.push(draw('gain', 'gain'));
      if ($('quantity').value) jobs.push(draw('quantity', $('quantity').value));
      await Promise.all(jobs);
      document.body.dataset.version = String(run.version);
    }, 500);
    $('quantity').addEventListener('change', () => { if (state.charts.quantity) { state.charts.quantity.names = ''; } zooms.quantity = null; draw('quantity', $('quantity').value).catch(fail); });
    $('quantity-log').addEventListener('change', () => { const c = state.charts.quantity; if (c) { c.log = $('quantity-log').checked; c.names = ''; } draw('quantity', $('quantity').value).catch(fail); });
    $('histogram').addEventListener('change', () => histogram().catch(fail));
    $('histogram-layer').addEventListener('change', () => histogram().catch(fail));
    refresh();
    live(q('events'), refresh);
  }

  // ---- compare page ---------------------------------------------------------------------------------------------

  function comparePage() {
    const ids = (params.get('ids') || '').split(',').filter(Boolean);
    let runs = [];
    const smooth = (ys, w) => { let last = 0, n = 0; return ys.map((v) => { if (v == null || !isFinite(v)) return null; last = last * w + (1 - w) * v; n++; return w > 0 ? last / (1 - Math.pow(w, n)) : v; }); };
    async function setup() {
      runs = await Promise.all(ids.map((id) => getJson('/api/run?id=' + encodeURIComponent(id))));
      const names = ['speed', ...new Set(runs.flatMap((r) => r.quantities.map((x) => x.quantity)))];
      $('quantity').replaceChildren(...names.map((n) => el('option', { value: n, text: n === 'speed' ? 'speed of learning' : n })));
      $('quantity').value = params.get('q') && names.includes(params.get('q')) ? params.get('q') : 'speed';
      layers();
      $('align').value = params.get('x') === 'epoch' ? 'epoch' : 'step';
    }
    function layers() {
      const depth = Math.max(...runs.map((r) => r.depth));
      const keep = $('layer').value || params.get('layer') || '1';
      const options = [...Array(depth).keys()].map((i) => el('option', { value: i + 1, text: runs[0].layerNames[i] || 'layer ' + (i + 1) }));
      if ($('quantity').value !== 'speed') options.unshift(el('option', { value: 0, text: 'network-wide' }));
      $('layer').replaceChildren(...options);
      $('layer').value = keep;
      if (!$('layer').value) $('layer').value = '1';
    }
    const draw = throttle(async () => {
      const quantity = $('quantity').value, layer = $('layer').value, byEpoch = $('align').value === 'epoch', w = Number($('smoothing').value);
      $('smoothing-value').textContent = w.toFixed(2);
      const data = await getJson(`/api/compare?ids=${ids.map(encodeURIComponent).join(',')}&q=${encodeURIComponent(quantity)}&layer=${encodeURIComponent(layer)}&points=2000`);
      $('compare-title').textContent = `${data.runs[0].label} — ${data.runs[0].layerName}`;
      const list = [];
      data.runs.forEach((r, i) => {
        const x = r.steps.map((s) => (byEpoch && r.stepsPerEpoch ? s / r.stepsPerEpoch : s));
        list.push({ label: r.name, x, y: smooth(r.values, w), color: palette[i % palette.length] });
        if (w > 0) list.push({ label: r.name + ' (raw)', x, y: r.values, color: palette[i % palette.length], faint: true });
      });
      let c = state.charts.compare;
      if (!c || c.log !== $('log').checked || c.byEpoch !== byEpoch) {
        if (c && c.plot) c.plot.destroy();
        c = chart('compare', $('chart-compare'), { log: $('log').checked, xLabel: byEpoch ? 'epoch' : 'step' });
        c.byEpoch = byEpoch;
      }
      c.draw(list);
      state.compared = data.runs.length;
      document.body.dataset.compared = String(data.runs.length);
    }, 300);
    ['quantity', 'layer', 'align', 'smoothing', 'log'].forEach((k) => $(k).addEventListener(k === 'smoothing' ? 'input' : 'change', () => { if (k === 'quantity') layers(); draw(); }));
    // One stream for all the compared runs (the list's), not one per run: browsers allow six connections per host.
    setup().then(() => { draw(); live('/api/events', draw); }).catch(fail);
  }

  const page = document.body.dataset.page;
  if (page === 'list') listPage(); else if (page === 'run') runPage(); else if (page === 'compare') comparePage();
})();
