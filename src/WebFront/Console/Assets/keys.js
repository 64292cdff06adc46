// Keys (operators only): list, create (the key is shown once), edit limits, revoke, each key's usage.
import { get, json } from './api.js';
import { clear, columns, errorBox, fmt, h, table } from './ui.js';

export function keys(main) {
  const status = h('div', { class: 'status' });
  const created = h('div', { id: 'key-created' });
  const list = h('div', { id: 'keys-table' });
  const editor = h('div', { id: 'key-editor' });
  const usagePanel = h('div', { id: 'key-usage' });
  const user = h('input', { id: 'key-user', required: true, maxlength: 128 });

  const form = h('form', { class: 'card row', onsubmit: async (e) => { e.preventDefault(); await create(); } },
    h('label', { for: 'key-user' }, 'User'), user, h('button', { type: 'submit' }, 'Create key'));
  main.append(form, created, status, list, editor, usagePanel);

  async function create() {
    try {
      const key = await json('POST', '/admin/keys', { user_id: user.value.trim() });
      const value = h('code', { id: 'new-key', class: 'secret' }, key.key);
      const copied = h('span', { class: 'hint', 'aria-live': 'polite' });
      clear(created).append(h('div', { class: 'card notice', role: 'status' },
        h('p', {}, `Key ${key.id} for ${user.value.trim()}. It is shown only now: copy it.`),
        value,
        h('button', { type: 'button', onclick: async () => { await navigator.clipboard.writeText(key.key); copied.textContent = 'Copied.'; } }, 'Copy'),
        copied));
      user.value = '';
      await load();
    } catch (e) {
      clear(created).append(errorBox(e.message));
    }
  }

  async function load() {
    try {
      const [{ keys: all }, usage] = await Promise.all([get('/admin/keys'), get('/admin/usage?group_by=key').catch(() => null)]);
      const spent = new Map((usage?.groups ?? []).map((g) => [g.group, g]));
      clear(status);
      clear(list).append(table('API keys', ['Id', 'User', 'Created', 'Limits', 'Requests (30 days)', 'Cost (30 days)', 'State', ''],
        all.map((k) => [k.id, k.user_id, fmt.time(k.created_at), limitsText(k.limits), fmt.int(spent.get(k.id)?.requests ?? 0),
          fmt.money(spent.get(k.id)?.cost ?? 0, usage?.currency),
          k.revoked ? h('span', { class: 'outcome error' }, 'revoked') : 'live',
          h('span', { class: 'row' },
            h('button', { type: 'button', class: 'secondary', 'aria-label': `Usage of ${k.id}`, onclick: () => keyUsage(usagePanel, k) }, 'Usage'),
            k.revoked ? null : h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit limits of ${k.id}`, onclick: () => edit(k) }, 'Limits'),
            k.revoked ? null : h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke ${k.id}`, onclick: () => revoke(k) }, 'Revoke'))])));
    } catch (e) {
      clear(status).append(errorBox(e.message));
    }
  }

  async function revoke(k) {
    if (!confirm(`Revoke key ${k.id} of ${k.user_id}? Its holder is refused at once.`)) return;
    try {
      await json('DELETE', `/admin/keys/${encodeURIComponent(k.id)}`);
      await load();
    } catch (e) {
      clear(status).append(errorBox(e.message));
    }
  }

  // Edits whatever limits the admin API names for the key: new limit kinds show up here as they land.
  function edit(k) {
    const inputs = Object.entries(k.limits).map(([name, value]) => {
      const input = h('input', { id: `limit-${name}`, type: 'number', min: 1, step: 'any', value: value ?? '', placeholder: 'no limit' });
      return [name, input];
    });
    const problem = h('div');
    clear(editor).append(h('form', { class: 'card limits', onsubmit: async (e) => {
      e.preventDefault();
      const limits = Object.fromEntries(inputs.map(([name, input]) => [name, input.value === '' ? null : Number(input.value)]));
      try {
        await json('PATCH', `/admin/keys/${encodeURIComponent(k.id)}`, { limits });
        clear(editor);
        await load();
      } catch (err) {
        clear(problem).append(errorBox(err.message));
      }
    } },
    h('h2', {}, `Limits of ${k.id}`),
    inputs.map(([name, input]) => h('div', { class: 'field' }, h('label', { for: input.id }, name.replaceAll('_', ' ')), input)),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Save'), h('button', { type: 'button', class: 'secondary', onclick: () => clear(editor) }, 'Cancel')),
    problem));
    inputs[0]?.[1].focus();
  }

  load();
}

const windows = {
  hour: { label: 'last 24 hours, by hour (UTC)', buckets: 24, size: 3_600_000, key: (d) => `${d.toISOString().slice(0, 13)}:00:00Z`, short: (d) => `${d.toISOString().slice(11, 13)}:00` },
  day: { label: 'last 30 days, by day (UTC)', buckets: 30, size: 86_400_000, key: (d) => d.toISOString().slice(0, 10), short: (d) => d.toISOString().slice(5, 10) },
};

// One key's requests, tokens and cost per hour or day, from the usage API narrowed to that key.
function keyUsage(out, k) {
  const pick = h('select', { id: 'key-usage-window' }, Object.entries(windows).map(([v, w]) => h('option', { value: v }, w.label)));
  const body = h('div', { id: 'key-usage-body', 'aria-live': 'polite' });
  clear(out).append(h('section', { class: 'card', 'aria-label': `Usage of ${k.id}` },
    h('div', { class: 'row' }, h('h2', {}, `Usage of ${k.id} (${k.user_id})`),
      h('label', { for: 'key-usage-window' }, 'Window'), pick,
      h('button', { type: 'button', class: 'secondary', onclick: () => clear(out) }, 'Close')),
    body));
  pick.addEventListener('change', load);
  pick.focus();

  async function load() {
    const w = windows[pick.value];
    const end = Math.floor(Date.now() / w.size) * w.size;
    const slots = Array.from({ length: w.buckets }, (_, i) => new Date(end - (w.buckets - 1 - i) * w.size));
    const from = slots[0].toISOString();
    try {
      const data = await get(`/admin/usage?group_by=${pick.value}&key_id=${encodeURIComponent(k.id)}&from=${encodeURIComponent(from)}`);
      const by = new Map(data.groups.map((g) => [g.group, g]));
      const series = (f) => slots.map((d) => [w.short(d), by.has(w.key(d)) ? f(by.get(w.key(d))) : 0]);
      const used = slots.filter((d) => by.has(w.key(d))).map((d) => by.get(w.key(d)));
      clear(body).append(
        h('div', { class: 'charts' },
          columns('Requests', series((g) => g.requests)),
          columns('Tokens (in + out)', series((g) => g.prompt_tokens + g.output_tokens)),
          columns(`Cost (${data.currency})`, series((g) => g.cost), (v) => fmt.num(v, 6))),
        table(`Usage of ${k.id}, ${w.label}`, [pick.value, 'Requests', 'Tokens in', 'Tokens out', 'Cost', 'Errors'],
          used.map((g) => [g.group, fmt.int(g.requests), fmt.int(g.prompt_tokens), fmt.int(g.output_tokens), fmt.money(g.cost, data.currency), fmt.int(g.errors)])));
    } catch (e) {
      clear(body).append(errorBox(e.message));
    }
  }

  load();
}

function limitsText(limits) {
  const set = Object.entries(limits).filter(([, v]) => v !== null);
  return set.length ? set.map(([n, v]) => `${n.replaceAll('_', ' ')} ${v}`).join(', ') : 'none';
}
