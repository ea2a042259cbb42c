/*
 * What both dashboards share: reading the insights API and drawing ECharts charts. After each draw a chart's
 * element carries data-points (values drawn) and data-draws (how many times it was drawn), which the browser
 * tests read; an empty answer is drawn as "no data" with data-points="0".
 */
(function (global) {
  'use strict';

  const palette = ['#2f6db5', '#e07b39', '#3a9d5d', '#c8453b', '#8a5cc2', '#c19a1c', '#2aa1b3', '#7b8794'];
  const charts = {};

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) {
      let body = {};
      try { body = await response.json(); } catch (e) { /* not JSON */ }
      const error = new Error(body.error || response.status + ' ' + response.statusText);
      error.reason = body.reason;
      error.command = body.command;
      throw error;
    }
    return response.json();
  }

  function element(id) {
    return document.getElementById(id);
  }

  function chart(id) {
    if (!charts[id]) {
      const el = element(id);
      el.innerHTML = '';
      charts[id] = echarts.init(el, null, { renderer: 'canvas' });
    }
    return charts[id];
  }

  function mark(id, points) {
    const el = element(id);
    el.dataset.points = String(points);
    el.dataset.draws = String(Number(el.dataset.draws || 0) + 1);
    el.dataset.error = '';
  }

  function message(id, text, cls) {
    if (charts[id]) {
      charts[id].dispose();
      delete charts[id];
    }
    const el = element(id);
    el.innerHTML = '<div class="' + cls + '"></div>';
    el.firstChild.textContent = text;
  }

  /** Draws option on chart id, or "no data" when points is 0. */
  function draw(id, option, points) {
    if (points === 0) {
      message(id, 'No data for this period yet', 'empty');
    } else {
      chart(id).setOption(Object.assign({ color: palette, animation: false }, option), true);
    }
    mark(id, points);
  }

  /** The notice of an answer that failed because no batch run has built gold yet, else null. */
  function noBatchRunYet(error) {
    return error.reason === 'no-batch-run' ? 'No batch run yet: start one with ' + error.command : null;
  }

  /** A chart that could not be drawn: "no batch run yet" is a notice, anything else an error. */
  function fail(id, error) {
    const notice = noBatchRunYet(error);
    message(id, notice || 'Could not load: ' + error.message, notice ? 'empty' : 'failed');
    const el = element(id);
    el.dataset.points = '0';
    el.dataset.error = notice ? '' : error.message;
  }

  /** A horizontal ranked bar chart, biggest on top. */
  function rankedBars(id, rows, labelKey, valueKey, valueName, decimals) {
    const ordered = rows.slice().reverse();
    draw(id, {
      grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', name: valueName, nameLocation: 'middle', nameGap: 22 },
      yAxis: { type: 'category', data: ordered.map(r => r[labelKey]),
               axisLabel: { width: 170, overflow: 'truncate' } },
      series: [{ type: 'bar', name: valueName, data: ordered.map(r => r[valueKey]),
                 label: { show: true, position: 'right',
                          formatter: p => decimals ? Number(p.value).toFixed(decimals) : p.value } }]
    }, rows.length);
  }

  function time(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  }

  /** A duration as people say it: "45 s", "1 min 5 s", "2 h 3 min". */
  function duration(ms) {
    const seconds = Math.round(ms / 1000);
    if (seconds < 60) return seconds + ' s';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
    return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
  }

  function ago(iso) {
    const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
    if (seconds < 90) return seconds + ' s ago';
    if (seconds < 5400) return Math.round(seconds / 60) + ' min ago';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h ago';
    return Math.round(seconds / 86400) + ' days ago';
  }

  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));

  global.Dash = { getJson, draw, fail, noBatchRunYet, rankedBars, time, ago, duration, palette };
})(window);
