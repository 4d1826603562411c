/** A labeled row as the training snapshot holds it. */
export interface TrainingRow {
  numericFeatures: Record<string, number>;
  categoricalFeatures: Record<string, string>;
  label: string;
}

/** The model file the trainer writes and the orchestrator evaluates (JSON, in the artifact store). */
export interface LogisticModel {
  format: 'mlstream.logistic-regression/v1';
  /** [negative, positive]: the probability is that of `classes[1]`. */
  classes: [string, string];
  numeric: Array<{ name: string; mean: number; std: number }>;
  categorical: Array<{ name: string; values: string[] }>;
  weights: number[];
  bias: number;
  /** Training rows, iterations, learning rate, L2. */
  training: { rows: number; iterations: number; learningRate: number; l2: number };
}

export interface TrainOptions {
  /** Full-batch gradient steps; default 300. */
  iterations?: number;
  learningRate?: number;
  l2?: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function encoder(model: Pick<LogisticModel, 'numeric' | 'categorical'>) {
  return (row: Omit<TrainingRow, 'label'>): number[] => {
    const x: number[] = [];
    for (const n of model.numeric) {
      const v = row.numericFeatures[n.name];
      x.push(typeof v === 'number' && Number.isFinite(v) ? (v - n.mean) / n.std : 0);
    }
    for (const c of model.categorical) for (const value of c.values) x.push(row.categoricalFeatures[c.name] === value ? 1 : 0);
    return x;
  };
}

/**
 * Binary logistic regression by full-batch gradient descent: numeric features
 * standardized, categorical ones one-hot (categories seen in training),
 * deterministic (zero start, no shuffling): the same rows give the same model.
 */
export function trainLogistic(rows: readonly TrainingRow[], options: TrainOptions = {}): LogisticModel {
  const classes = [...new Set(rows.map((r) => r.label))].sort();
  if (classes.length !== 2) throw new Error(`trainLogistic: needs exactly two label classes, got ${classes.length} (${classes.slice(0, 5).join(', ')})`);
  const iterations = options.iterations ?? 300;
  const learningRate = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-3;
  const numericNames = [...new Set(rows.flatMap((r) => Object.keys(r.numericFeatures)))].sort();
  const numeric = numericNames.map((name) => {
    const values = rows.map((r) => r.numericFeatures[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length)) || 1;
    return { name, mean, std };
  });
  const categorical = [...new Set(rows.flatMap((r) => Object.keys(r.categoricalFeatures)))].sort().map((name) => ({ name, values: [...new Set(rows.map((r) => r.categoricalFeatures[name]).filter((v): v is string => v !== undefined))].sort() }));
  const encode = encoder({ numeric, categorical });
  const X = rows.map(encode);
  const y = rows.map((r) => (r.label === classes[1] ? 1 : 0));
  const d = X[0]?.length ?? 0;
  const w = new Array<number>(d).fill(0);
  let bias = 0;
  const n = rows.length;
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    let gradBias = 0;
    for (let i = 0; i < n; i++) {
      const xi = X[i]!;
      let z = bias;
      for (let j = 0; j < d; j++) z += w[j]! * xi[j]!;
      const err = sigmoid(z) - y[i]!;
      for (let j = 0; j < d; j++) grad[j]! += err * xi[j]!;
      gradBias += err;
    }
    for (let j = 0; j < d; j++) w[j]! -= learningRate * (grad[j]! / n + l2 * w[j]!);
    bias -= learningRate * (gradBias / n);
  }
  return { format: 'mlstream.logistic-regression/v1', classes: [classes[0]!, classes[1]!], numeric, categorical, weights: w, bias, training: { rows: n, iterations, learningRate, l2 } };
}

/** The predicted class (threshold 0.5) and the probability of `classes[1]`. */
export function predictLogistic(model: LogisticModel, row: Omit<TrainingRow, 'label'>): { label: string; probability: number } {
  const x = encoder(model)(row);
  let z = model.bias;
  for (let j = 0; j < x.length; j++) z += model.weights[j]! * x[j]!;
  const probability = sigmoid(z);
  return { label: probability >= 0.5 ? model.classes[1] : model.classes[0], probability };
}

/** Parses a model file; says what is wrong with anything else. */
export function parseLogisticModel(text: string): LogisticModel {
  const m = JSON.parse(text) as Partial<LogisticModel>;
  if (m.format !== 'mlstream.logistic-regression/v1' || !Array.isArray(m.weights) || !Array.isArray(m.classes)) {
    throw new Error(`not an mlstream.logistic-regression/v1 model (format ${JSON.stringify(m.format)}); the orchestrator evaluates only this format`);
  }
  return m as LogisticModel;
}
