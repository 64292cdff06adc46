// Cluster (operators only): the silos as membership sees them, this web front's streams, the served models.
import { get } from './api.js';
import { clear, errorBox, every, fmt, h, table } from './ui.js';

export function cluster(main) {
  const out = h('div', { id: 'cluster-out' });
  main.append(out);
  return every(3000, async () => {
    try {
      const [data, health] = await Promise.all([get('/admin/cluster'), fetch('/health').then((r) => r.text().then((t) => `${r.status} ${t}`))]);
      clear(out).append(
        h('div', { class: 'cards' },
          h('div', { class: 'card stat' }, h('div', { class: 'label' }, 'Health of this web front'), h('div', { class: 'value' }, health)),
          h('div', { class: 'card stat' }, h('div', { class: 'label' }, `Open streams on ${data.web_front.name}`), h('div', { class: 'value', id: 'open-streams' }, fmt.int(data.web_front.open_streams))),
          h('div', { class: 'card stat' }, h('div', { class: 'label' }, 'Models served'), h('div', { class: 'value small' }, data.models.join(', ')))),
        table('Silos', ['Name', 'Address', 'Host', 'Status', 'Started', 'Last alive'],
          data.silos.map((s) => [s.name, s.address, s.host, h('span', { class: `outcome ${s.status === 'Active' ? 'done' : 'error'}` }, s.status), fmt.time(s.started_at), fmt.time(s.last_alive_at)])),
        h('p', { class: 'hint' }, `Updated ${new Date().toLocaleTimeString()}; refreshed every 3 seconds.`));
    } catch (e) {
      clear(out).append(errorBox(e.message));
    }
  });
}
