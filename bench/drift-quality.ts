// Detection quality of the drift detector core on seeded synthetic streams
// (20 numeric N(0,1) features, 5 categorical): windows until a shift in ONE
// feature is flagged, and false alarms over 1 000 drift-free windows, with the
// first window as reference and with a 20 000-row training profile as
// reference. Pure computation, no stack needed.
import { profileDataset } from '@mlstream/kit/profile';
import { apply, defaultConfig, emptyDetectorState, referenceFromProfile, syntheticPredictions, type DetectorOutput, type ProfileReference, type StreamShape } from '@mlstream/drift-detector';

const shape: StreamShape = { numeric: 20, categorical: 5 };
const W = defaultConfig.windowSize;

const training = syntheticPredictions({ seed: 9000, model: 'train', version: 1, count: 20_000, shape });
const profile = referenceFromProfile('train', '1', training.length, profileDataset(training).profile);
let reference: ProfileReference | undefined;

function run(seed: number, windows: number, shifted?: StreamShape) {
  const state = emptyDetectorState();
  const outputs: DetectorOutput[] = [];
  // Two clean windows (reference + one clean), then `windows` windows of the (possibly shifted) stream.
  const clean = syntheticPredictions({ seed, model: 'm', version: 1, count: 2 * W, shape });
  const after = syntheticPredictions({ seed: seed + 1, model: 'm', version: 1, count: windows * W, startAt: 1_800_000_000_000, shape: shifted ?? shape });
  [...clean, ...after].forEach((value, offset) => outputs.push(...apply(state, { kind: 'prediction', value, topic: 't', partition: 0, offset }, () => defaultConfig, () => reference)));
  return outputs;
}

const windowsUntilFlagged = (outputs: DetectorOutput[], feature: string) => {
  const measured = outputs.filter((o) => o.type === 'DriftMeasured').map((o) => o.value as { window: { index: number }; features: Array<{ feature: string; drifted: boolean }> });
  const hit = measured.find((m) => m.window.index >= 2 && m.features.find((f) => f.feature === feature)?.drifted);
  // 11 = not flagged within the 10 shifted windows.
  return hit ? hit.window.index - 1 : 11;
};

/** Share of the shifted windows (index 2 on) in which the feature is flagged: the per-window detection power. */
const shareFlagged = (outputs: DetectorOutput[], feature: string) => {
  const measured = outputs.filter((o) => o.type === 'DriftMeasured').map((o) => o.value as { window: { index: number }; features: Array<{ feature: string; drifted: boolean }> });
  const shifted = measured.filter((m) => m.window.index >= 2);
  return (100 * shifted.filter((m) => m.features.find((f) => f.feature === feature)?.drifted).length) / shifted.length;
};

export default {
  needsStack: false,
  rounds: 1, // seeded and pure: every round would compute the same figures
  async run() {
    const figures = [];
    for (const mode of ['window', 'profile'] as const) {
      reference = mode === 'profile' ? profile : undefined;
      const label = mode === 'profile' ? ' [profile ref]' : '';
      for (const sigma of [0.25, 0.5, 1]) {
        const outputs = run(100 + sigma * 10, 10, { ...shape, shift: { 0: sigma } });
        figures.push({ figure: `windows to flag n0 +${sigma}σ${label}`, value: windowsUntilFlagged(outputs, 'n0'), unit: 'windows', goal: { on: 'value' as const, atMost: 1, text: 'the first shifted window' } });
        figures.push({ figure: `  windows flagging n0 +${sigma}σ (%)${label}`, value: shareFlagged(outputs, 'n0'), unit: '%', ceiling: { what: 'all 10 shifted windows', value: 100 } });
      }
      const category = run(300, 10, { ...shape, categoryShift: [0] });
      figures.push({ figure: `windows to flag c0 frequency shift${label}`, value: windowsUntilFlagged(category, 'c0'), unit: 'windows', goal: { on: 'value' as const, atMost: 1, text: 'the first shifted window' } });
      figures.push({ figure: `  windows flagging c0 shift (%)${label}`, value: shareFlagged(category, 'c0'), unit: '%', ceiling: { what: 'all 10 shifted windows', value: 100 } });

      const quiet = run(500, 1000);
      const measured = quiet.filter((o) => o.type === 'DriftMeasured').map((o) => o.value as { window: { index: number }; datasetDrift: boolean; features: Array<{ drifted: boolean }> });
      const evaluated = measured.filter((m) => m.features.length > 0);
      const flagged = evaluated.filter((m) => m.datasetDrift).length;
      const featureAlarms = evaluated.reduce((n, m) => n + m.features.filter((f) => f.drifted).length, 0) / evaluated.reduce((n, m) => n + m.features.length, 0);
      figures.push({ figure: `drift-free windows flagged (%)${label}`, value: (100 * flagged) / evaluated.length, unit: '%', goal: { on: 'value' as const, atMost: 1, text: '<= 1 %' } });
      figures.push({ figure: `RetrainRequested on drift-free${label}`, value: quiet.filter((o) => o.type === 'RetrainRequested').length, unit: 'requests', goal: { on: 'value' as const, atMost: 0, text: 'none' } });
      figures.push({ figure: `per-feature false alarms (%)${label}`, value: 100 * featureAlarms, unit: '%', ceiling: { what: mode === 'profile' ? 'PSI 0.1 / JS 0.1 (no nominal)' : 'p-value threshold 5 %', value: 5 } });
    }
    return { params: { windowSize: W, numeric: 20, categorical: 5, driftFreeWindows: 1000, trainingProfileRows: training.length, defaults: defaultConfig }, figures };
  },
};
