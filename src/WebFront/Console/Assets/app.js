// The console's shell: sign-in, the section menu, and the section shown (from the URL's #hash).
import { api, readError, request, setCsrf } from './api.js';
import { clear, errorBox, h } from './ui.js';
import { playground } from './playground.js';
import { requests } from './requests.js';
import { keys } from './keys.js';
import { usage } from './usage.js';
import { cluster } from './cluster.js';

const sections = [
  { id: 'playground', name: 'Playground', render: playground, roles: ['operator', 'key_holder'] },
  { id: 'requests', name: 'Requests', render: requests, roles: ['operator', 'key_holder'] },
  { id: 'keys', name: 'Keys', render: keys, roles: ['operator'] },
  { id: 'usage', name: 'Usage', render: usage, roles: ['operator', 'key_holder'] },
  { id: 'cluster', name: 'Cluster', render: cluster, roles: ['operator'] },
];

const root = document.getElementById('app');
let session = null;
let leave = null;

async function start() {
  const response = await fetch(`${api}/session`, { credentials: 'same-origin' });
  if (response.ok) {
    session = await response.json();
    setCsrf(session.csrf_token);
    show();
  } else {
    signInPage();
  }
}

function signInPage(message) {
  session = null;
  setCsrf('');
  clear(root);
  const key = h('input', { id: 'sign-in-key', type: 'password', name: 'key', autocomplete: 'current-password', required: true, autofocus: true });
  const status = h('div', { class: 'status' }, message ? errorBox(message) : null);
  const form = h('form', {
    class: 'sign-in card',
    onsubmit: async (e) => {
      e.preventDefault();
      clear(status).append(h('p', {}, 'Signing in…'));
      const response = await fetch(`${api}/session`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key.value.trim()}` },
        credentials: 'same-origin',
      });
      if (!response.ok) {
        clear(status).append(errorBox((await readError(response)).message));
        key.select();
        return;
      }
      session = await response.json();
      setCsrf(session.csrf_token);
      location.hash = '#/playground';
      show();
    },
  },
  h('h1', {}, 'Router console'),
  h('label', { for: 'sign-in-key' }, 'Key'),
  h('p', { class: 'hint' }, 'The admin key (operators) or an API key (its holder sees their own requests, usage and the playground).'),
  key,
  h('button', { type: 'submit' }, 'Sign in'),
  status);
  root.append(h('main', { class: 'center' }, form));
  key.focus();
}

async function signOut() {
  await request('DELETE', '/session');
  if (leave) leave();
  leave = null;
  location.hash = '';
  signInPage();
}

function show() {
  if (leave) leave();
  leave = null;
  const allowed = sections.filter((s) => s.roles.includes(session.role));
  const wanted = location.hash.replace(/^#\/?/, '');
  const section = allowed.find((s) => s.id === wanted) ?? allowed[0];
  clear(root);
  const who = session.role === 'operator' ? 'Operator' : `Key ${session.key_id} (${session.user_id})`;
  const main = h('main', { id: 'main', tabindex: -1 });
  root.append(
    h('header', { class: 'top' },
      h('a', { class: 'skip', href: '#main', onclick: (e) => { e.preventDefault(); main.focus(); } }, 'Skip to content'),
      h('span', { class: 'brand' }, 'Router'),
      h('nav', { 'aria-label': 'Sections' },
        allowed.map((s) => h('a', { href: `#/${s.id}`, 'aria-current': s === section ? 'page' : null }, s.name))),
      h('span', { class: 'who', id: 'who' }, who),
      h('button', { type: 'button', class: 'secondary', onclick: signOut }, 'Sign out')),
    main);
  main.append(h('h1', {}, section.name));
  leave = section.render(main, session, { signedOut: () => signInPage('Your session ended; sign in again.') }) ?? null;
}

window.addEventListener('hashchange', () => { if (session) show(); });
start();
