// Requests: the request log, filtered, with a live tail (polled) and one request's details.
import { get } from './api.js';
import { clear, errorBox, every, fmt, h, table } from './ui.js';

const outcomes = ['', 'done', 'error', 'client_disconnected', 'incomplete', 'rejected'];

export function requests(main, session) {
  const operator = session.role === 'operator';
  const field = (id, label, input) => h('div', { class: 'field' }, h('label', { for: id }, label), input);
  const keyId = h('input', { id: 'rq-key', placeholder: 'key id' });
  const userId = h('input', { id: 'rq-user', placeholder: 'user' });
  const model = h('input', { id: 'rq-model', placeholder: 'model' });
  const category = h('input', { id: 'rq-category', placeholder: 'category' });
  const outcome = h('select', { id: 'rq-outcome' }, outcomes.map((o) => h('option', { value: o }, o || 'any')));
  const from = h('input', { id: 'rq-from', type: 'datetime-local' });
  const to = h('input', { id: 'rq-to', type: 'datetime-local' });
  const live = h('input', { id: 'rq-live', type: 'checkbox', checked: true });
  const status = h('div', { class: 'status' });
  const list = h('div', { id: 'rq-table' });
  const detail = h('div', { id: 'rq-detail' });
  let rows = [];
  let stopTail = null;

  const form = h('form', { class: 'filters card', onsubmit: (e) => { e.preventDefault(); restart(); } },
    operator ? field('rq-key', 'Key', keyId) : null,
    operator ? field('rq-user', 'User', userId) : null,
    field('rq-model', 'Model', model),
    field('rq-category', 'Category', category),
    field('rq-outcome', 'Outcome', outcome),
    field('rq-from', 'From', from),
    field('rq-to', 'To', to),
    h('div', { class: 'field check' }, live, h('label', { for: 'rq-live' }, 'Live tail')),
    h('button', { type: 'submit' }, 'Apply'));
  live.addEventListener('change', restart);
  main.append(form, status, list, detail);

  function query() {
    const q = new URLSearchParams({ limit: '100' });
    if (operator && keyId.value.trim()) q.set('key_id', keyId.value.trim());
    if (operator && userId.value.trim()) q.set('user_id', userId.value.trim());
    if (model.value.trim()) q.set('model', model.value.trim());
    if (outcome.value) q.set('outcome', outcome.value);
    if (from.value) q.set('from', new Date(from.value).toISOString());
    if (to.value) q.set('to', new Date(to.value).toISOString());
    return `${operator ? '/admin/requests' : '/v1/requests'}?${q}`;
  }

  async function load() {
    try {
      const page = await get(query());
      const wanted = category.value.trim();
      rows = page.requests.filter((r) => !wanted || r.category === wanted);
      clear(status).append(h('p', { class: 'hint' }, `${rows.length} requests${live.checked ? ', updating live' : ''}. Last read ${new Date().toLocaleTimeString()}.`));
      render();
    } catch (e) {
      clear(status).append(errorBox(e.message));
    }
  }

  function render() {
    clear(list).append(table('Request log, newest first',
      ['Time', 'Key', 'User', 'Model', 'Category', 'Outcome', 'Tokens in/out', 'Cost', 'First token'],
      rows.map((r) => [fmt.time(r.time), r.key_id ?? '–', r.user_id ?? '–', r.model ?? '–', r.category ?? '–',
        h('span', { class: `outcome ${r.outcome}` }, r.outcome), `${fmt.int(r.prompt_tokens)} / ${fmt.int(r.output_tokens)}`,
        fmt.money(r.cost, r.currency), fmt.ms(r.ttft_ms)]),
      { onRowClick: (i) => showDetail(rows[i]), rowLabel: (i) => `Request ${rows[i].request_id}` }));
  }

  function showDetail(r) {
    const item = (name, value) => [h('dt', {}, name), h('dd', {}, value ?? '–')];
    clear(detail).append(h('section', { class: 'card detail', 'aria-label': 'Request details' },
      h('h2', {}, `Request ${r.request_id}`),
      h('dl', {},
        item('Time', fmt.time(r.time)), item('Surface', r.surface), item('Key', r.key_id), item('User', r.user_id),
        item('Model asked', r.model_requested ?? 'auto'), item('Model', r.model), item('Category', r.category),
        item('Confidence', r.confidence === null ? null : fmt.num(r.confidence, 3)), item('Classifier tier', r.tier),
        item('Routing reason', r.routing_reason), item('First token', fmt.ms(r.ttft_ms)), item('Duration', fmt.ms(r.duration_ms)),
        item('Tokens in / out / cached', `${fmt.int(r.prompt_tokens)} / ${fmt.int(r.output_tokens)} / ${fmt.int(r.cached_tokens)}`),
        item('Cost', `${fmt.money(r.cost, r.currency)}${r.cost_estimated ? ' (estimated)' : ''}`),
        item('Outcome', r.outcome), item('Error', r.error_code), item('Web front', r.web_front), item('Silo', r.silo), item('Trace id', r.trace_id)),
      r.prompt ? h('details', {}, h('summary', {}, 'Prompt'), h('pre', {}, r.prompt)) : null,
      r.answer ? h('details', {}, h('summary', {}, 'Answer'), h('pre', {}, r.answer)) : null));
    detail.querySelector('h2').scrollIntoView({ block: 'nearest' });
  }

  function restart() {
    stopTail?.();
    stopTail = live.checked ? every(2000, load) : (load(), null);
  }

  restart();
  return () => stopTail?.();
}
