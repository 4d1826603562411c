import { seedLifecycle } from '../seed.ts';
const t = Date.now();
const s = await seedLifecycle((l) => console.log(l));
console.log('total', (Date.now() - t) / 1000, s.timings, s.wide, s.versions, s.sweep.writeMs);
const d = await s.get<{ measurements: Array<{ windowIndex: number; features: unknown[] }> }>(`/v1/models/${s.wide.model}/drift?version=${s.wide.version}&limit=10000`);
console.log(d.measurements.length, JSON.stringify(d.measurements[0]).slice(0, 600));
console.log(JSON.stringify(await s.get(`/v1/models/${s.model}/versions`)).slice(0, 3000));
await s.stop();
