// Cluster (operators only): the web fronts and silos with their status, streams, generations, Ollama
// replicas and classifier tiers, and the served models; read again every 3 seconds.
import { get } from './api.js';
import { clear, errorBox, every, fmt, h, table } from './ui.js';

export function cluster(main) {
  const out = h('div', { id: 'cluster-out' });
  main.append(out);
  return every(3000, async () => {
    try {
      const [data, health] = await Promise.all([get('/admin/cluster'), fetch('/health').then((r) => r.text().then((t) => `${r.status} ${t}`))]);
      const active = data.silos.filter((s) => s.status === 'Active');
      clear(out).append(
        h('div', { class: 'cards' },
          h('div', { class: 'card stat' }, h('div', { class: 'label' }, 'Health of this web front'), h('div', { class: 'value' }, health)),
          h('div', { class: 'card stat' }, h('div', { class: 'label' }, `Open streams on ${data.web_front.name}`), h('div', { class: 'value', id: 'open-streams' }, fmt.int(data.web_front.open_streams))),
          h('div', { class: 'card stat' }, h('div', { class: 'label' }, 'Generations running (all silos)'),
            h('div', { class: 'value', id: 'running-generations' }, fmt.int(active.reduce((n, s) => n + (s.running_generations ?? 0), 0)))),
          h('div', { class: 'card stat' }, h('div', { class: 'label' }, 'Models served'), h('div', { class: 'value small' }, data.models.join(', ')))),
        table('Web fronts', ['Name', 'State', 'Open streams', 'Lanes', 'Reported'],
          data.web_fronts.map((f) => [f.self ? `${f.name} (this one)` : f.name, state(!f.draining, f.draining ? 'draining' : 'serving'),
            fmt.int(f.open_streams), fmt.int(f.lanes), fmt.time(f.reported_at)])),
        table('Silos', ['Name', 'Address', 'Status', 'Generations', 'Started', 'Last alive'],
          data.silos.map((s) => [s.name, s.address, state(s.status === 'Active', s.status), s.status_error ? `– (${s.status_error})` : fmt.int(s.running_generations),
            fmt.time(s.started_at), fmt.time(s.last_alive_at)])),
        h('div', { id: 'replicas' }, table('Ollama replicas (as each silo sees them)', ['Silo', 'Replica', 'State', 'In flight'],
          active.flatMap((s) => (s.replicas ?? []).map((r) => [s.name, r.endpoint, state(r.healthy, r.healthy ? 'up' : 'ejected'), fmt.int(r.in_flight)])))),
        h('div', { id: 'tiers' }, table('Classifier tiers (messages classified since each silo started)', ['Silo', 'Tier', 'Messages'],
          active.flatMap((s) => Object.entries(s.classifier_tiers ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([tier, n]) => [s.name, tier, fmt.int(n)])))),
        h('p', { class: 'hint' }, `This web front's lanes: ${data.web_front.lanes.join(', ') || 'none'}. Updated ${new Date().toLocaleTimeString()}; refreshed every 3 seconds.`));
    } catch (e) {
      clear(out).append(errorBox(e.message));
    }
  });
}

function state(good, text) {
  return h('span', { class: `outcome ${good ? 'done' : 'error'}` }, text);
}
