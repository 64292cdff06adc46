// Calls from the console's pages. Everything goes to /console/api/…: the session cookie names the
// signed-in key there, and state-changing calls carry the session's CSRF token.
let csrfToken = '';

export const api = '/console/api';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function setCsrf(token) {
  csrfToken = token ?? '';
}

export function request(method, path, { body, headers = {}, signal } = {}) {
  const all = { ...headers };
  if (body !== undefined) all['Content-Type'] = 'application/json';
  if (method !== 'GET') all['X-Console-Csrf'] = csrfToken;
  return fetch(api + path, {
    method,
    headers: all,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
}

/** The message of an error body in any of the router's shapes (problem, OpenAI, Ollama). */
export function errorMessage(data, fallback) {
  if (data && typeof data === 'object') {
    if (typeof data.detail === 'string') return data.detail;
    if (data.error && typeof data.error === 'object' && data.error.message) return data.error.message;
    if (typeof data.error === 'string') return data.error;
    if (typeof data.title === 'string') return data.title;
  }
  return fallback;
}

export async function readError(response) {
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return new ApiError(response.status, `${response.status}: ${errorMessage(data, text || response.statusText)}`);
}

export async function json(method, path, body) {
  const response = await request(method, path, { body });
  if (!response.ok) throw await readError(response);
  return response.status === 204 ? null : response.json();
}

export const get = (path) => json('GET', path);
