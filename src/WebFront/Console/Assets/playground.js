// Playground: chat through the router's OpenAI surface with the signed-in key, streaming, and the
// routing decision, timings, tokens and cost of each answer.
import { get, readError, request } from './api.js';
import { clear, errorBox, fmt, h } from './ui.js';

export function playground(main, session) {
  const history = [];
  let controller = null;

  const model = h('select', { id: 'pg-model' }, h('option', { value: 'auto' }, 'auto'));
  const system = h('textarea', { id: 'pg-system', rows: 2, placeholder: 'Optional' });
  const temperature = h('input', { id: 'pg-temperature', type: 'number', min: 0, max: 2, step: 0.1, placeholder: 'default' });
  const maxTokens = h('input', { id: 'pg-max-tokens', type: 'number', min: 1, step: 1, placeholder: 'default' });
  const transcript = h('div', { class: 'transcript', id: 'pg-transcript', 'aria-live': 'polite' });
  const prompt = h('textarea', { id: 'pg-prompt', rows: 3, placeholder: 'Message (Enter sends, Shift+Enter for a new line)' });
  const send = h('button', { type: 'submit', id: 'pg-send' }, 'Send');
  const stop = h('button', { type: 'button', id: 'pg-stop', class: 'danger', disabled: true, onclick: () => controller?.abort() }, 'Stop');
  const clearButton = h('button', { type: 'button', class: 'secondary', onclick: () => { history.length = 0; clear(transcript); } }, 'New chat');

  prompt.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  const form = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); if (!controller && prompt.value.trim()) ask(); } },
    h('label', { for: 'pg-prompt', class: 'visually-hidden' }, 'Prompt'), prompt, h('div', { class: 'row' }, send, stop, clearButton));

  main.append(
    h('div', { class: 'playground' },
      h('aside', { class: 'settings card' },
        h('label', { for: 'pg-model' }, 'Model'), model,
        h('label', { for: 'pg-system' }, 'System prompt'), system,
        h('label', { for: 'pg-temperature' }, 'Temperature'), temperature,
        h('label', { for: 'pg-max-tokens' }, 'Max tokens'), maxTokens),
      h('section', { class: 'chat' }, transcript, form)));
  prompt.focus();

  get('/v1/models').then((list) => {
    for (const m of list.data ?? []) if (m.id !== 'auto' && !m.id.includes('*')) model.append(h('option', { value: m.id }, m.id));
  }).catch((e) => transcript.append(errorBox(`Models: ${e.message}`)));

  async function ask() {
    const text = prompt.value;
    prompt.value = '';
    history.push({ role: 'user', content: text });
    transcript.append(h('div', { class: 'msg user' }, h('div', { class: 'who' }, 'You'), h('div', { class: 'text' }, text)));
    const answer = h('div', { class: 'text', 'data-testid': 'answer' });
    const badge = h('div', { class: 'badge', 'data-testid': 'routing' });
    const stats = h('div', { class: 'stats', 'data-testid': 'stats' });
    const bubble = h('div', { class: 'msg assistant' }, h('div', { class: 'who' }, 'Router'), badge, answer, stats);
    transcript.append(bubble);

    const messages = system.value.trim() ? [{ role: 'system', content: system.value }, ...history] : [...history];
    const body = { model: model.value, messages, stream: true, stream_options: { include_usage: true } };
    if (temperature.value !== '') body.temperature = Number(temperature.value);
    if (maxTokens.value !== '') body.max_tokens = Number(maxTokens.value);

    controller = new AbortController();
    send.disabled = true;
    stop.disabled = false;
    const started = performance.now();
    let firstToken = null;
    let usage = null;
    let content = '';
    let requestId = null;
    const tools = new Map();
    try {
      const response = await request('POST', '/v1/chat/completions', { body, signal: controller.signal });
      if (!response.ok) throw await readError(response);
      requestId = response.headers.get('x-request-id');
      showRouting(badge, response.headers);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of event.split('\n')) {
            if (!line.startsWith('data:')) continue;
            const data = line.slice(5).trim();
            if (data === '[DONE]') continue;
            const chunk = JSON.parse(data);
            if (chunk.error) throw new Error(chunk.error.message ?? 'The answer failed.');
            if (chunk.usage) usage = chunk.usage;
            const delta = chunk.choices?.[0]?.delta;
            if (delta?.content) {
              firstToken ??= performance.now();
              content += delta.content;
              answer.textContent = content;
            }
            for (const call of delta?.tool_calls ?? []) {
              firstToken ??= performance.now();
              const seen = tools.get(call.index) ?? { name: '', args: '' };
              seen.name += call.function?.name ?? '';
              seen.args += call.function?.arguments ?? '';
              tools.set(call.index, seen);
              renderTools(answer, content, tools);
            }
          }
        }
      }
      history.push({ role: 'assistant', content });
      stats.textContent = statsText(started, firstToken, performance.now(), usage);
      if (requestId) showCost(stats, session, requestId);
    } catch (e) {
      if (e.name === 'AbortError') {
        bubble.classList.add('stopped');
        stats.textContent = `Stopped. ${statsText(started, firstToken, performance.now(), null)}`;
        history.pop();
      } else {
        bubble.append(errorBox(e.message));
        history.pop();
      }
    } finally {
      controller = null;
      send.disabled = false;
      stop.disabled = true;
      prompt.focus();
    }
  }

  return () => controller?.abort();
}

function showRouting(badge, headers) {
  const model = headers.get('x-router-model');
  const category = headers.get('x-router-category');
  const confidence = headers.get('x-router-confidence');
  const reason = headers.get('x-router-reason');
  const sticky = headers.get('x-router-sticky');
  badge.append(h('span', { class: 'pill model' }, model ?? '?'));
  if (category) badge.append(h('span', { class: 'pill' }, `category ${category}`));
  if (confidence) badge.append(h('span', { class: 'pill' }, `confidence ${confidence}`));
  if (sticky) badge.append(h('span', { class: 'pill' }, 'kept for the conversation'));
  if (reason) badge.append(h('span', { class: 'pill reason' }, decodeURIComponent(reason)));
}

function renderTools(answer, content, tools) {
  clear(answer).append(content);
  for (const { name, args } of tools.values()) {
    answer.append(h('div', { class: 'tool-call' }, h('strong', {}, `Tool call: ${name}`), h('pre', {}, args)));
  }
}

function statsText(started, firstToken, ended, usage) {
  const parts = [];
  if (firstToken) parts.push(`first token ${fmt.ms(firstToken - started)}`);
  if (usage) {
    parts.push(`${usage.prompt_tokens} in / ${usage.completion_tokens} out tokens`);
    const seconds = (ended - (firstToken ?? started)) / 1000;
    if (seconds > 0 && usage.completion_tokens > 1) parts.push(`${fmt.num(usage.completion_tokens / seconds, 1)} tokens/s`);
  }
  return parts.join(' · ');
}

/** The cost is the request log's: the row is written just after the answer, so look a few times. */
async function showCost(stats, session, requestId) {
  const path = session.role === 'operator' ? '/admin/requests?limit=50' : '/v1/requests?limit=50';
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const page = await get(path);
      const row = page.requests.find((r) => r.request_id === requestId);
      if (row) {
        const tier = row.tier ? ` · tier ${row.tier}` : '';
        stats.append(h('span', { 'data-testid': 'cost' }, ` · cost ${fmt.money(row.cost, row.currency)}${row.cost_estimated ? ' (estimated)' : ''}${tier}`));
        return;
      }
    } catch {
      return; // no request log on this router: no cost to show
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
