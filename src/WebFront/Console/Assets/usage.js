// Usage: requests, tokens, cost, errors and first-token times, by model, key, user, category or time.
import { get } from './api.js';
import { bars, clear, errorBox, fmt, h, table } from './ui.js';

export function usage(main, session) {
  const operator = session.role === 'operator';
  const groupings = operator ? ['model', 'key', 'user', 'category', 'day', 'hour'] : ['model', 'category', 'day', 'hour'];
  const groupBy = h('select', { id: 'usage-group' }, groupings.map((g) => h('option', { value: g }, g)));
  const days = h('select', { id: 'usage-window' }, [['1', 'last day'], ['7', 'last 7 days'], ['30', 'last 30 days']].map(([v, t]) => h('option', { value: v }, t)));
  days.value = '7';
  const out = h('div', { id: 'usage-out' });
  const form = h('form', { class: 'filters card', onsubmit: (e) => { e.preventDefault(); load(); } },
    h('div', { class: 'field' }, h('label', { for: 'usage-group' }, 'By'), groupBy),
    h('div', { class: 'field' }, h('label', { for: 'usage-window' }, 'Window'), days),
    h('button', { type: 'submit' }, 'Show'));
  groupBy.addEventListener('change', load);
  days.addEventListener('change', load);
  main.append(form, out);

  async function load() {
    const from = new Date(Date.now() - Number(days.value) * 86_400_000).toISOString();
    const path = `${operator ? '/admin/usage' : '/v1/usage'}?group_by=${groupBy.value}&from=${encodeURIComponent(from)}`;
    try {
      const data = await get(path);
      const groups = data.groups;
      const label = (g) => g.group ?? '(none)';
      clear(out).append(
        h('div', { class: 'charts' },
          bars('Requests', groups.map((g) => [label(g), g.requests])),
          bars('Tokens (in + out)', groups.map((g) => [label(g), g.prompt_tokens + g.output_tokens])),
          bars(`Cost (${data.currency})`, groups.map((g) => [label(g), g.cost]), (v) => fmt.num(v, 6)),
          bars('Errors', groups.map((g) => [label(g), g.errors]))),
        table(`Usage by ${groupBy.value}`, [groupBy.value, 'Requests', 'Tokens in', 'Tokens out', 'Cost', 'Errors', 'First token p50', 'First token p95'],
          groups.map((g) => [label(g), fmt.int(g.requests), fmt.int(g.prompt_tokens), fmt.int(g.output_tokens), fmt.money(g.cost, data.currency),
            fmt.int(g.errors), fmt.ms(g.ttft_p50_ms), fmt.ms(g.ttft_p95_ms)])));
    } catch (e) {
      clear(out).append(errorBox(e.message));
    }
  }

  load();
}
