// The cost of the data-quality pass (docs/data-quality.md): the drift detector
// core over the same seeded stream with quality on and off, in the same run,
// rounds interleaved (off, on, off, on, …) so machine noise hits both alike;
// the best round of each is compared. Pure computation, no stack needed: the
// service around the core (decode, transactions, snapshots) only dilutes the
// pass's share further.
import { profileDataset } from '@mlstream/kit/profile';
import { apply, defaultConfig, emptyDetectorState, referenceFromProfile, syntheticPredictions, type DetectorConfig } from '@mlstream/drift-detector';

const N = 100_000;
const ROUNDS = 5;
const shape = { numeric: 20, categorical: 5 };

export default {
  needsStack: false,
  rounds: 1, // repeats inside its own run (or too slow for five)
  async run() {
    const training = syntheticPredictions({ seed: 9000, model: 'train', version: 1, count: 20_000, shape });
    const profile = referenceFromProfile('train', '1', training.length, profileDataset(training).profile);
    const predictions = syntheticPredictions({ seed: 1, model: 'bench', version: 1, count: N, shape });
    const once = (config: DetectorConfig) => {
      const state = emptyDetectorState();
      let outputs = 0;
      const started = process.hrtime.bigint();
      for (let i = 0; i < N; i++) outputs += apply(state, { kind: 'prediction', value: predictions[i]!, topic: 't', partition: 0, offset: i }, () => config, () => profile).length;
      return { perSecond: N / (Number(process.hrtime.bigint() - started) / 1e9), outputs };
    };
    const on = { ...defaultConfig, quality: true };
    const off = { ...defaultConfig, quality: false };
    once(on); // warm-up (JIT) for both paths
    once(off);
    const best = { on: 0, off: 0 };
    const rounds: Array<{ off: number; on: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const a = once(off).perSecond;
      const b = once(on).perSecond;
      rounds.push({ off: Math.round(a), on: Math.round(b) });
      best.off = Math.max(best.off, a);
      best.on = Math.max(best.on, b);
    }
    const pairRatios = rounds.map((r) => r.on / r.off).sort((x, y) => x - y);
    const median = pairRatios[Math.floor(pairRatios.length / 2)]!;
    return {
      params: { predictions: N, windowSize: defaultConfig.windowSize, features: 25, reference: 'training profile (20 000 rows)', rounds: ROUNDS, perRound: rounds },
      figures: [
        { figure: 'detector core predictions/s, quality on', value: best.on, unit: 'predictions/s', ceiling: { what: 'quality off, same run', value: best.off } },
        { figure: 'median per-round ratio on/off', value: median, unit: 'ratio', ceiling: { what: 'no cost', value: 1 } },
        { figure: 'quality pass cost (% of throughput)', value: 100 * (1 - best.on / best.off), unit: '%', goal: { on: 'value' as const, atMost: 15, text: '<= 15 % (issue 17)' } },
      ],
    };
  },
};
